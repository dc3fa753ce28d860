package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"atelier/i18n"
	"atelier/store"
)

// fieldSpec is one row of the field table in docs/algoritmeregister.md.
type fieldSpec struct {
	name, kind string
	max        int
	required   bool
	values     []string
}

// readFieldList reads the field table of docs/algoritmeregister.md: the
// contract the JSON of an entry is checked against.
func readFieldList(t *testing.T) []fieldSpec {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "docs", "algoritmeregister.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var specs []fieldSpec
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) != 7 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		s := fieldSpec{name: strings.Trim(cells[1], "`"), kind: cells[2], required: cells[4] == "yes"}
		if cells[3] != "" {
			if s.max, err = strconv.Atoi(cells[3]); err != nil {
				t.Fatalf("field %s: max %q", s.name, cells[3])
			}
		}
		if cells[5] != "" {
			for _, v := range strings.Split(cells[5], ";") {
				s.values = append(s.values, strings.TrimSpace(v))
			}
		}
		specs = append(specs, s)
	}
	if len(specs) < 25 {
		t.Fatalf("read %d fields from docs/algoritmeregister.md; the table changed shape", len(specs))
	}
	return specs
}

// checkEntry checks an entry's JSON against the field list and returns
// what it found wrong.
func checkEntry(specs []fieldSpec, body []byte) []string {
	var entry map[string]any
	if err := json.Unmarshal(body, &entry); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var wrong []string
	seen := map[string]bool{}
	for _, s := range specs {
		seen[s.name] = true
		v, ok := entry[s.name]
		if !ok {
			wrong = append(wrong, s.name+": missing")
			continue
		}
		switch s.kind {
		case "string":
			str, ok := v.(string)
			switch {
			case !ok:
				wrong = append(wrong, fmt.Sprintf("%s: %T, want a string", s.name, v))
			case s.required && strings.TrimSpace(str) == "":
				wrong = append(wrong, s.name+": required, empty")
			case s.max > 0 && utf8.RuneCountInString(str) > s.max:
				wrong = append(wrong, fmt.Sprintf("%s: %d characters, max %d", s.name, utf8.RuneCountInString(str), s.max))
			case len(s.values) > 0 && str != "" && !slices.Contains(s.values, str):
				wrong = append(wrong, fmt.Sprintf("%s: %q is not a permitted value", s.name, str))
			}
		case "list of strings":
			list, ok := v.([]any)
			if !ok {
				wrong = append(wrong, fmt.Sprintf("%s: %T, want a list", s.name, v))
				continue
			}
			for _, x := range list {
				if str, ok := x.(string); !ok || (len(s.values) > 0 && !slices.Contains(s.values, str)) {
					wrong = append(wrong, fmt.Sprintf("%s: %v is not a permitted value", s.name, x))
				}
			}
		case "list of links":
			list, ok := v.([]any)
			if !ok {
				wrong = append(wrong, fmt.Sprintf("%s: %T, want a list", s.name, v))
				continue
			}
			for _, x := range list {
				l, ok := x.(map[string]any)
				if !ok || l["title"] == "" || !strings.HasPrefix(fmt.Sprint(l["link"]), "https://") || len(l) != 2 {
					wrong = append(wrong, fmt.Sprintf("%s: %v is not a link", s.name, x))
				}
			}
		default:
			wrong = append(wrong, s.name+": unknown type "+s.kind)
		}
	}
	for k := range entry {
		if !seen[k] {
			wrong = append(wrong, k+": not in the field list")
		}
	}
	return wrong
}

func withOrganisation(c *Config) {
	c.Organisation = "Gemeente Testdorp"
	c.PrivacyContact = "privacy@testdorp.example"
}

// TestAlgoritmeEntry: the entry answers without login, as a page and as
// JSON that validates against the documented field list, says that
// clusters never lead to decisions about individuals, and takes what an
// administrator fills in; what breaks the standard is refused and named.
func TestAlgoritmeEntry(t *testing.T) {
	ts := newTestServer(t, withOrganisation)
	specs := readFieldList(t)
	anon := ts.client(t)
	res, body := ts.get(t, anon, "/algoritme/test-project.json")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("JSON: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if wrong := checkEntry(specs, []byte(body)); len(wrong) > 0 {
		t.Fatalf("the default entry breaks the field list:\n%s", strings.Join(wrong, "\n"))
	}
	var entry map[string]any
	json.Unmarshal([]byte(body), &entry)
	statement := i18n.T(i18n.NL, "algo.no_individual_decisions")
	if !strings.HasPrefix(entry["human_intervention"].(string), statement) || entry["name"] != "Testproject" ||
		entry["organization"] != "Gemeente Testdorp" || entry["lang"] != "nld" || entry["source_id"] != "atelier:test-project" {
		t.Errorf("default entry: %s", body)
	}
	if u, _ := entry["url"].(string); !strings.HasSuffix(u, "/algoritme/test-project.json") {
		t.Errorf("url %q does not point at the entry", u)
	}
	for _, lang := range []string{"nl", "en"} {
		c := ts.client(t)
		ts.get(t, c, "/lang/"+lang+"?next=/")
		res, page := ts.get(t, c, "/algoritme/test-project")
		want := i18n.T(i18n.Parse(lang), "algo.no_individual_decisions")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, want) || !strings.Contains(page, `lang="`+lang+`"`) {
			t.Errorf("page in %s: %d, statement shown: %v", lang, res.StatusCode, strings.Contains(page, want))
		}
	}
	if res, _ := ts.get(t, anon, "/algoritme/no-such-project.json"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown project: %d", res.StatusCode)
	}

	// An administrator fills in fields; the JSON follows and still
	// validates, and the statement still opens human_intervention.
	admin := ts.client(t)
	ts.login(t, admin, "admin")
	form := url.Values{"_csrf": {ts.csrfFrom(t, admin, "/p/test-project/algoritme")}, "lawful_basis": {"Participatiewet, artikel 7."},
		"human_intervention": {"Facilitatoren lezen alles voor."}, "status": {"In ontwikkeling"}, "category": {"Sociale zekerheid", "Werk"},
		"lawful_basis_grouping": {"Participatiewet | https://wetten.overheid.nl/BWBR0015703\n"}, "begin_date": {"2025-09"}}
	if res := ts.postForm(t, admin, "/p/test-project/algoritme", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	_, body = ts.get(t, anon, "/algoritme/test-project.json")
	if wrong := checkEntry(specs, []byte(body)); len(wrong) > 0 {
		t.Fatalf("the edited entry breaks the field list:\n%s", strings.Join(wrong, "\n"))
	}
	json.Unmarshal([]byte(body), &entry)
	if entry["lawful_basis"] != "Participatiewet, artikel 7." || entry["status"] != "In ontwikkeling" ||
		entry["human_intervention"] != statement+"\n\nFacilitatoren lezen alles voor." || len(entry["category"].([]any)) != 2 {
		t.Errorf("edited entry: %s", body)
	}
	for _, bad := range []url.Values{
		{"begin_date": {"september"}},
		{"website": {"http://insecure.example"}},
		{"status": {"Misschien"}},
		{"name": {strings.Repeat("x", 101)}},
		{"source_data_grouping": {"zonder adres"}},
	} {
		bad.Set("_csrf", ts.csrfFrom(t, admin, "/p/test-project/algoritme"))
		if res := ts.postForm(t, admin, "/p/test-project/algoritme", bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: status %d, want 400", bad, res.StatusCode)
		}
	}
	recs, _ := ts.DB.AuditRecords(t.Context(), store.AuditFilter{Action: "algoritme.update"})
	if len(recs) != 1 || recs[0].Project != ts.Project.ID {
		t.Errorf("saves in the audit trail: %+v", recs)
	}
}

// TestPrivacyPage: generated from the settings, without login, linked
// from the landing page together with each project's entry.
func TestPrivacyPage(t *testing.T) {
	ts := newTestServer(t, withOrganisation)
	anon := ts.client(t)
	res, page := ts.get(t, anon, "/privacy")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("privacy: %d", res.StatusCode)
	}
	for _, want := range []string{"Gemeente Testdorp", "mailto:privacy@testdorp.example", "Testproject", "Testen van Atelier.",
		"730 dagen", "1.826 dagen", "2.557 dagen", i18n.T(i18n.NL, "privacypage.never_addresses")} {
		if !strings.Contains(page, want) {
			t.Errorf("the privacy page lacks %q", want)
		}
	}
	_, landing := ts.get(t, anon, "/")
	for _, link := range []string{`href="/privacy"`, `href="/algoritme/test-project"`} {
		if !strings.Contains(landing, link) {
			t.Errorf("the landing page lacks %s", link)
		}
	}
}
