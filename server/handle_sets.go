package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/disclosure"
	"atelier/exports"
	"atelier/i18n"
	"atelier/profiles"
)

// setContext loads the project and set of a request for its viewer. The
// store refuses what the viewer may not see, as not found.
func (s *server) setContext(c *fiber.Ctx) (*profiles.Project, *profiles.ProfileSet, error) {
	u := userOf(c)
	v := viewerOf(u)
	p, err := s.deps.Profiles.ProjectFor(c.UserContext(), v, c.Params("project"))
	if err != nil {
		return nil, nil, err
	}
	id, err := paramID(c, "set")
	if err != nil {
		return nil, nil, err
	}
	set, err := s.deps.Profiles.Set(c.UserContext(), v, id)
	if err != nil {
		return nil, nil, err
	}
	if set.ProjectID != p.ID {
		return nil, nil, fiber.ErrNotFound
	}
	return p, set, nil
}

// suppressedCell is one suppressed figure in the steward's review.
type suppressedCell struct {
	Where   string
	Status  disclosure.Status
	Reasons []string
	Audit   *disclosure.Interval
}

type setPage struct {
	Project    *profiles.Project
	Set        *profiles.ProfileSet
	Steward    bool
	OwnImport  bool
	Suppressed []suppressedCell
	Problems   []string
}

// handleSet shows a profile set: its provenance and clusters, and for a
// steward the check report in plain words with the decision forms.
func (s *server) handleSet() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, set, err := s.setContext(c)
		if err != nil {
			return err
		}
		u := userOf(c)
		lang := langOf(c)
		page := setPage{Project: p, Set: set, Steward: u.Role == accounts.Steward, OwnImport: set.ImportedBy == u.ID}
		if page.Steward {
			page.Suppressed = suppressedCells(set.Result, lang)
			for _, pr := range set.Result.Problems {
				page.Problems = append(page.Problems, exports.ProblemText(pr, lang))
			}
		}
		return s.render(c, "set.html", set.Name, page)
	}
}

// suppressedCells lists every suppressed figure of a result with its
// reasons and audit interval, for the steward.
func suppressedCells(res *disclosure.Result, lang i18n.Lang) []suppressedCell {
	var out []suppressedCell
	add := func(where string, f disclosure.Figure) {
		if f.Status == disclosure.Published {
			return
		}
		sc := suppressedCell{Where: where, Status: f.Status, Audit: f.Audit}
		for _, r := range f.Reasons {
			sc.Reasons = append(sc.Reasons, exports.MessageText(r, lang))
		}
		out = append(out, sc)
	}
	rows := append([]disclosure.ClusterFigures{}, res.Clusters...)
	rows = append(rows, res.Population)
	for _, cf := range rows {
		name := cf.Label
		if cf.ID == disclosure.PopulationID {
			name = i18n.T(lang, "set.population")
		}
		if name == "" {
			name = cf.ID
		}
		add(name+" · "+i18n.T(lang, "set.size"), cf.Size)
		for vi, vf := range cf.Variables {
			v := res.Variables[vi]
			label := v.Label
			if label == "" {
				label = v.Name
			}
			for k, f := range vf.Counts {
				add(name+" · "+label+" · "+v.Categories[k], f)
			}
			if vf.Magnitude != nil {
				add(name+" · "+label, *vf.Magnitude)
			}
		}
	}
	return out
}

// handleSetDecision approves, rejects or withdraws a set. The store holds
// the four-eyes rule and the state machine; this only reads the form.
func (s *server) handleSetDecision(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, set, err := s.setContext(c)
		if err != nil {
			return err
		}
		u := userOf(c)
		reason := strings.Clone(c.FormValue("reason"))
		switch action {
		case "approve":
			err = s.deps.Profiles.Approve(c.UserContext(), set.ID, actorFor(u), reason)
		case "reject":
			err = s.deps.Profiles.Reject(c.UserContext(), set.ID, actorFor(u), reason)
		case "withdraw":
			err = s.deps.Profiles.Withdraw(c.UserContext(), set.ID, actorFor(u), reason)
		}
		result := "success"
		if err != nil {
			result = "refused"
		}
		s.log.Info("security", "action", "profiles."+action, "object", "set:"+itoa64(set.ID), "result", result, "origin", "web", "actor", actorOf(u))
		if err != nil {
			return err
		}
		return c.Redirect(mustURL("set", p.Slug, set.ID), fiber.StatusSeeOther)
	}
}
