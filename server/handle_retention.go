package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/profiles"
	"atelier/retention"
)

// retentionOverview is the project page's block "when is what deleted"
// (part_retention.html): per kind of material its period and its next
// deletion, and for an administrator the way to extend the archive.
type retentionOverview struct {
	Project   *profiles.Project
	Next      []retention.Next
	Extension *retention.Extension
	Admin     bool
	Now       time.Time
}

// Overdue reports whether a deletion date has passed: the next run of the
// daily job deletes it.
func (o *retentionOverview) Overdue(t time.Time) bool { return !t.IsZero() && !t.After(o.Now) }

func (s *server) retentionOverview(ctx context.Context, p *profiles.Project, u *accounts.User) (*retentionOverview, error) {
	next, err := retention.Schedule(ctx, s.deps.DB, p.ID)
	if err != nil {
		return nil, err
	}
	x, err := retention.ExtensionOf(ctx, s.deps.DB, p.ID)
	if err != nil {
		return nil, err
	}
	return &retentionOverview{Project: p, Next: next, Extension: x, Admin: u != nil && u.Role == accounts.Admin, Now: s.deps.DB.Now().Time}, nil
}

type extendPage struct {
	Project   *profiles.Project
	Extension *retention.Extension
	Years     int
	Reason    string
	Error     string
	Min, Max  int
}

// handleRetentionExtend shows an administrator the form that keeps a
// project's archive five years longer, once, for a reason.
func (s *server) handleRetentionExtend() fiber.Handler {
	return func(c *fiber.Ctx) error { return s.renderExtend(c, "", "") }
}

func (s *server) renderExtend(c *fiber.Ctx, reason, failure string) error {
	p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(userOf(c)), c.Params("project"))
	if err != nil {
		return err
	}
	x, err := retention.ExtensionOf(c.UserContext(), s.deps.DB, p.ID)
	if err != nil {
		return err
	}
	if failure != "" {
		c.Status(fiber.StatusBadRequest)
	}
	return s.render(c, "retention_extend.html", i18n.T(langOf(c), "retention.extend_title", p.Name), extendPage{Project: p, Extension: x,
		Years: retention.ExtensionDays / 365, Reason: reason, Error: failure, Min: retention.MinReason, Max: retention.MaxReason})
}

// handleRetentionExtendSave extends the archive and goes back to the
// project page, where the overview shows the new dates.
func (s *server) handleRetentionExtendSave() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), c.Params("project"))
		if err != nil {
			return err
		}
		reason := string(append([]byte(nil), c.FormValue("reason")...))
		if err := retention.ExtendArchive(c.UserContext(), s.deps.DB, p.ID, reason, actorOf(u), "web"); err != nil {
			if st := statusOf(err); st < 500 {
				return s.renderExtend(c, reason, messageOf(err, st, langOf(c)))
			}
			return err
		}
		s.log.Info("security", "action", "retention.extend", "object", "project:"+itoa64(p.ID), "result", "success", "origin", "web", "actor", actorOf(u))
		return c.Redirect(mustURL("project", p.Slug)+"#retention-title", fiber.StatusSeeOther)
	}
}
