package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestPrivacyCheckWarnsBeforeSending: the phone asks before sending whether
// a text looks like it holds personal data, and gets the same verdict the
// engine would apply, in the visitor's language; nothing of the text is
// logged.
func TestPrivacyCheckWarnsBeforeSending(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)

	var got struct {
		Removed []struct {
			Kind  string `json:"kind"`
			Count int    `json:"count"`
		} `json:"removed"`
		Names   []string `json:"names"`
		Message string   `json:"message"`
		Text    string   `json:"text"`
	}
	const text = "Bel Fatima op 06-12345678 of mail fatima@example.nl"
	if st := ts.postJSON(t, c, "/api/privacy-check", map[string]string{"text": text}, &got); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	kinds := map[string]int{}
	for _, r := range got.Removed {
		kinds[r.Kind] = r.Count
	}
	if kinds["phone"] != 1 || kinds["email"] != 1 || len(kinds) != 2 {
		t.Errorf("removed = %+v, want one phone number and one e-mail address", got.Removed)
	}
	if !strings.Contains(got.Message, "persoonsgegevens") || !strings.Contains(got.Message, "1 telefoonnummer") {
		t.Errorf("message = %q, want the Dutch warning naming what was found", got.Message)
	}
	if strings.Contains(got.Text, "06-12345678") || !strings.Contains(got.Text, "[telefoonnummer verwijderd]") {
		t.Errorf("preview = %q, want the number replaced", got.Text)
	}
	// A name is pointed out, never removed.
	if len(got.Names) != 1 || got.Names[0] != "Fatima" || !strings.Contains(got.Message, "Staat hier een naam in (Fatima)?") ||
		!strings.Contains(got.Text, "Bel Fatima op") {
		t.Errorf("names = %q, message %q, preview %q; want Fatima pointed out and kept", got.Names, got.Message, got.Text)
	}

	// Only a name: a warning about the name alone.
	if st := ts.postJSON(t, c, "/api/privacy-check", map[string]string{"text": "Gisteren sprak ik Jansen bij de school"}, &got); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	if len(got.Removed) != 0 || len(got.Names) != 1 || got.Names[0] != "Jansen" || strings.Contains(got.Message, "persoonsgegevens") {
		t.Errorf("a name alone: removed %+v, names %q, message %q", got.Removed, got.Names, got.Message)
	}

	// A harmless text: nothing found, no warning.
	got.Removed, got.Message = nil, "x"
	if st := ts.postJSON(t, c, "/api/privacy-check", map[string]string{"text": "Een vast aanspreekpunt op school"}, &got); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	if len(got.Removed) != 0 || len(got.Names) != 0 || got.Message != "" {
		t.Errorf("harmless text: removed %+v, names %q, message %q", got.Removed, got.Names, got.Message)
	}

	// Too large a body is refused before it is read as JSON.
	big := map[string]string{"text": strings.Repeat("a", 20<<10)}
	if st := ts.postJSON(t, c, "/api/privacy-check", big, nil); st != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: status %d, want 413", st)
	}
	if strings.Contains(ts.Logs.String(), "06-12345678") || strings.Contains(ts.Logs.String(), "fatima") {
		t.Error("the checked text reached the log")
	}
}
