package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/profiles"
)

// setContext loads the project and set of a request for its viewer. The
// store refuses what the viewer may not see, as not found. decided is for
// the steward's review page and decisions only: there a steward sees
// rejected and withdrawn sets too; cluster pages, comparisons and charts
// never ask for it, so a decided set's figures are drawn nowhere.
func (s *server) setContext(c *fiber.Ctx, decided bool) (*profiles.Project, *profiles.ProfileSet, error) {
	u := userOf(c)
	v := viewerOf(u)
	v.Decided = decided
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

type setPage struct {
	Project   *profiles.Project
	Set       *profiles.ProfileSet
	Steward   bool
	OwnImport bool
	// Figures: the set's figures may be shown (it is pending or
	// approved); a rejected or withdrawn set shows its decision only.
	Figures bool
	Review  *review // for a steward
	History []profiles.LabelRecord
	// A refused decision or label correction, shown on the page itself
	// beside the form, with what the steward typed kept.
	Error       string
	Reason      string
	LabelsError string
	Saved       bool
}

// handleSet shows a profile set: its provenance and clusters, and for a
// steward the review: summary, decision bar, every figure, labels.
func (s *server) handleSet() fiber.Handler {
	return func(c *fiber.Ctx) error {
		return s.renderSet(c, setPage{Saved: c.Query("saved") == "1"}, fiber.StatusOK)
	}
}

// renderSet loads the set of the request and renders its page with what
// page already holds (a refusal to show inline), under status.
func (s *server) renderSet(c *fiber.Ctx, page setPage, status int) error {
	p, set, err := s.setContext(c, true)
	if err != nil {
		return err
	}
	u := userOf(c)
	page.Project, page.Set = p, set
	page.Steward = p.Role == string(accounts.Steward)
	page.OwnImport = set.ImportedBy == u.ID
	page.Figures = set.State == profiles.Pending || set.State == profiles.Approved
	if page.Steward && page.Figures {
		v := view{Lang: langOf(c), static: s.static}
		page.Review = buildReview(set.Result, v)
		if page.History, err = s.deps.Profiles.LabelHistory(c.UserContext(), set.ID); err != nil {
			return err
		}
	}
	c.Status(status)
	return s.render(c, "set.html", set.Name, page)
}

// handleSetDecision approves, rejects or withdraws a set. The store holds
// the four-eyes rule and the state machine; this only reads the form. A
// refusal the steward can mend (a missing reason, say) is shown on the
// review page itself, never as an error page.
func (s *server) handleSetDecision(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, set, err := s.setContext(c, true)
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
			status := statusOf(err)
			if status >= 500 || status == fiber.StatusNotFound {
				return err
			}
			return s.renderSet(c, setPage{Error: messageOf(err, status, langOf(c)), Reason: reason}, status)
		}
		return c.Redirect(mustURL("set", p.Slug, set.ID), fiber.StatusSeeOther)
	}
}

// handleSetLabels corrects labels of a pending set: the form posts every
// label; the store keeps the ones that changed, with their old text, and
// audits the step. Figures are not in the form and cannot be changed.
func (s *server) handleSetLabels() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, set, err := s.setContext(c, true)
		if err != nil {
			return err
		}
		u := userOf(c)
		var changes []profiles.LabelChange
		field := func(kind profiles.LabelKind, index, category int, key string) {
			// A field left out of the form is no change; an emptied one
			// is refused by the store.
			if c.Request().PostArgs().Has(key) {
				changes = append(changes, profiles.LabelChange{Kind: kind, Index: index, Category: category, Label: strings.Clone(c.FormValue(key))})
			}
		}
		field(profiles.SetName, 0, 0, "name")
		for i := range set.Result.Clusters {
			field(profiles.ClusterLabel, i, 0, "cluster-"+strconv.Itoa(i))
		}
		for i, v := range set.Result.Variables {
			field(profiles.VariableLabel, i, 0, "variable-"+strconv.Itoa(i))
			for k := range v.Categories {
				field(profiles.CategoryLabel, i, k, "category-"+strconv.Itoa(i)+"-"+strconv.Itoa(k))
			}
		}
		n, err := s.deps.Profiles.Relabel(c.UserContext(), set.ID, actorFor(u), changes)
		result := "success"
		if err != nil {
			result = "refused"
		}
		s.log.Info("security", "action", "profiles.relabel", "object", "set:"+itoa64(set.ID), "result", result, "changed", n, "origin", "web", "actor", actorOf(u))
		if err != nil {
			status := statusOf(err)
			if status >= 500 || status == fiber.StatusNotFound {
				return err
			}
			return s.renderSet(c, setPage{LabelsError: messageOf(err, status, langOf(c))}, status)
		}
		return c.Redirect(mustURL("set", p.Slug, set.ID)+"?saved=1#labels", fiber.StatusSeeOther)
	}
}
