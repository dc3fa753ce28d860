package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atelier/store"
)

// auditFolder is a data folder with six audit records, one a day in
// March 2025.
func auditFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 1; i <= 6; i++ {
		e := store.Event{Action: "test.event", Object: fmt.Sprintf("thing:%d", i), Result: "ok", Origin: "cli", Actor: "test",
			At: store.At(time.Date(2025, 3, i, 12, 0, 0, 0, time.UTC))}
		if err := store.Audit(context.Background(), db.Write, e); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tamper changes the database the way someone with the sqlite3 shell
// would: a plain connection to the file, none of Atelier's code.
func tamper(t *testing.T, dir string, statements ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// inData is the environment of a command run in the data folder dir, with
// English messages: the folder comes from ATELIER_DATA, as an operator's
// would.
func inData(dir string) func(string) string {
	return func(k string) string {
		switch k {
		case "ATELIER_DATA":
			return dir
		case "ATELIER_LANG":
			return "en"
		}
		return ""
	}
}

// TestAuditVerifyCommand: `atelier audit verify` passes on a fresh trail
// and fails with exit 1, naming the record, after a record is changed,
// deleted or swapped with sqlite3-level access; a server started on such a
// trail says so in /healthz.
func TestAuditVerifyCommand(t *testing.T) {
	dir := auditFolder(t)
	out, _, code := runCmd(t, inData(dir), "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "6 records") {
		t.Fatalf("fresh trail: exit %d %q", code, out)
	}
	tests := []struct {
		name   string
		tamper []string
		want   string
	}{
		{"changed", []string{`UPDATE audit_log SET actor = 'nobody' WHERE id = 4`}, "record 4 was changed"},
		{"deleted", []string{`DELETE FROM audit_log WHERE id = 3`}, "record 3 was removed"},
		{"swapped", []string{`UPDATE audit_log SET id = 100 WHERE id = 2`, `UPDATE audit_log SET id = 2 WHERE id = 5`,
			`UPDATE audit_log SET id = 5 WHERE id = 100`}, "record 2 is out of place"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := auditFolder(t)
			tamper(t, dir, tt.tamper...)
			_, errOut, code := runCmd(t, inData(dir), "", "audit", "verify")
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("verify: exit %d %q, want exit 1 saying %q", code, errOut, tt.want)
			}
		})
	}

	// The server verifies at start and reports the break.
	broken := auditFolder(t)
	tamper(t, broken, `UPDATE audit_log SET result = 'failure' WHERE id = 6`)
	p := startServe(t, broken)
	var health map[string]any
	getJSON(t, http.DefaultClient, p.URL+"/healthz", &health)
	if health["audit"] != "broken" || health["status"] != "degraded" || fmt.Sprint(health["audit_break"]) != "map[kind:changed record:6]" {
		t.Errorf("healthz on a broken trail: %v", health)
	}
	if !strings.Contains(p.Stderr.String(), "action=audit.verify object=audit_log:6 result=changed") {
		t.Errorf("the break is not in the log:\n%s", p.Stderr.String())
	}
}

// TestAuditExportAndRetentionCommands: JSON lines for a period, in a
// private file; the trail's retention refuses less than a year.
func TestAuditExportAndRetentionCommands(t *testing.T) {
	dir := auditFolder(t)
	file := filepath.Join(t.TempDir(), "audit.jsonl")
	if _, errOut, code := runCmd(t, inData(dir), "", "audit", "export", "-from", "2025-03-02", "-to", "2025-03-04", "-out", file); code != 0 {
		t.Fatalf("export: exit %d %s", code, errOut)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("export mode %o, want 600", fi.Mode().Perm())
	}
	f, _ := os.Open(file)
	defer f.Close()
	var ids []int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l store.AuditLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if l.Action != "test.event" || l.Origin != "cli" || len(l.Hash) != 64 || len(l.PrevHash) != 64 || !strings.HasPrefix(l.Time, "2025-03-0") {
			t.Errorf("line %+v", l)
		}
		ids = append(ids, l.ID)
	}
	if fmt.Sprint(ids) != "[2 3 4]" {
		t.Errorf("exported records %v, want 2, 3 and 4 (2 to 4 March)", ids)
	}
	// To standard output too; and the exports are in the trail.
	out, _, code := runCmd(t, inData(dir), "", "audit", "export")
	if code != 0 || strings.Count(out, "\n") != 7 {
		t.Errorf("export to standard output: exit %d, %d lines, want 7 (6 and the first export)", code, strings.Count(out, "\n"))
	}

	if _, _, code := runCmd(t, inData(dir), "", "audit", "retention", "-days", "100"); code != 1 {
		t.Errorf("an audit retention of 100 days: exit %d, want 1", code)
	}
	if out, _, code := runCmd(t, inData(dir), "", "audit", "retention", "-days", "3650"); code != 0 || !strings.Contains(out, "3650 days") {
		t.Errorf("audit retention 3650: exit %d %q", code, out)
	}
	if out, errOut, code := runCmd(t, inData(dir), "", "audit", "verify"); code != 0 {
		t.Errorf("verify after export and retention change: exit %d %q %q", code, out, errOut)
	}
}
