package server

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/i18n"
	"atelier/internal/apperr"
	"atelier/profiles"
	"atelier/transparency"
)

// The public transparency pages (issue 14): per project an entry in the
// Algoritmeregister's publication standard, as a page and as JSON, and a
// privacy page generated from the projects' settings. No login: anyone
// may read them.

// contact is an e-mail address or a web address, with the link to it.
type contact struct {
	Text string
	Href string
}

func contactOf(s string) contact {
	s = strings.TrimSpace(strings.TrimPrefix(s, "mailto:"))
	switch {
	case s == "":
		return contact{}
	case strings.HasPrefix(s, "https://"):
		return contact{Text: s, Href: s}
	}
	if a, err := mail.ParseAddress(s); err == nil {
		return contact{Text: a.Address, Href: "mailto:" + a.Address}
	}
	return contact{Text: s}
}

// instanceContact is where people ask about their data: the privacy
// contact, else the security contact.
func (s *server) instanceContact() contact {
	if c := contactOf(s.cfg.PrivacyContact); c.Text != "" {
		return c
	}
	return contactOf(s.cfg.SecurityContact)
}

// algoDefaults is what a project's entry says before an administrator
// edits it: the project's settings, and Atelier's own description of what
// it does, in lang.
func (s *server) algoDefaults(lang i18n.Lang, p *profiles.Project, base string) transparency.Entry {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	purpose := p.Purpose
	if utf8.RuneCountInString(purpose) > 400 {
		purpose = string([]rune(purpose)[:399]) + "…"
	}
	return transparency.Entry{
		Name: p.Name, DescriptionShort: purpose, Organization: s.cfg.Organisation, Category: []string{"Sociale zekerheid"},
		Status: "In gebruik", BeginDate: p.CreatedAt.UTC().Format("2006-01"), ContactEmail: s.instanceContact().Text,
		PublicationCategory: "Overige algoritmes", URL: base + mustURL("algoritme", p.Slug+".json"),
		Goal: t("algo.default.goal", p.Purpose), Proportionality: t("algo.default.proportionality"),
		HumanIntervention: t("algo.default.human"), Risks: t("algo.default.risks", p.NotesRetentionDays, p.ArchiveRetentionDays),
		SourceData: t("algo.default.source_data"), MethodsAndModels: t("algo.default.methods", p.Rules.MinFrequency),
		Provider: t("algo.default.provider"), Tags: t("algo.default.tags"), SourceID: "atelier:" + p.Slug,
	}
}

// publishedEntry is a project's entry as published in lang: what an
// administrator saved over the defaults, and always, first in the human
// intervention field, that clusters never lead to decisions about
// individuals.
func (s *server) publishedEntry(ctx context.Context, lang i18n.Lang, p *profiles.Project, base string) (transparency.Entry, *transparency.Edited, error) {
	edited, err := transparency.NewStore(s.deps.DB).Get(ctx, p.ID)
	if err != nil {
		return transparency.Entry{}, nil, err
	}
	var raw transparency.Entry
	if edited != nil {
		raw = edited.Entry
	}
	return s.publish(lang, raw, p, base), edited, nil
}

func (s *server) publish(lang i18n.Lang, raw transparency.Entry, p *profiles.Project, base string) transparency.Entry {
	e := raw.Over(s.algoDefaults(lang, p, base))
	e.HumanIntervention = i18n.T(lang, "algo.no_individual_decisions") + "\n\n" + e.HumanIntervention
	return e
}

// projectBySlug finds a project for a public page; a project that does not
// exist is a plain 404.
func (s *server) projectBySlug(c *fiber.Ctx, slug string) (*profiles.Project, error) {
	p, err := s.deps.Profiles.ProjectBySlug(c.UserContext(), slug)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, apperr.New(apperr.NotFound, "sets.not_found")
	}
	return p, nil
}

type algoPage struct {
	Project *profiles.Project
	Entry   transparency.Entry
	Fields  []algoField
	Edited  *transparency.Edited
	JSON    string
	Admin   bool
}

// algoField is one field of the entry as the page shows it: a paragraph
// of its own, or a short fact, with a link when it is an address.
type algoField struct {
	Name, Value string
	Long        bool
	Href        string
}

// handleAlgoritme is a project's Algoritmeregister entry: a page, or with
// ".json" after the project, the entry in the standard's JSON (always in
// Dutch, as the register asks: lang "nld").
func (s *server) handleAlgoritme() fiber.Handler {
	return func(c *fiber.Ctx) error {
		slug, asJSON := strings.CutSuffix(c.Params("project"), ".json")
		p, err := s.projectBySlug(c, slug)
		if err != nil {
			return err
		}
		lang := langOf(c)
		if asJSON {
			lang = i18n.NL
		}
		e, edited, err := s.publishedEntry(c.UserContext(), lang, p, c.BaseURL())
		if err != nil {
			return err
		}
		if asJSON {
			return c.JSON(e)
		}
		page := algoPage{Project: p, Entry: e, Edited: edited, JSON: mustURL("algoritme", p.Slug+".json")}
		page.Admin = userOf(c) != nil && userOf(c).Role == accounts.Admin
		for _, f := range transparency.TextFields {
			switch f.Name {
			case "name", "description_short", "organization":
				continue // the page's title, lead and facts
			}
			af := algoField{Name: f.Name, Value: *f.Get(&e), Long: f.Long}
			if strings.HasPrefix(af.Value, "https://") {
				af.Href = af.Value
			} else if f.Name == "contact_email" {
				af.Href = contactOf(af.Value).Href
			}
			page.Fields = append(page.Fields, af)
		}
		return s.render(c, "algoritme.html", i18n.T(lang, "algo.title", p.Name), page)
	}
}

type algoEditPage struct {
	Project    *profiles.Project
	Raw        transparency.Entry // what the administrator saved
	Defaults   transparency.Entry // what an empty field publishes
	Fields     []algoEditField
	Links      []algoEditField
	Statuses   []string
	PubCats    []string
	Categories []string
	Error      string
}

type algoEditField struct {
	Name, Value, Default string
	Max                  int
	Long                 bool
}

// handleAlgoritmeEdit shows an administrator the form for a project's
// entry: every field of the standard, empty where the default applies.
func (s *server) handleAlgoritmeEdit() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(userOf(c)), c.Params("project"))
		if err != nil {
			return err
		}
		edited, err := transparency.NewStore(s.deps.DB).Get(c.UserContext(), p.ID)
		if err != nil {
			return err
		}
		var raw transparency.Entry
		if edited != nil {
			raw = edited.Entry
		}
		return s.renderAlgoEdit(c, p, raw, "")
	}
}

func (s *server) renderAlgoEdit(c *fiber.Ctx, p *profiles.Project, raw transparency.Entry, failure string) error {
	lang := langOf(c)
	def := s.algoDefaults(i18n.NL, p, c.BaseURL())
	page := algoEditPage{Project: p, Raw: raw, Defaults: def, Statuses: transparency.Statuses,
		PubCats: transparency.PublicationCategories, Categories: transparency.Categories, Error: failure}
	for _, f := range transparency.TextFields {
		page.Fields = append(page.Fields, algoEditField{Name: f.Name, Value: *f.Get(&raw), Default: *f.Get(&def), Max: f.Max, Long: f.Long})
	}
	for _, lf := range transparency.LinkFields {
		page.Links = append(page.Links, algoEditField{Name: lf.Name, Value: linesOf(*lf.Get(&raw)), Long: true})
	}
	if failure != "" {
		c.Status(fiber.StatusBadRequest)
	}
	return s.render(c, "algoritme_edit.html", i18n.T(lang, "algo.edit_title", p.Name), page)
}

// linesOf writes links as the form's text: "title | https://..." a line.
func linesOf(links []transparency.Link) string {
	var b strings.Builder
	for _, l := range links {
		b.WriteString(l.Title + " | " + l.Link + "\n")
	}
	return b.String()
}

// linksOf reads the form's text back; a line without " | " is a link
// without a title, which Validate refuses.
func linksOf(text string) []transparency.Link {
	var out []transparency.Link
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		title, link, _ := strings.Cut(line, "|")
		out = append(out, transparency.Link{Title: strings.TrimSpace(title), Link: strings.TrimSpace(link)})
	}
	return out
}

// handleAlgoritmeSave stores what an administrator filled in, after
// checking it against the standard as it would be published.
func (s *server) handleAlgoritmeSave() fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := userOf(c)
		p, err := s.deps.Profiles.ProjectFor(c.UserContext(), viewerOf(u), c.Params("project"))
		if err != nil {
			return err
		}
		var raw transparency.Entry
		for _, f := range transparency.TextFields {
			*f.Get(&raw) = strings.TrimSpace(strings.ReplaceAll(c.FormValue(f.Name), "\r\n", "\n"))
		}
		for _, lf := range transparency.LinkFields {
			*lf.Get(&raw) = linksOf(c.FormValue(lf.Name))
		}
		raw.Status = strings.Clone(c.FormValue("status"))
		raw.PublicationCategory = strings.Clone(c.FormValue("publication_category"))
		for _, v := range c.Context().PostArgs().PeekMulti("category") {
			raw.Category = append(raw.Category, string(v))
		}
		lang := langOf(c)
		published := s.publish(i18n.NL, raw, p, c.BaseURL())
		check := raw.Validate()
		if check == nil {
			check = published.Publishable()
		}
		if check != nil {
			if statusOf(check) >= 500 {
				return check
			}
			return s.renderAlgoEdit(c, p, raw, messageOf(check, 400, lang))
		}
		if err := transparency.NewStore(s.deps.DB).Save(c.UserContext(), p.ID, raw, actorOf(u), "web"); err != nil {
			return err
		}
		return c.Redirect(mustURL("algoritme", p.Slug), fiber.StatusSeeOther)
	}
}

type privacyPage struct {
	Organisation string
	Contact      contact
	AuditDays    int
	Projects     []privacyProject
	LoginHours   int
}

type privacyProject struct {
	Project profiles.Project
	Contact contact
}

// handlePrivacy is the privacy statement, generated from the settings:
// what Atelier stores, what it never stores, how long, and whom to ask.
func (s *server) handlePrivacy() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		projects, err := s.deps.Profiles.ProjectsFor(ctx, 0, true)
		if err != nil {
			return err
		}
		days, err := s.deps.DB.AuditRetentionDays(ctx)
		if err != nil {
			return err
		}
		page := privacyPage{Organisation: s.cfg.Organisation, Contact: s.instanceContact(), AuditDays: days,
			LoginHours: int(accounts.SessionLifetime.Hours())}
		entries := transparency.NewStore(s.deps.DB)
		for _, p := range projects {
			pp := privacyProject{Project: p, Contact: page.Contact}
			if edited, err := entries.Get(ctx, p.ID); err != nil {
				return err
			} else if edited != nil && edited.Entry.ContactEmail != "" {
				pp.Contact = contactOf(edited.Entry.ContactEmail)
			}
			page.Projects = append(page.Projects, pp)
		}
		return s.render(c, "privacy.html", i18n.T(langOf(c), "privacypage.title"), page)
	}
}
