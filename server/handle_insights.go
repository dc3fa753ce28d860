package server

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/disclosure"
	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/profiles"
	"atelier/sessions"
)

// Insights: what a project's closed sessions produced, read together by
// the people who decide (sessions.Store.Insights holds the privacy rules).
// The page is rendered on the server and works without JavaScript: the
// filters are a plain GET form, and the JSON and CSV take the same
// parameters.

// insightCluster is one cluster on the insights page: its approved figures
// beside what the sessions made of it.
type insightCluster struct {
	SetID     int64
	ID        string
	Label     string
	Withdrawn bool              // its set is no longer approved: no label, no figures
	Size      disclosure.Figure // the approved size
	URL       string            // the cluster's page, when its set is approved
	Sessions  []string          // titles of the sessions it comes from
	Top       []sessions.InsightItem
	Themes    []insightTheme
	Loose     []sessions.InsightItem // in no theme
	Tags      []sessions.TagCount
}

// insightTheme is a theme's title with the items found under it.
type insightTheme struct {
	Title string
	Items []sessions.InsightItem
}

type insightsPage struct {
	Project  *profiles.Project
	Filter   sessions.InsightFilter
	From, To string // the date fields as typed
	Query    string // the filter as URL parameters, for the exports
	Result   *sessions.Insights
	Clusters []insightCluster
	Choices  insightChoices
}

// insightChoices are the values the filter form offers.
type insightChoices struct {
	Kinds    []string
	Clusters []insightCluster
	Roles    []sessions.Role
}

// insightFilter reads the filter from the query string.
func insightFilter(c *fiber.Ctx) (sessions.InsightFilter, error) {
	f := sessions.InsightFilter{Query: strings.Clone(c.Query("q")), Kind: strings.Clone(c.Query("kind")), Tag: strings.Clone(c.Query("tag")),
		Cluster: strings.Clone(c.Query("cluster")), Role: sessions.Role(strings.Clone(c.Query("role")))}
	if v := c.Query("session"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return f, apperr.New(apperr.Invalid, "insights.filter_invalid", "session")
		}
		f.Session = id
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := c.Query(d.name); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return f, apperr.New(apperr.Invalid, "insights.filter_invalid", d.name)
			}
			*d.dst = t
		}
	}
	if f.Kind != "" && f.Kind != "excerpt" && !slices.Contains(sessions.NoteKinds, f.Kind) {
		return f, apperr.New(apperr.Invalid, "insights.filter_invalid", "kind")
	}
	return f, nil
}

// loadInsights loads the project in the URL and its insights under the
// request's filter.
func (s *server) loadInsights(c *fiber.Ctx) (*insightsPage, error) {
	v := viewerOf(userOf(c))
	p, err := s.deps.Profiles.ProjectFor(c.UserContext(), v, c.Params("project"))
	if err != nil {
		return nil, err
	}
	f, err := insightFilter(c)
	if err != nil {
		return nil, err
	}
	res, err := s.deps.Sessions.Insights(c.UserContext(), p.ID, f, int(p.Rules.MinFrequency))
	if err != nil {
		return nil, err
	}
	page := &insightsPage{Project: p, Filter: f, Result: res, Query: string(c.Request().URI().QueryString())}
	if !f.From.IsZero() {
		page.From = f.From.Format(time.DateOnly)
	}
	if !f.To.IsZero() {
		page.To = f.To.Format(time.DateOnly)
	}
	page.Choices.Kinds = append(slices.Clone(sessions.NoteKinds), "excerpt")
	page.Choices.Roles = res.Roles
	if page.Clusters, err = s.insightClusters(c, p, res); err != nil {
		return nil, err
	}
	all, err := s.deps.Sessions.Insights(c.UserContext(), p.ID, sessions.InsightFilter{}, int(p.Rules.MinFrequency))
	if err != nil {
		return nil, err
	}
	page.Choices.Clusters, err = s.insightClusters(c, p, all)
	return page, err
}

// insightClusters groups the items per cluster (a set and a cluster id),
// with the cluster's approved size beside them. Clusters come in the order
// they first appear.
func (s *server) insightClusters(c *fiber.Ctx, p *profiles.Project, res *sessions.Insights) ([]insightCluster, error) {
	v := viewerOf(userOf(c))
	v.Reviewer = false // approved sets only, whoever asks
	sets := map[int64]*profiles.ProfileSet{}
	index := map[[2]string]int{}
	var out []insightCluster
	for _, it := range res.Items {
		key := [2]string{strconv.FormatInt(it.SetID, 10), it.Cluster}
		k, ok := index[key]
		if !ok {
			ic := insightCluster{SetID: it.SetID, ID: it.Cluster, Label: it.ClusterLabel}
			set, seen := sets[it.SetID]
			if !seen {
				var err error
				set, err = s.deps.Profiles.Set(c.UserContext(), v, it.SetID)
				if err != nil && !apperr.Is(err, apperr.NotFound) {
					return nil, err
				}
				sets[it.SetID] = set
			}
			if cf, found := clusterOf(set, it.Cluster); found {
				ic.Size, ic.URL = cf.Size, mustURL("cluster", p.Slug, set.ID, it.Cluster)
			} else {
				ic.Withdrawn, ic.Label = true, ""
			}
			k = len(out)
			index[key] = k
			out = append(out, ic)
		}
		if out[k].Withdrawn {
			it.ClusterLabel = "" // withdrawn means gone: not even its name
		}
		out[k].add(it)
	}
	for i := range out {
		out[i].finish()
	}
	return out, nil
}

func clusterOf(set *profiles.ProfileSet, id string) (disclosure.ClusterFigures, bool) {
	if set == nil {
		return disclosure.ClusterFigures{}, false
	}
	return findCluster(set.Result, id)
}

// add puts an item under its theme, or among the items in no theme.
func (ic *insightCluster) add(it sessions.InsightItem) {
	if !slices.Contains(ic.Sessions, it.SessionTitle) {
		ic.Sessions = append(ic.Sessions, it.SessionTitle)
	}
	if it.Theme == "" {
		ic.Loose = append(ic.Loose, it)
		return
	}
	for i := range ic.Themes {
		if ic.Themes[i].Title == it.Theme {
			ic.Themes[i].Items = append(ic.Themes[i].Items, it)
			return
		}
	}
	ic.Themes = append(ic.Themes, insightTheme{Title: it.Theme, Items: []sessions.InsightItem{it}})
}

// topNotes is how many of a cluster's most-voted notes lead its section.
const topNotes = 3

// finish picks the most-voted notes and counts the tags.
func (ic *insightCluster) finish() {
	var notes []sessions.InsightItem
	tags := map[string]int{}
	each := func(items []sessions.InsightItem) {
		for _, it := range items {
			if it.Type == "note" && it.Votes > 0 {
				notes = append(notes, it)
			}
			for _, t := range it.Tags {
				tags[t]++
			}
		}
	}
	each(ic.Loose)
	for _, th := range ic.Themes {
		each(th.Items)
	}
	slices.SortStableFunc(notes, func(a, b sessions.InsightItem) int { return b.Votes - a.Votes })
	ic.Top = notes[:min(topNotes, len(notes))]
	for t, n := range tags {
		ic.Tags = append(ic.Tags, sessions.TagCount{Tag: t, Count: n})
	}
	slices.SortFunc(ic.Tags, func(a, b sessions.TagCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Tag, b.Tag)
	})
}

// handleInsights is the Inzichten page of a project.
func (s *server) handleInsights() fiber.Handler {
	return func(c *fiber.Ctx) error {
		page, err := s.loadInsights(c)
		if err != nil {
			return err
		}
		return s.render(c, "insights.html", i18n.T(langOf(c), "insights.title", page.Project.Name), page)
	}
}

// handleInsightsCSV exports exactly the notes and excerpts the page shows
// for the same filter, in the page's order.
func (s *server) handleInsightsCSV() fiber.Handler {
	return func(c *fiber.Ctx) error {
		page, err := s.loadInsights(c)
		if err != nil {
			return err
		}
		var items []sessions.InsightItem
		for _, ic := range page.Clusters {
			for _, th := range ic.Themes {
				items = append(items, th.Items...)
			}
			items = append(items, ic.Loose...)
		}
		var buf bytes.Buffer
		if err := sessions.WriteInsightsCSV(&buf, items, sessions.Separator(c.Query("sep"))); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="inzichten-`+safeFileName(page.Project.Slug)+`.csv"`)
		return c.Send(buf.Bytes())
	}
}

// handleAPIInsights is GET /api/projects/:project/insights: the same as the
// page, as JSON.
func (s *server) handleAPIInsights() fiber.Handler {
	return func(c *fiber.Ctx) error {
		page, err := s.loadInsights(c)
		if err != nil {
			return err
		}
		type item struct {
			Type      string   `json:"type"`
			Session   int64    `json:"session"`
			Title     string   `json:"session_title"`
			ClosedAt  string   `json:"closed_at"`
			Cluster   string   `json:"cluster"`
			Label     string   `json:"cluster_label"`
			Kind      string   `json:"kind,omitempty"`
			Text      string   `json:"text"`
			Votes     *int     `json:"votes,omitempty"`
			Source    string   `json:"source,omitempty"`
			Tags      []string `json:"tags,omitempty"`
			Theme     string   `json:"theme,omitempty"`
			Role      string   `json:"role,omitempty"`
			Withdrawn bool     `json:"withdrawn,omitempty"`
		}
		items := []item{}
		for _, ic := range page.Clusters {
			add := func(it sessions.InsightItem) {
				out := item{Type: it.Type, Session: it.SessionID, Title: it.SessionTitle, ClosedAt: it.ClosedAt.UTC().Format(time.RFC3339),
					Cluster: it.Cluster, Label: ic.Label, Kind: it.Kind, Text: it.Text, Source: it.Source, Tags: it.Tags, Theme: it.Theme,
					Role: string(it.Role), Withdrawn: ic.Withdrawn}
				if it.Type == "note" {
					out.Votes = &it.Votes
				}
				items = append(items, out)
			}
			for _, th := range ic.Themes {
				for _, it := range th.Items {
					add(it)
				}
			}
			for _, it := range ic.Loose {
				add(it)
			}
		}
		type session struct {
			ID           int64          `json:"id"`
			Title        string         `json:"title"`
			ClosedAt     string         `json:"closed_at"`
			Participants map[string]any `json:"participants"`
		}
		srcs := []session{}
		for _, is := range page.Result.Sessions {
			parts := map[string]any{"total": is.Participants.Total.String()}
			for _, rc := range is.Participants.ByRole {
				parts[string(rc.Role)] = rc.Count.String()
			}
			srcs = append(srcs, session{ID: is.ID, Title: is.Title, ClosedAt: is.ClosedAt.UTC().Format(time.RFC3339), Participants: parts})
		}
		tags := []fiber.Map{}
		for _, t := range page.Result.Tags {
			tags = append(tags, fiber.Map{"tag": t.Tag, "count": t.Count})
		}
		return c.JSON(fiber.Map{"project": page.Project.Slug, "purpose": page.Project.Purpose, "items": items, "sessions": srcs, "tags": tags})
	}
}
