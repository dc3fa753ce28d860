package server

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/charts"
	"atelier/disclosure"
	"atelier/i18n"
	"atelier/profiles"
)

// variableChart is one variable of a cluster page: its chart (options come
// from ChartURL) and the same figures as a table.
type variableChart struct {
	Name     string
	Chart    charts.Chart
	ChartURL string
}

type clusterPage struct {
	Project *profiles.Project
	Set     *profiles.ProfileSet
	Cluster disclosure.ClusterFigures
	Charts  []variableChart
}

func findCluster(res *disclosure.Result, id string) (disclosure.ClusterFigures, bool) {
	for _, c := range res.Clusters {
		if c.ID == id {
			return c, true
		}
	}
	return disclosure.ClusterFigures{}, false
}

// handleCluster shows one cluster beside the population: per variable a
// chart and its data table, suppressed figures marked and explained.
func (s *server) handleCluster() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, set, err := s.setContext(c, false)
		if err != nil {
			return err
		}
		cl, ok := findCluster(set.Result, c.Params("cluster"))
		if !ok {
			return fiber.ErrNotFound
		}
		lang := langOf(c)
		page := clusterPage{Project: p, Set: set, Cluster: cl}
		for _, v := range set.Result.Variables {
			ch, err := charts.ClusterVariable(set.Result, cl.ID, v.Name, lang)
			if err != nil {
				return err
			}
			page.Charts = append(page.Charts, variableChart{Name: v.Name, Chart: ch,
				ChartURL: mustURL("api.chart", set.ID, cl.ID, v.Name)})
		}
		label := cl.Label
		if label == "" {
			label = cl.ID
		}
		return s.render(c, "cluster.html", i18n.T(lang, "cluster.title", label), page)
	}
}

type comparePage struct {
	Project  *profiles.Project
	Set      *profiles.ProfileSet
	Variable string
	Selected []string
	Chart    *charts.Chart
	ChartURL string
}

// handleCompare shows several clusters on one variable.
func (s *server) handleCompare() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, set, err := s.setContext(c, false)
		if err != nil {
			return err
		}
		lang := langOf(c)
		variable, selected := compareQuery(c, set.Result, strings.Clone(c.Query("variable")))
		page := comparePage{Project: p, Set: set, Variable: variable, Selected: selected}
		if variable != "" && len(selected) >= 1 {
			ch, err := charts.Comparison(set.Result, variable, selected, lang)
			if err != nil {
				return err
			}
			page.Chart = &ch
			q := url.Values{"c": selected}
			page.ChartURL = mustURL("api.compare", set.ID, variable) + "?" + q.Encode()
		}
		return s.render(c, "compare.html", i18n.T(lang, "compare.title"), page)
	}
}

// compareQuery checks variable and reads the clusters of ?c=&c=, keeping
// only names the set has.
func compareQuery(c *fiber.Ctx, res *disclosure.Result, variable string) (string, []string) {
	args := c.Context().QueryArgs()
	if !slices.ContainsFunc(res.Variables, func(v disclosure.VariableInfo) bool { return v.Name == variable }) {
		variable = ""
	}
	var selected []string
	for _, b := range args.PeekMulti("c") {
		id := string(b)
		if _, ok := findCluster(res, id); ok && !slices.Contains(selected, id) && len(selected) < 12 {
			selected = append(selected, id)
		}
	}
	return variable, selected
}

// handleChartOptions answers the ECharts options of one cluster's variable.
func (s *server) handleChartOptions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		set, err := s.apiSet(c)
		if err != nil {
			return err
		}
		ch, err := charts.ClusterVariable(set.Result, strings.Clone(c.Params("cluster")), strings.Clone(c.Params("variable")), langOf(c))
		if err != nil {
			return fiber.ErrNotFound
		}
		return sendOptions(c, ch)
	}
}

// handleCompareOptions answers the ECharts options of a comparison.
func (s *server) handleCompareOptions() fiber.Handler {
	return func(c *fiber.Ctx) error {
		set, err := s.apiSet(c)
		if err != nil {
			return err
		}
		variable, selected := compareQuery(c, set.Result, strings.Clone(c.Params("variable")))
		if variable == "" || len(selected) == 0 {
			return fiber.ErrNotFound
		}
		ch, err := charts.Comparison(set.Result, variable, selected, langOf(c))
		if err != nil {
			return fiber.ErrNotFound
		}
		return sendOptions(c, ch)
	}
}

func (s *server) apiSet(c *fiber.Ctx) (*profiles.ProfileSet, error) {
	id, err := paramID(c, "set")
	if err != nil {
		return nil, err
	}
	return s.deps.Profiles.Set(c.UserContext(), viewerOf(userOf(c)), id)
}

func sendOptions(c *fiber.Ctx, ch charts.Chart) error {
	body, err := ch.OptionsJSON()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

type apiProject struct {
	Slug     string                     `json:"slug"`
	Name     string                     `json:"name"`
	Purpose  string                     `json:"purpose"`
	Clusters []profiles.ApprovedCluster `json:"clusters"`
}

// handleAPIProjects lists the projects the viewer may see with their
// approved clusters.
func (s *server) handleAPIProjects() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		v := viewerOf(u)
		projects, err := s.deps.Profiles.ProjectsFor(c.UserContext(), u.ID, v.AllProjects)
		if err != nil {
			return err
		}
		out := []apiProject{}
		for _, p := range projects {
			clusters, err := s.deps.Profiles.ApprovedClusters(c.UserContext(), v, p.ID)
			if err != nil {
				return err
			}
			if clusters == nil {
				clusters = []profiles.ApprovedCluster{}
			}
			out = append(out, apiProject{Slug: p.Slug, Name: p.Name, Purpose: p.Purpose, Clusters: clusters})
		}
		return c.JSON(fiber.Map{"projects": out})
	}
}
