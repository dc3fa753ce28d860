package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"atelier/internal/demo"
	"atelier/internal/liveclient"
	"atelier/store"
)

// secretForms are identifiers written the ways people write them (each
// form of issue 11), with the text around them. secret is what the guard
// must remove; core, when set, is the same identifier in plain ASCII, which
// must not reach the disk either (a guard that stored its normalised text
// would leak it).
var secretForms = []struct{ before, secret, core, after string }{
	{"Bel me op ", "06.12.34.56.78", "0612345678", " na vijven"},
	{"Mobiel ", "06–23456789", "0623456789", ", liefst appen"},
	{"Nummer ", "０６－３４５６７８９０", "0634567890", " (full width)"},
	{"رقم ", "٠٦٤٥٦٧٨٩٠١", "0645678901", " هاتف"},
	{"Bel ", "06\u200b5678\u200b9012", "0656789012", " met zero-width"},
	{"Tel ", "06\u00a067\u00a089\u00a001\u00a023", "0667890123", " met no-break"},
	{"Internationaal ", "+31 (0)6 78 90 12 34", "", " bellen"},
	{"Vast ", "020-1234567", "0201234567", " overdag"},
	{"BSN ", "1112 22 333", "111222333", " van de moeder"},
	{"BSN zonder nul ", "12345672", "", " in de lijst"},
	{"BSN met punten ", "234.567.892", "234567892", " van de vader"},
	{"BSN breed ", "１２３４５６７８２", "123456782", " genoteerd"},
	{"Mail ", "anna @ voorbeeld . nl", "", " graag"},
	{"Mail ", "bram＠voorbeeld.nl", "bram@voorbeeld.nl", " of bel"},
	{"Mail ", "cor[at]voorbeeld[.]nl", "cor@voorbeeld.nl", " zei ze"},
	{"Mail ", "daan.de.vries@gemeente-voorbeeld.nl", "", " werkt daar"},
	{"Woont op ", "1234 ab 12", "", " sinds kort"},
	{"Adres ", "2345-CD 34", "", " achterom"},
	{"Adres ", "3456 EF nr 56", "", " boven"},
	{"Adres ", "4567  GH  78", "", " beneden"},
	{"Adres ", "5678\u00a0JK\u00a090", "", " naast de school"},
	{"Geboren ", "12-3-15", "", " in het ziekenhuis"},
	{"Geboren ", "13042016", "", " thuis"},
	{"Geboren op ", "1 januari '15", "", " vroeg"},
	{"Geboortedatum ", "14-05-1985", "", " volgens het dossier"},
	{"Zie ", "jansen-gezin.nl", "", " voor foto's"},
	{"Link ", "hxxps://bakker-familie[.]nl/fotos", "https://bakker-familie.nl/fotos", " van het feest"},
	{"Site ", "www.visser-thuis.nl/dagboek", "", " met verhalen"},
	{"Rekening ", "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300", " voor de huur"},
}

// TestRemovedStringsNeverReachTheDisk sends notes with every form through
// real websocket clients to a real server (and puts some in a session's
// title and question, a theme title and a note edit), then reads the SQLite
// database, its -wal and -shm files and the server's output byte for byte:
// none of the removed strings is there, while the server runs and after it
// stopped.
func TestRemovedStringsNeverReachTheDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	p := startServe(t, dir, "-demo")
	fac := newClient()
	login(t, fac, p.URL, "facilitator@atelier.test", demo.Password)
	var projects struct {
		Projects []struct {
			Slug     string
			Clusters []struct{ ID string }
		}
	}
	getJSON(t, fac, p.URL+"/api/projects", &projects)
	var cluster string
	for _, pr := range projects.Projects {
		if pr.Slug == "smart-start-demo" && len(pr.Clusters) > 0 {
			cluster = pr.Clusters[0].ID
		}
	}
	if cluster == "" {
		t.Fatalf("no approved cluster in the demo project: %+v", projects)
	}
	title, question := secretForms[0], secretForms[12]
	var created struct{ ID int64 }
	if st := postJSONTo(t, fac, p.URL, "/api/sessions", map[string]any{"project": "smart-start-demo",
		"title": title.before + title.secret + title.after, "question": question.before + question.secret + question.after + "?",
		"clusters": []string{cluster}}, &created); st != http.StatusCreated || created.ID == 0 {
		t.Fatalf("create session: %d %+v", st, created)
	}
	var opened struct{ Code string }
	if st := postJSONTo(t, fac, p.URL, fmt.Sprintf("/api/sessions/%d/open", created.ID), map[string]any{}, &opened); st != http.StatusOK {
		t.Fatalf("open session: %d", st)
	}

	// Four participants share the forms out (each stays within its burst
	// of ops); the facilitator names a theme with one.
	const participants = 4
	var conns []*privacyConn
	for i := range participants {
		c := newClient()
		if st := postJSONTo(t, c, p.URL, "/api/join", map[string]string{"code": opened.Code, "role": "parent"}, nil); st != http.StatusOK {
			t.Fatalf("join: %d", st)
		}
		conns = append(conns, dialPrivacy(t, p.URL, c, created.ID, fmt.Sprintf("p%d", i)))
	}
	wall := dialPrivacy(t, p.URL, fac, created.ID, "fac")
	for i, f := range secretForms {
		c := conns[i%participants]
		c.op(t, fmt.Sprintf("n%d", i), "note.create", map[string]string{"cluster": cluster, "kind": "idee", "text": f.before + f.secret + f.after})
	}
	for _, c := range conns {
		c.waitAcks(t)
	}
	// An edit of a note with a form, and a theme title with one.
	edit := secretForms[len(secretForms)-1]
	conns[0].op(t, "edit", "note.update", map[string]any{"id": conns[0].ids["n0"], "text": "Nieuw: " + edit.secret})
	theme := secretForms[9]
	wall.op(t, "theme", "theme.create", map[string]string{"cluster": cluster, "title": theme.before + theme.secret})
	conns[0].waitAcks(t)
	wall.waitAcks(t)

	files := []string{store.FileName, store.FileName + "-wal", store.FileName + "-shm"}
	check := func(when string, names []string) {
		t.Helper()
		found := 0
		for _, name := range names {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			found += len(data)
			checkNoSecrets(t, when+" "+name, data)
		}
		if found == 0 {
			t.Fatalf("%s: the database files are empty", when)
		}
	}
	check("while running:", files)
	// The markers did arrive: the guard ran, it did not just drop notes.
	if data, _ := os.ReadFile(filepath.Join(dir, store.FileName+"-wal")); !bytes.Contains(data, []byte("[telefoonnummer verwijderd]")) {
		t.Error("no phone marker in the WAL: were the notes stored?")
	}
	for _, c := range conns {
		c.close()
	}
	wall.close()
	p.Stop(t)
	var left []string
	for _, name := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			left = append(left, name)
		}
	}
	check("after stopping:", left)
	checkNoSecrets(t, "the server's output", []byte(p.Stdout.String()+p.Stderr.String()))
}

// checkNoSecrets fails for every form's secret (and its ASCII core) found
// in data.
func checkNoSecrets(t *testing.T, where string, data []byte) {
	t.Helper()
	for _, f := range secretForms {
		for _, s := range []string{f.secret, f.core} {
			if s != "" && bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds %q", where, s)
			}
		}
	}
}

// privacyConn is a participant's connection (internal/liveclient) that
// sends ops and collects their acks.
type privacyConn struct {
	name    string
	conn    *liveclient.Conn
	pending []string          // op ids sent and not yet acknowledged
	ids     map[string]string // op_id → the id of the object created
}

func dialPrivacy(t *testing.T, base string, c *http.Client, session int64, name string) *privacyConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	conn, err := liveclient.Dial(ctx, liveclient.Options{URL: base, Session: session, Client: c})
	if err != nil {
		t.Fatalf("dial %s: %v", name, err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.WaitSynced(ctx); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &privacyConn{name: name, conn: conn, ids: map[string]string{}}
}

func (pc *privacyConn) op(t *testing.T, opID, op string, data any) {
	t.Helper()
	pc.pending = append(pc.pending, opID)
	if err := pc.conn.SendOp(opID, op, data); err != nil {
		t.Fatal(err)
	}
}

// waitAcks waits until every op sent is acknowledged with something
// removed.
func (pc *privacyConn) waitAcks(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	for _, opID := range pc.pending {
		ack, err := pc.conn.WaitAck(ctx, opID)
		if err != nil {
			t.Fatalf("%s: op %s: %v", pc.name, opID, err)
		}
		if len(ack.Removed) == 0 {
			t.Errorf("%s: op %s acknowledged with nothing removed", pc.name, opID)
		}
		if ack.ID != "" {
			pc.ids[opID] = ack.ID
		}
	}
	pc.pending = nil
}

func (pc *privacyConn) close() { pc.conn.Close() }
