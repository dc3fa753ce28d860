package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atelier/accounts"
)

// TestInvalidTextRefused: NUL and other control characters, invalid UTF-8
// and what a JSON decoder makes of it (an escaped lone surrogate) are
// refused in every free text, over the websocket and over HTTP, with a
// message that says what is wrong, and nothing of it is stored.
func TestInvalidTextRefused(t *testing.T) {
	ts := newTestServer(t)
	fac := ts.client(t)
	ts.login(t, fac, accounts.Facilitator)
	id, code := ts.openTestSession(t, fac)
	parent := ts.joinAs(t, code, "parent")

	// The websocket: a note and a theme title with a control character,
	// and a note with an escaped lone surrogate (valid UTF-8 on the wire).
	a := ts.dialLive(t, parent, id, 0)
	a.until("synced")
	wall := ts.dialLive(t, fac, id, 0)
	wall.until("synced")
	a.note("nul", "B", "zorg", "Een notitie met NUL\x00erin")
	a.note("bel", "B", "zorg", "Een notitie met een bel\a")
	// Written by hand: encoding/json would not write a lone surrogate.
	if err := a.SendFrame("surrogate",
		[]byte(`{"type":"op","op_id":"surrogate","op":"note.create","data":{"cluster":"B","kind":"zorg","text":"Een notitie met \ud800 erin"}}`)); err != nil {
		t.Fatal(err)
	}
	wall.op("theme", "theme.create", map[string]string{"cluster": "B", "title": "Thema\x1b[31m"})
	for _, c := range []struct {
		lc   *liveClient
		opID string
	}{{a, "nul"}, {a, "bel"}, {a, "surrogate"}, {wall, "theme"}} {
		e := c.lc.refusal(c.opID)
		if e.Code != "invalid" || !strings.Contains(e.Message, "stuurteken") {
			t.Errorf("op %s: error %+v, want invalid with the message about control characters", c.opID, e)
		}
	}
	if n := ts.notesIn(t, "Een notitie met"); n != 0 {
		t.Errorf("%d refused notes stored", n)
	}

	// HTTP, JSON: a session title with NUL, a question with an escaped lone
	// surrogate, a body with invalid UTF-8, and the privacy check.
	postRaw := func(path, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", ts.URL)
		res, err := fac.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(data)
	}
	for name, body := range map[string]string{
		"nul":       `{"project":"test-project","title":"Titel\u0000","question":"Hoe?","clusters":["B"]}`,
		"surrogate": `{"project":"test-project","title":"Titel","question":"Hoe \udc00?","clusters":["B"]}`,
		"raw":       "{\"project\":\"test-project\",\"title\":\"Titel \xff\",\"question\":\"Hoe?\",\"clusters\":[\"B\"]}",
	} {
		st, data := postRaw("/api/sessions", body)
		var out struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal([]byte(data), &out)
		if st != http.StatusBadRequest || out.Error.Code != "invalid" || !strings.Contains(out.Error.Message, "stuurteken") {
			t.Errorf("/api/sessions with %s: %d %s", name, st, data)
		}
	}
	if st, data := postRaw("/api/privacy-check", `{"text":"bel 06-12345678\u0007"}`); st != http.StatusBadRequest || !strings.Contains(data, "stuurteken") {
		t.Errorf("/api/privacy-check with a bell: %d %s", st, data)
	}

	// HTTP, a form: the session form with NUL in its question answers with
	// the message on a page, in the viewer's language.
	form := url.Values{"_csrf": {ts.csrfFrom(t, fac, "/p/test-project/sessions")}, "title": {"Titel"},
		"question": {"Hoe\x00?"}, "set": {"1"}, "clusters": {"B"}}
	res, body := ts.postFormBody(t, fac, "/p/test-project/sessions", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "stuurteken") {
		t.Errorf("session form with NUL: %d, message shown: %v", res.StatusCode, strings.Contains(body, "stuurteken"))
	}
	var titles int
	if err := ts.DB.Read.QueryRow(`SELECT COUNT(*) FROM sessions WHERE instr(title, char(0)) > 0 OR instr(question, char(0)) > 0 OR title LIKE 'Titel%'`).Scan(&titles); err != nil || titles != 0 {
		t.Errorf("%d refused sessions stored (%v)", titles, err)
	}
}
