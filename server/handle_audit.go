package server

import (
	"bufio"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/i18n"
	"atelier/profiles"
	"atelier/store"
)

// auditHealth adds the audit trail's last verification to a /healthz
// answer. A broken or unreadable trail makes the status "degraded" but the
// answer stays 200: the server works, and an operator's monitor reads the
// fields.
func auditHealth(m fiber.Map, h *AuditHealth) {
	checked, st, failed := h.Snapshot()
	switch {
	case checked.IsZero():
		m["audit"] = "unchecked"
	case failed:
		m["audit"], m["status"] = "unreadable", "degraded"
	case !st.OK():
		m["audit"], m["status"] = "broken", "degraded"
		m["audit_break"] = fiber.Map{"record": st.Break.ID, "kind": st.Break.Kind}
	default:
		m["audit"] = "verified"
	}
	if !checked.IsZero() {
		m["audit_checked"] = checked.UTC().Format(time.RFC3339)
	}
}

// auditPageSize is how many records the audit page shows at once.
const auditPageSize = 100

// auditQuery is the audit page's filter as the URL holds it.
type auditQuery struct {
	Actor, Action, Project, From, To string
	Before                           int64
}

func auditQueryOf(c *fiber.Ctx) auditQuery {
	q := auditQuery{Actor: strings.Clone(c.Query("actor")), Action: strings.Clone(c.Query("action")),
		Project: strings.Clone(c.Query("project")), From: strings.Clone(c.Query("from")), To: strings.Clone(c.Query("to"))}
	q.Before, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	return q
}

// filter turns the query into the store's filter; dates are whole days in
// UTC, "to" included.
func (q auditQuery) filter(projects []profiles.Project) store.AuditFilter {
	f := store.AuditFilter{Actor: q.Actor, Action: q.Action, Before: q.Before}
	for _, p := range projects {
		if p.Slug == q.Project {
			f.Project = p.ID
		}
	}
	if q.Project != "" && f.Project == 0 {
		f.Project = -1 // a project that does not exist: nothing
	}
	if d, err := time.Parse(time.DateOnly, q.From); err == nil {
		f.From = d
	}
	if d, err := time.Parse(time.DateOnly, q.To); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	return f
}

// values is the query as URL parameters, for the export and paging links.
func (q auditQuery) values(before int64) string {
	v := url.Values{}
	for k, s := range map[string]string{"actor": q.Actor, "action": q.Action, "project": q.Project, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if before != 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	return v.Encode()
}

type auditRow struct {
	store.Event
	ProjectName string
}

type auditPage struct {
	Query         auditQuery
	Records       []auditRow
	Older         string // the link to the next, older page; empty on the last
	Export        string
	Actors        []string
	Actions       []string
	Projects      []profiles.Project
	Checked       time.Time
	Status        store.ChainStatus
	Unreadable    bool
	RetentionDays int
	Error         string
}

// handleAudit lists and filters the audit trail for an administrator:
// who, what, which project, which period.
func (s *server) handleAudit() fiber.Handler {
	return func(c *fiber.Ctx) error { return s.renderAudit(c, "") }
}

func (s *server) renderAudit(c *fiber.Ctx, failure string) error {
	ctx := c.UserContext()
	projects, err := s.deps.Profiles.ProjectsFor(ctx, 0, true)
	if err != nil {
		return err
	}
	page := auditPage{Query: auditQueryOf(c), Projects: projects, Error: failure}
	f := page.Query.filter(projects)
	f.Limit = auditPageSize
	records, err := s.deps.DB.AuditRecords(ctx, f)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, p := range projects {
		names[p.ID] = p.Name
	}
	for _, r := range records {
		page.Records = append(page.Records, auditRow{Event: r, ProjectName: names[r.Project]})
	}
	if len(records) == auditPageSize {
		page.Older = mustURL("audit") + "?" + page.Query.values(records[len(records)-1].ID)
	}
	page.Export = mustURL("audit.export") + "?" + page.Query.values(0)
	if page.Actors, err = s.deps.DB.AuditValues(ctx, "actor"); err != nil {
		return err
	}
	if page.Actions, err = s.deps.DB.AuditValues(ctx, "action"); err != nil {
		return err
	}
	if page.RetentionDays, err = s.deps.DB.AuditRetentionDays(ctx); err != nil {
		return err
	}
	if s.deps.Audit != nil {
		page.Checked, page.Status, page.Unreadable = s.deps.Audit.Snapshot()
	}
	if failure != "" {
		c.Status(fiber.StatusBadRequest)
	}
	return s.render(c, "audit.html", i18n.T(langOf(c), "audit.title"), page)
}

// handleAuditRetention sets how long the audit trail keeps its records.
func (s *server) handleAuditRetention() fiber.Handler {
	return func(c *fiber.Ctx) error {
		days, err := strconv.Atoi(strings.TrimSpace(c.FormValue("days")))
		if err != nil {
			return s.renderAudit(c, i18n.T(langOf(c), "audit.retention_range", store.MinAuditRetentionDays, store.MaxAuditRetentionDays))
		}
		u := userOf(c)
		if err := s.deps.DB.SetAuditRetentionDays(c.UserContext(), days, actorOf(u), "web"); err != nil {
			if statusOf(err) < 500 {
				return s.renderAudit(c, messageOf(err, 400, langOf(c)))
			}
			return err
		}
		return c.Redirect(mustURL("audit"), fiber.StatusSeeOther)
	}
}

// handleAuditExport downloads the records the page's filter selects as
// JSON lines, oldest first, the format `atelier audit export` writes. The
// export is itself audited.
func (s *server) handleAuditExport() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		projects, err := s.deps.Profiles.ProjectsFor(ctx, 0, true)
		if err != nil {
			return err
		}
		q := auditQueryOf(c)
		f := q.filter(projects)
		f.Before = 0
		var buf strings.Builder
		w := bufio.NewWriter(&buf)
		n, err := s.deps.DB.ExportAudit(ctx, w, f)
		if err != nil {
			return err
		}
		w.Flush()
		if err := store.Audit(ctx, s.deps.DB.Write, store.Event{Action: "audit.export", Object: "audit_log", Result: fmt.Sprintf("exported %d", n),
			Origin: "web", Actor: actorOf(userOf(c)), Reason: q.values(0)}); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/x-ndjson; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="atelier-audit.jsonl"`)
		return c.SendString(buf.String())
	}
}
