// Package transparency holds what Atelier publishes about itself without a
// login: each project's entry in the Dutch Algoritmeregister, in the
// fields of its publication standard (version 1.0; docs/algoritmeregister.md
// lists them), as an administrator edited it, on top of what the project's
// settings already say.
package transparency

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"atelier/internal/apperr"
	"atelier/store"
)

// Link is one entry of the standard's link lists (lawful_basis_grouping,
// impacttoetsen_grouping, source_data_grouping).
type Link struct {
	Title string `json:"title"`
	Link  string `json:"link"`
}

// Entry is an Algoritmeregister entry. The JSON names are those of the
// publication standard 1.0 (MinBZK/Algoritmeregister,
// backend/app/schemas/config/v1_0.json); so is the order.
type Entry struct {
	Name                  string   `json:"name"`
	DescriptionShort      string   `json:"description_short"`
	Organization          string   `json:"organization"`
	Category              []string `json:"category"`
	Status                string   `json:"status"`
	BeginDate             string   `json:"begin_date"`
	EndDate               string   `json:"end_date"`
	ContactEmail          string   `json:"contact_email"`
	Website               string   `json:"website"`
	PublicationCategory   string   `json:"publication_category"`
	URL                   string   `json:"url"`
	Goal                  string   `json:"goal"`
	Proportionality       string   `json:"proportionality"`
	HumanIntervention     string   `json:"human_intervention"`
	Risks                 string   `json:"risks"`
	LawfulBasis           string   `json:"lawful_basis"`
	LawfulBasisGrouping   []Link   `json:"lawful_basis_grouping"`
	ProcessIndexURL       string   `json:"process_index_url"`
	ImpacttoetsenGrouping []Link   `json:"impacttoetsen_grouping"`
	Impacttoetsen         string   `json:"impacttoetsen"`
	SourceData            string   `json:"source_data"`
	SourceDataGrouping    []Link   `json:"source_data_grouping"`
	MethodsAndModels      string   `json:"methods_and_models"`
	Provider              string   `json:"provider"`
	Publiccode            string   `json:"publiccode"`
	Lang                  string   `json:"lang"`
	StandardVersion       string   `json:"standard_version"`
	SourceID              string   `json:"source_id"`
	Tags                  string   `json:"tags"`
}

// The standard's fixed values.
const (
	Lang            = "nld"
	StandardVersion = "1.0"
)

// Permitted values of the standard's choice fields.
var (
	Statuses              = []string{"In ontwikkeling", "In gebruik", "Buiten gebruik"}
	PublicationCategories = []string{"Hoog-risico AI-systeem", "Impactvolle algoritmes", "Overige algoritmes"}
	Categories            = []string{"Organisatie en bedrijfsvoering", "Cultuur en recreatie", "Economie", "Overheidsfinanciën", "Wonen",
		"Internationaal", "Migratie en integratie", "Natuur en milieu", "Onderwijs en wetenschap", "Openbare orde en veiligheid", "Recht",
		"Ruimte en infrastructuur", "Sociale zekerheid", "Verkeer", "Werk", "Zorg en gezondheid"}
)

// textField is a text field of the entry with the standard's maximum
// length; the edit form and Validate walk this one list.
type textField struct {
	Name string // the standard's name, also the form field's
	Max  int
	Long bool // a paragraph rather than a line
	get  func(*Entry) *string
}

// TextFields lists the entry's text fields an administrator edits, in the
// standard's order. Lang, standard_version, source_id and url are set by
// Atelier.
var TextFields = []textField{
	{"name", 100, false, func(e *Entry) *string { return &e.Name }},
	{"description_short", 400, true, func(e *Entry) *string { return &e.DescriptionShort }},
	{"organization", 100, false, func(e *Entry) *string { return &e.Organization }},
	{"begin_date", 7, false, func(e *Entry) *string { return &e.BeginDate }},
	{"end_date", 7, false, func(e *Entry) *string { return &e.EndDate }},
	{"contact_email", 500, false, func(e *Entry) *string { return &e.ContactEmail }},
	{"website", 500, false, func(e *Entry) *string { return &e.Website }},
	{"goal", 2500, true, func(e *Entry) *string { return &e.Goal }},
	{"proportionality", 2500, true, func(e *Entry) *string { return &e.Proportionality }},
	{"human_intervention", 2500, true, func(e *Entry) *string { return &e.HumanIntervention }},
	{"risks", 2500, true, func(e *Entry) *string { return &e.Risks }},
	{"lawful_basis", 2500, true, func(e *Entry) *string { return &e.LawfulBasis }},
	{"process_index_url", 500, false, func(e *Entry) *string { return &e.ProcessIndexURL }},
	{"impacttoetsen", 2500, true, func(e *Entry) *string { return &e.Impacttoetsen }},
	{"source_data", 2500, true, func(e *Entry) *string { return &e.SourceData }},
	{"methods_and_models", 5000, true, func(e *Entry) *string { return &e.MethodsAndModels }},
	{"provider", 200, false, func(e *Entry) *string { return &e.Provider }},
	{"publiccode", 500, false, func(e *Entry) *string { return &e.Publiccode }},
	{"tags", 2500, false, func(e *Entry) *string { return &e.Tags }},
}

// Get returns a pointer to the field's value in e.
func (f textField) Get(e *Entry) *string { return f.get(e) }

// LinkFields are the entry's link lists, in the standard's order.
var LinkFields = []struct {
	Name string
	Get  func(*Entry) *[]Link
}{
	{"lawful_basis_grouping", func(e *Entry) *[]Link { return &e.LawfulBasisGrouping }},
	{"impacttoetsen_grouping", func(e *Entry) *[]Link { return &e.ImpacttoetsenGrouping }},
	{"source_data_grouping", func(e *Entry) *[]Link { return &e.SourceDataGrouping }},
}

var (
	monthPattern = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)
	urlFields    = map[string]bool{"website": true, "process_index_url": true, "publiccode": true}
)

// Validate checks what an administrator filled in against the standard:
// lengths, choices, months as YYYY-MM, web addresses that start with
// https://, a contact that is an e-mail address or such a web address. A
// field left empty takes the default (Over). A refusal names the field.
func (e *Entry) Validate() error {
	for _, f := range TextFields {
		v := *f.get(e)
		if utf8.RuneCountInString(v) > f.Max {
			return apperr.New(apperr.Invalid, "algo.too_long", f.Name, f.Max)
		}
		switch {
		case v == "":
		case f.Name == "begin_date" || f.Name == "end_date":
			if !monthPattern.MatchString(v) {
				return apperr.New(apperr.Invalid, "algo.month", f.Name)
			}
		case urlFields[f.Name]:
			if !strings.HasPrefix(v, "https://") {
				return apperr.New(apperr.Invalid, "algo.url", f.Name)
			}
		case f.Name == "contact_email":
			if _, err := mail.ParseAddress(v); err != nil && !strings.HasPrefix(v, "https://") {
				return apperr.New(apperr.Invalid, "algo.contact", f.Name)
			}
		}
	}
	if e.Status != "" && !slices.Contains(Statuses, e.Status) {
		return apperr.New(apperr.Invalid, "algo.choice", "status")
	}
	if e.PublicationCategory != "" && !slices.Contains(PublicationCategories, e.PublicationCategory) {
		return apperr.New(apperr.Invalid, "algo.choice", "publication_category")
	}
	for _, c := range e.Category {
		if !slices.Contains(Categories, c) {
			return apperr.New(apperr.Invalid, "algo.choice", "category")
		}
	}
	for _, lf := range LinkFields {
		for _, l := range *lf.Get(e) {
			if l.Title == "" || utf8.RuneCountInString(l.Title) > 500 || !strings.HasPrefix(l.Link, "https://") || len(l.Link) > 500 {
				return apperr.New(apperr.Invalid, "algo.links", lf.Name)
			}
		}
	}
	return nil
}

// Publishable checks that an entry as published (after Over) has what
// the standard requires: a name, a short description, an organisation, a
// contact, a status and a publication category.
func (e *Entry) Publishable() error {
	for _, f := range []string{"name", "description_short", "organization", "contact_email"} {
		if v := *fieldByName(f).get(e); strings.TrimSpace(v) == "" {
			return apperr.New(apperr.Invalid, "algo.required", f)
		}
	}
	if e.Status == "" || e.PublicationCategory == "" {
		return apperr.New(apperr.Invalid, "algo.required", "status")
	}
	return e.Validate()
}

func fieldByName(name string) textField {
	for _, f := range TextFields {
		if f.Name == name {
			return f
		}
	}
	panic("transparency: no field " + name)
}

// Over fills every field left empty in e with the value in defaults, and
// sets the fields Atelier owns. It returns the entry as published.
func (e Entry) Over(defaults Entry) Entry {
	for _, f := range TextFields {
		if p := f.get(&e); strings.TrimSpace(*p) == "" {
			*p = *f.get(&defaults)
		}
	}
	if e.Status == "" {
		e.Status = defaults.Status
	}
	if e.PublicationCategory == "" {
		e.PublicationCategory = defaults.PublicationCategory
	}
	if len(e.Category) == 0 {
		e.Category = defaults.Category
	}
	for _, lf := range LinkFields {
		if p := lf.Get(&e); len(*p) == 0 {
			*p = *lf.Get(&defaults)
		}
		if *lf.Get(&e) == nil {
			*lf.Get(&e) = []Link{}
		}
	}
	if e.Category == nil {
		e.Category = []string{}
	}
	e.Lang, e.StandardVersion, e.SourceID, e.URL = Lang, StandardVersion, defaults.SourceID, defaults.URL
	return e
}

// Store keeps the entries an administrator edited.
type Store struct{ db *store.DB }

// NewStore returns a Store over db.
func NewStore(db *store.DB) *Store { return &Store{db: db} }

// Edited is an entry as an administrator saved it.
type Edited struct {
	Entry     Entry
	UpdatedAt time.Time
	UpdatedBy string
}

// Get returns the entry an administrator saved for the project, or nil
// when none was saved.
func (s *Store) Get(ctx context.Context, projectID int64) (*Edited, error) {
	var body string
	var at store.Time
	ed := &Edited{}
	err := s.db.Read.QueryRowContext(ctx, `SELECT entry, updated_at, updated_by FROM algorithm_entries WHERE project_id = ?`, projectID).
		Scan(&body, &at, &ed.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read algorithm entry: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &ed.Entry); err != nil {
		return nil, fmt.Errorf("decode algorithm entry: %w", err)
	}
	ed.UpdatedAt = at.Time
	return ed, nil
}

// Save stores the entry for the project after Validate, and audits it.
func (s *Store) Save(ctx context.Context, projectID int64, e Entry, actor, origin string) error {
	if err := e.Validate(); err != nil {
		return err
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO algorithm_entries (project_id, entry, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (project_id) DO UPDATE SET entry = excluded.entry, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			projectID, string(body), tx.Now, actor); err != nil {
			return fmt.Errorf("save algorithm entry: %w", err)
		}
		return store.Audit(ctx, tx, store.Event{Action: "algoritme.update", Object: fmt.Sprintf("project:%d", projectID),
			Result: "ok", Origin: origin, Actor: actor})
	})
}
