package sessions

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"testing"
)

var jsonBlock = regexp.MustCompile("(?s)```json\n(.*?)```")

// TestProtocolDocExamples decodes every example in docs/protocol.md into the
// type the code uses for it, refusing unknown fields, and checks that the
// type writes the same fields back. The document and the code cannot drift.
func TestProtocolDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := jsonBlock.FindAllSubmatch(doc, -1)
	if len(blocks) < 10 {
		t.Fatalf("only %d examples found", len(blocks))
	}
	seen := map[string]bool{}
	for _, b := range blocks {
		var head struct{ Type string }
		if err := json.Unmarshal(b[1], &head); err != nil {
			t.Fatalf("example is not JSON: %v\n%s", err, b[1])
		}
		seen[head.Type] = true
		if head.Type == "batch" {
			var batch struct {
				Type  string            `json:"type"`
				Items []json.RawMessage `json:"items"`
			}
			strictDecode(t, b[1], &batch)
			for _, it := range batch.Items {
				checkRoundTrip(t, it, &EventMessage{})
			}
			continue
		}
		var v any
		switch head.Type {
		case "hello", "op", "ping":
			v = &ClientMessage{}
		case "welcome":
			v = &Welcome{}
		case "snapshot":
			v = &Snapshot{}
		case "event":
			v = &EventMessage{}
		case "synced":
			v = &Synced{}
		case "ack":
			v = &Ack{}
		case "error":
			v = &ErrorMessage{}
		case "pong":
			var compact bytes.Buffer
			json.Compact(&compact, b[1])
			if !bytes.Equal(compact.Bytes(), Pong) {
				t.Errorf("pong example %s differs from the server's %s", b[1], Pong)
			}
			continue
		default:
			t.Errorf("example of unknown type %q", head.Type)
			continue
		}
		checkRoundTrip(t, b[1], v)
	}
	for _, typ := range []string{"hello", "op", "ping", "welcome", "snapshot", "event", "synced", "ack", "error", "batch", "pong"} {
		if !seen[typ] {
			t.Errorf("docs/protocol.md has no example of %q", typ)
		}
	}
}

func strictDecode(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("example does not match %T: %v\n%s", v, err, data)
	}
}

// checkRoundTrip decodes data strictly into v, encodes v again, and
// compares the top-level field names.
func checkRoundTrip(t *testing.T, data []byte, v any) {
	t.Helper()
	strictDecode(t, data, v)
	again, _ := json.Marshal(v)
	if got, want := keys(t, again), keys(t, data); !equal(got, want) {
		t.Errorf("%T writes fields %v; the example has %v", v, got, want)
	}
}

func keys(t *testing.T, data []byte) []string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
