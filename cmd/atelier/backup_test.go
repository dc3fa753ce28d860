package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"atelier/internal/demo"
	"atelier/store"
)

// openDemoSession creates and opens a session on two approved clusters of
// the demo project, as the facilitator c, and returns its id, join code
// and clusters.
func openDemoSession(t *testing.T, c *http.Client, base string) (int64, string, []string) {
	t.Helper()
	clusters := demoClusters(t, c, base)
	var created struct{ ID int64 }
	if st := postJSONTo(t, c, base, "/api/sessions", map[string]any{"project": "smart-start-demo", "title": "Reservekopie",
		"question": "Wat blijft er bewaard?", "clusters": clusters[:2]}, &created); st != http.StatusCreated {
		t.Fatalf("create session: %d", st)
	}
	var opened struct{ Code string }
	if st := postJSONTo(t, c, base, fmt.Sprintf("/api/sessions/%d/open", created.ID), map[string]any{}, &opened); st != http.StatusOK {
		t.Fatalf("open session: %d", st)
	}
	return created.ID, opened.Code, clusters[:2]
}

// TestBackupDuringLoadRestores is issue 14's backup test: `atelier backup`
// runs while participants send notes; the copy is private, restores into a
// new data folder, a server started on it has every note acknowledged
// before the backup began; and retention applied to the restored folder
// deletes what expired there.
func TestBackupDuringLoadRestores(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	srv := startServe(t, dir, "-demo")
	fac := newClient()
	login(t, fac, srv.URL, "facilitator@atelier.test", demo.Password)
	id, code, clusters := openDemoSession(t, fac, srv.URL)

	var acked atomic.Int64
	clients := make([]*durClient, 6)
	for i := range clients {
		c := newClient()
		if st := postJSONTo(t, c, srv.URL, "/api/join", map[string]string{"code": code, "role": "professional"}, nil); st != http.StatusOK {
			t.Fatalf("join: %d", st)
		}
		clients[i] = newDurClient(fmt.Sprintf("b%d", i), clusters, &acked)
		clients[i].dial(t, srv.URL, id, cookiesOf(c, srv.URL))
	}
	t.Cleanup(func() {
		for _, c := range clients {
			c.close()
		}
	})
	stop := make(chan struct{})
	var senders sync.WaitGroup
	for _, c := range clients {
		senders.Add(1)
		go func() {
			defer senders.Done()
			c.burst(stop)
		}()
	}
	waitAcks := func(n int64) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for acked.Load() < n {
			if time.Now().After(deadline) {
				close(stop)
				t.Fatalf("only %d of %d acks within 30 s", acked.Load(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitAcks(40)

	// What was acknowledged before the backup began must be in it.
	before := map[string]string{} // note id -> text
	for _, c := range clients {
		c.mu.Lock()
		for op, a := range c.acks {
			before[a.ID] = c.sent[op]
		}
		c.mu.Unlock()
	}
	backup := filepath.Join(t.TempDir(), "atelier-backup.db")
	out, errOut, exit := runCmd(t, inData(dir), "", "backup", "-out", backup)
	if exit != 0 || !strings.Contains(out, "Backup written to "+backup) {
		t.Fatalf("backup: exit %d %q %q", exit, out, errOut)
	}
	// The load goes on after the backup; then it stops.
	waitAcks(acked.Load() + 20)
	close(stop)
	senders.Wait()
	total := acked.Load()
	facCookies := cookiesOf(fac, srv.URL)
	srv.Stop(t)

	fi, err := os.Stat(backup)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %o, want 600", fi.Mode().Perm())
	}
	if _, _, exit := runCmd(t, inData(dir), "", "backup", "-out", backup); exit != 1 {
		t.Errorf("a backup over an existing file: exit %d, want 1", exit)
	}

	// Restore: the copy becomes the database of a new data folder.
	restored := filepath.Join(t.TempDir(), "restored")
	if err := os.MkdirAll(restored, 0o700); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, store.FileName), body, 0o600); err != nil {
		t.Fatal(err)
	}
	srv2 := startServe(t, restored)
	obs := newDurClient("observer", clusters, &acked)
	obs.dial(t, srv2.URL, id, facCookies)
	obs.mu.Lock()
	notes := copyNotes(obs.notes)
	obs.mu.Unlock()
	obs.close()
	missing := 0
	for id, text := range before {
		if notes[id] != text {
			missing++
			if missing <= 5 {
				t.Errorf("note %s (%q), acknowledged before the backup, is %q in the restored copy", id, text, notes[id])
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d notes acknowledged before the backup are missing", missing, len(before))
	}
	t.Logf("%d notes acknowledged before the backup, %d in the copy, %d acknowledged in all", len(before), len(notes), total)
	srv2.Stop(t)
	if out, errOut, exit := runCmd(t, inData(restored), "", "audit", "verify"); exit != 0 {
		t.Errorf("the restored trail does not verify: %s %s", out, errOut)
	}

	// Retention applies to a restored backup: three years on, the session
	// (never closed) has expired, and its notes go.
	var someText string
	for _, text := range before {
		someText = text
		break
	}
	later := time.Now().AddDate(3, 0, 0).Format(time.DateOnly)
	out, errOut, exit = runCmd(t, inData(restored), "", "retention", "run", "-now", later)
	if exit != 0 || !strings.Contains(out, " notes ") {
		t.Fatalf("retention on the restored copy: exit %d\n%s%s", exit, out, errOut)
	}
	if files := inFiles(t, restored, someText); len(files) > 0 {
		t.Errorf("an expired note is still in the restored copy's %v", files)
	}
}
