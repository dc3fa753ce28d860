package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/profiles"
)

// projectFormPage is the form for a new project and the project's
// settings (the Beheer tab).
type projectFormPage struct {
	Project *profiles.Project // nil for a new project
	Form    profiles.ProjectInput
	Error   string
	Saved   bool
	// MaxArchiveDays is the longest archive period: longer once the
	// archive was extended (handle_retention.go).
	MaxArchiveDays int
}

// handleProjectNew shows the form for a new project, with the default
// retention periods filled in.
func (s *server) handleProjectNew() fiber.Handler {
	return func(c *fiber.Ctx) error {
		return s.renderProjectForm(c, projectFormPage{Form: profiles.ProjectInput{
			NotesRetentionDays: profiles.DefaultNotesRetentionDays, ArchiveRetentionDays: profiles.DefaultArchiveRetentionDays}})
	}
}

func (s *server) renderProjectForm(c *fiber.Ctx, page projectFormPage) error {
	page.MaxArchiveDays = profiles.DefaultArchiveRetentionDays
	if page.Project != nil {
		most, err := s.deps.Profiles.MaxArchiveDays(c.UserContext(), page.Project.ID)
		if err != nil {
			return err
		}
		page.MaxArchiveDays = most
	}
	if page.Project == nil {
		return s.render(c, "project_edit.html", i18n.T(langOf(c), "projects.new"), page)
	}
	return s.render(c, "project_edit.html", i18n.T(langOf(c), "tabs.admin")+" · "+page.Project.Name, page)
}

// projectInput reads the project form. A period that is not a number
// becomes -1, which the store refuses with the allowed range.
func projectInput(c *fiber.Ctx) profiles.ProjectInput {
	days := func(field string) int {
		v := strings.TrimSpace(c.FormValue(field))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return -1
		}
		return n
	}
	return profiles.ProjectInput{Slug: strings.Clone(c.FormValue("slug")), Name: strings.Clone(c.FormValue("name")),
		Purpose: strings.Clone(c.FormValue("purpose")), NotesRetentionDays: days("notes_days"), ArchiveRetentionDays: days("archive_days")}
}

// formRefused shows a form again with why the store refused it; internal
// errors go to the error page.
func formRefused(c *fiber.Ctx, err error, show func(msg string) error) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	c.Status(status)
	return show(messageOf(err, status, langOf(c)))
}

// handleProjectCreate adds a project and goes on to its members: a project
// without members is one only administrators see.
func (s *server) handleProjectCreate() fiber.Handler {
	return func(c *fiber.Ctx) error {
		in := projectInput(c)
		u := userOf(c)
		p, err := s.deps.Profiles.AddProject(c.UserContext(), in, actorOf(u), "web")
		if err != nil {
			return formRefused(c, err, func(msg string) error {
				return s.renderProjectForm(c, projectFormPage{Form: in, Error: msg})
			})
		}
		s.log.Info("security", "action", "project.create", "object", "project:"+itoa64(p.ID), "result", "success", "origin", "web", "actor", actorOf(u))
		return c.Redirect(mustURL("members", p.Slug)+"?done=created", fiber.StatusSeeOther)
	}
}

// adminProject loads the project in the URL for an administrator.
func (s *server) adminProject(c *fiber.Ctx) (*profiles.Project, error) {
	return s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(userOf(c)), c.Params("project"))
}

func inputOf(p *profiles.Project) profiles.ProjectInput {
	return profiles.ProjectInput{Slug: p.Slug, Name: p.Name, Purpose: p.Purpose,
		NotesRetentionDays: p.NotesRetentionDays, ArchiveRetentionDays: p.ArchiveRetentionDays}
}

// handleProjectSettings shows a project's settings to an administrator.
func (s *server) handleProjectSettings() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.adminProject(c)
		if err != nil {
			return err
		}
		return s.renderProjectForm(c, projectFormPage{Project: p, Form: inputOf(p), Saved: c.Query("done") == "saved"})
	}
}

// handleProjectUpdate saves a project's settings.
func (s *server) handleProjectUpdate() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.adminProject(c)
		if err != nil {
			return err
		}
		in := projectInput(c)
		if err := s.deps.Profiles.UpdateProject(c.UserContext(), p.ID, in, actorOf(userOf(c)), "web"); err != nil {
			return formRefused(c, err, func(msg string) error {
				return s.renderProjectForm(c, projectFormPage{Project: p, Form: in, Error: msg})
			})
		}
		return c.Redirect(mustURL("project.settings", strings.TrimSpace(in.Slug))+"?done=saved", fiber.StatusSeeOther)
	}
}

// handleProjectArchive archives a project (archived=1) or makes it active
// again (archived=0).
func (s *server) handleProjectArchive() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.adminProject(c)
		if err != nil {
			return err
		}
		archive := c.FormValue("archived") != "0"
		if err := s.deps.Profiles.SetArchived(c.UserContext(), p.ID, archive, actorOf(userOf(c)), "web"); err != nil {
			return err
		}
		return c.Redirect(mustURL("project.settings", p.Slug)+"?done=saved", fiber.StatusSeeOther)
	}
}

// membersPage lists a project's members, each with the roles their account
// allows, and the accounts that could be added.
type membersPage struct {
	Project    *profiles.Project
	Members    []memberRow
	Candidates []accounts.User
	Admins     int
	Notice     string
	Error      string
}

type memberRow struct {
	profiles.Member
	Roles []string
}

// handleMembers shows a project's members to an administrator.
func (s *server) handleMembers() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.adminProject(c)
		if err != nil {
			return err
		}
		notice := ""
		if done := c.Query("done"); done != "" && i18n.Has("members.done."+done) {
			notice = i18n.T(langOf(c), "members.done."+done)
		}
		return s.renderMembers(c, p, notice, "")
	}
}

func (s *server) renderMembers(c *fiber.Ctx, p *profiles.Project, notice, errText string) error {
	members, err := s.deps.Profiles.Members(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	users, err := s.deps.Accounts.Users(c.UserContext())
	if err != nil {
		return err
	}
	page := membersPage{Project: p, Notice: notice, Error: errText}
	in := map[int64]bool{}
	for _, m := range members {
		in[m.UserID] = true
		page.Members = append(page.Members, memberRow{Member: m, Roles: profiles.MemberRoles(m.AccountRole)})
	}
	for _, u := range users {
		switch {
		case u.Role == accounts.Admin:
			page.Admins++
		case !in[u.ID] && !u.Disabled:
			page.Candidates = append(page.Candidates, u)
		}
	}
	return s.render(c, "project_members.html", i18n.T(langOf(c), "members.title")+" · "+p.Name, page)
}

// memberChange runs a change to a project's membership and returns to the
// members page, with the reason when the store refused it.
func (s *server) memberChange(c *fiber.Ctx, done string, change func(p *profiles.Project, actor string) error) error {
	p, err := s.adminProject(c)
	if err != nil {
		return err
	}
	if err := change(p, actorOf(userOf(c))); err != nil {
		return formRefused(c, err, func(msg string) error { return s.renderMembers(c, p, "", msg) })
	}
	return c.Redirect(mustURL("members", p.Slug)+"?done="+done, fiber.StatusSeeOther)
}

// handleMemberAdd adds an account to a project, in its own role or to read.
func (s *server) handleMemberAdd() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, _ := strconv.ParseInt(c.FormValue("user"), 10, 64)
		role := strings.Clone(c.FormValue("role"))
		return s.memberChange(c, "added", func(p *profiles.Project, actor string) error {
			return s.deps.Profiles.SetMember(c.UserContext(), p.ID, id, role, actor, "web")
		})
	}
}

// handleMemberRole changes a member's role in the project.
func (s *server) handleMemberRole() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "user")
		if err != nil {
			return err
		}
		role := strings.Clone(c.FormValue("role"))
		return s.memberChange(c, "changed", func(p *profiles.Project, actor string) error {
			if !s.isMember(c, p.ID, id) {
				return fiber.ErrNotFound
			}
			return s.deps.Profiles.SetMember(c.UserContext(), p.ID, id, role, actor, "web")
		})
	}
}

// handleMemberRemove takes a member's access to the project away.
func (s *server) handleMemberRemove() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "user")
		if err != nil {
			return err
		}
		return s.memberChange(c, "removed", func(p *profiles.Project, actor string) error {
			return s.deps.Profiles.RemoveMember(c.UserContext(), p.ID, id, actor, "web")
		})
	}
}

// isMember reports whether an account is a member: changing the role of a
// non-member must not add it by the back door.
func (s *server) isMember(c *fiber.Ctx, projectID, userID int64) bool {
	members, err := s.deps.Profiles.Members(c.UserContext(), projectID)
	if err != nil {
		return false
	}
	for _, m := range members {
		if m.UserID == userID {
			return true
		}
	}
	return false
}
