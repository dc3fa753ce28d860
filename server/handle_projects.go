package server

import (
	"io"
	"mime/multipart"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/disclosure"
	"atelier/exports"
	"atelier/i18n"
	"atelier/profiles"
)

// viewerOf tells the profiles store who is asking. The store applies the
// rules (approved sets only unless a steward; own projects only unless an
// administrator); handlers never filter by themselves.
func viewerOf(u *accounts.User) profiles.Viewer {
	return profiles.Viewer{UserID: u.ID, Reviewer: u.Role == accounts.Steward, AllProjects: u.Role == accounts.Admin}
}

func actorFor(u *accounts.User) profiles.Actor {
	return profiles.Actor{UserID: u.ID, Name: actorOf(u), Origin: "web"}
}

type projectPage struct {
	Project   *profiles.Project
	Sets      []profiles.ProfileSet
	Steward   bool
	Retention *retentionOverview // when what is deleted (handle_retention.go)
}

// handleProject lists a project's profile sets: approved ones for everyone,
// every state for stewards.
func (s *server) handleProject() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), c.Params("project"))
		if err != nil {
			return err
		}
		// The project's list is the stewards' review list: decided sets
		// are listed there (and nowhere else) with their state.
		v := viewerOf(u)
		v.Decided = true
		sets, err := s.deps.Profiles.Sets(c.UserContext(), v, p.ID)
		if err != nil {
			return err
		}
		ret, err := s.retentionOverview(c.UserContext(), p, u)
		if err != nil {
			return err
		}
		return s.render(c, "project.html", p.Name, projectPage{Project: p, Sets: sets, Steward: p.Role == string(accounts.Steward) && !p.Archived(), Retention: ret})
	}
}

type importPage struct {
	Project *profiles.Project
	Error   string
}

// handleImportForm shows the upload form to a steward.
func (s *server) handleImportForm() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), c.Params("project"))
		if err != nil {
			return err
		}
		return s.render(c, "import.html", i18n.T(langOf(c), "import.title"), importPage{Project: p})
	}
}

// maxExportSize bounds an uploaded export; the body limit of the app is
// the outer bound.
const maxExportSize = 8 << 20

// handleImport reads an uploaded export, re-runs every check on it and
// stores it as a pending set. A file that does not parse is rejected whole,
// with the line and column at fault, and nothing is stored.
func (s *server) handleImport() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		lang := langOf(c)
		p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), c.Params("project"))
		if err != nil {
			return err
		}
		fail := func(status int, msg string) error {
			c.Status(status)
			return s.render(c, "import.html", i18n.T(lang, "import.title"), importPage{Project: p, Error: msg})
		}
		fh, err := c.FormFile("export")
		if err != nil {
			return fail(fiber.StatusBadRequest, i18n.T(lang, "sets.no_file"))
		}
		name, body, err := readUpload(fh)
		if err != nil {
			return fail(fiber.StatusBadRequest, i18n.T(lang, "sets.bad_upload"))
		}
		var meta []byte
		if mh, merr := c.FormFile("meta"); merr == nil {
			if _, meta, err = readUpload(mh); err != nil {
				return fail(fiber.StatusBadRequest, i18n.T(lang, "sets.bad_upload"))
			}
		}
		export, err := exports.ReadExport(name, body, meta)
		// A file the reader or the check refuses is shown to the steward
		// with its place and reason; anything else is an internal error.
		rejected := func(err error) error {
			if statusOf(err) < 500 {
				return fail(fiber.StatusUnprocessableEntity, i18n.T(lang, "import.failed")+" "+messageOf(err, 400, lang))
			}
			return err
		}
		if err != nil {
			return rejected(err)
		}
		// A name typed at import wins over the meta file's and the file
		// name; the store bounds it.
		if typed := strings.TrimSpace(c.FormValue("name")); typed != "" {
			export.Name = strings.Clone(typed)
		}
		res, err := disclosure.Check(export, p.Rules)
		if err != nil {
			return rejected(err)
		}
		set, err := s.deps.Profiles.Import(c.UserContext(), p.ID, res, actorFor(u))
		if err != nil {
			return rejected(err)
		}
		s.log.Info("security", "action", "profiles.import", "object", "set:"+itoa64(set.ID), "result", "pending", "origin", "web", "actor", actorOf(u))
		return c.Redirect(mustURL("set", p.Slug, set.ID), fiber.StatusSeeOther)
	}
}

// readUpload returns an uploaded file's base name and content, refusing
// files over maxExportSize.
func readUpload(fh *multipart.FileHeader) (string, []byte, error) {
	if fh.Size > maxExportSize {
		return "", nil, fiber.ErrRequestEntityTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxExportSize+1))
	if err != nil || len(body) > maxExportSize {
		return "", nil, fiber.ErrRequestEntityTooLarge
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	if len(name) > 120 {
		name = name[:120]
	}
	return name, body, nil
}

// paramID parses a numeric route parameter; anything else is not found.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}
