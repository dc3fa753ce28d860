package sessions

import (
	"atelier/pii"
	"encoding/json"
	"regexp"
	"strconv"
)

// The wire format of docs/protocol.md. Server messages are built once per
// event and sent as bytes to every connection.

// ClientMessage is any frame a client sends.
type ClientMessage struct {
	Type  string `json:"type"`
	Since *int64 `json:"since,omitempty"` // hello only

	OpID string          `json:"op_id,omitempty"`
	Op   string          `json:"op,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
}

var opIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidOpID reports whether id is an acceptable client op_id.
func ValidOpID(id string) bool { return opIDPattern.MatchString(id) }

// NoteView is a note as clients see it.
type NoteView struct {
	ID        string `json:"id"`
	Cluster   string `json:"cluster"`
	Kind      string `json:"kind"`
	Text      string `json:"text"`
	Author    string `json:"author"`
	Role      Role   `json:"role"`
	Mine      bool   `json:"mine"`
	Version   int    `json:"version"`
	Votes     int    `json:"votes"`
	CreatedAt string `json:"created_at"`
	// Private: only its author and the facilitator see it (until a
	// reveal). Hidden: the facilitator took it off the wall; only
	// facilitators still receive it.
	Private bool `json:"private,omitempty"`
	Hidden  bool `json:"hidden,omitempty"`
	// Theme is the id of the theme the facilitator grouped it under;
	// empty when it is in none.
	Theme string `json:"theme,omitempty"`
}

// ExcerptView is an interview excerpt as clients see it.
type ExcerptView struct {
	ID        string   `json:"id"`
	Cluster   string   `json:"cluster"`
	Text      string   `json:"text"`
	Source    string   `json:"source"`
	Tags      []string `json:"tags"`
	Author    string   `json:"author"`
	Role      Role     `json:"role"`
	Mine      bool     `json:"mine"`
	CreatedAt string   `json:"created_at"`
	Theme     string   `json:"theme,omitempty"` // as NoteView.Theme
}

// ThemeView is a theme as clients see it: a facilitator's heading for
// notes and excerpts of one cluster.
type ThemeView struct {
	ID      string `json:"id"`
	Cluster string `json:"cluster"`
	Title   string `json:"title"`
}

// SessionView is a session as clients see it.
type SessionView struct {
	ID            int64     `json:"id"`
	Title         string    `json:"title"`
	Question      string    `json:"question"`
	State         State     `json:"state"`
	VoteBudget    int       `json:"vote_budget"`
	Clusters      []Cluster `json:"clusters"`
	Phase         string    `json:"phase"`
	TimerEndsAt   string    `json:"timer_ends_at"`
	Focus         string    `json:"focus"`
	Private       bool      `json:"private"`
	TalliesHidden bool      `json:"tallies_hidden"`
	Locked        bool      `json:"locked"`
	Agenda        Agenda    `json:"agenda"`
	WallView      string    `json:"wall_view"`
	WallVariable  string    `json:"wall_variable"`
	JoinLarge     bool      `json:"join_large"`
}

// View returns the client view of s.
func (s *Session) View() SessionView {
	return SessionView{ID: s.ID, Title: s.Title, Question: s.Question, State: s.State, VoteBudget: s.VoteBudget, Clusters: s.Clusters,
		Phase: s.Phase, TimerEndsAt: s.TimerEndsAt, Focus: s.Focus, Private: s.Private, TalliesHidden: s.TalliesHidden, Locked: s.Locked,
		Agenda: s.Agenda.orEmpty(), WallView: s.WallView, WallVariable: s.WallVariable, JoinLarge: s.JoinLarge}
}

// You tells a client who it is.
type You struct {
	Participant string `json:"participant,omitempty"`
	Pseudonym   string `json:"pseudonym,omitempty"`
	Role        Role   `json:"role,omitempty"`
	Facilitator bool   `json:"facilitator"`
}

// Welcome is the first server message on a connection.
type Welcome struct {
	Type    string      `json:"type"`
	Seq     int64       `json:"seq"`
	You     You         `json:"you"`
	Session SessionView `json:"session"`
}

// Snapshot is the whole state of a session for one client.
type Snapshot struct {
	Type      string         `json:"type"`
	Seq       int64          `json:"seq"`
	Notes     []NoteView     `json:"notes"`
	Excerpts  []ExcerptView  `json:"excerpts"`
	Themes    []ThemeView    `json:"themes"` // in the facilitator's order
	MyVotes   map[string]int `json:"my_votes"`
	VotesLeft int            `json:"votes_left"`
}

// EventMessage is one sequenced change.
type EventMessage struct {
	Type    string       `json:"type"`
	Seq     int64        `json:"seq"`
	Kind    string       `json:"kind"`
	Note    *NoteView    `json:"note,omitempty"`
	NoteID  string       `json:"note_id,omitempty"`
	Votes   *int         `json:"votes,omitempty"`
	Excerpt *ExcerptView `json:"excerpt,omitempty"`
	Session *SessionView `json:"session,omitempty"`
	// Notes revealed at the end of private mode; Tallies revealed vote
	// totals by note id.
	Notes   []NoteView     `json:"notes,omitempty"`
	Tallies map[string]int `json:"tallies,omitempty"`
	// Themes: Theme is created or changed; ThemeID is the theme deleted,
	// or the one a note (NoteID) or excerpt (ExcerptID) is now grouped
	// under, empty when it was ungrouped.
	Theme     *ThemeView `json:"theme,omitempty"`
	ThemeID   string     `json:"theme_id,omitempty"`
	ExcerptID string     `json:"excerpt_id,omitempty"`
	// Participant is the participant a facilitator removed ("p7").
	Participant string `json:"participant,omitempty"`
}

// Audiences of an event.
const (
	Everyone           = 0
	AuthorFacilitators = 1
	FacilitatorsOnly   = 2
)

// hiddenEvent is what a connection receives for an event it may not see:
// the sequence number, so that it notices no gap, and nothing else.
func hiddenEvent(seq int64) []byte {
	return []byte(`{"type":"event","seq":` + strconv.FormatInt(seq, 10) + `,"kind":"hidden"}`)
}

// Synced ends the catching up after a welcome.
type Synced struct {
	Type string `json:"type"`
	Seq  int64  `json:"seq"`
}

// RemovedView is one kind of identifier the privacy guard removed.
type RemovedView struct {
	Kind  pii.Kind `json:"kind"`
	Count int      `json:"count"`
}

// Ack confirms an op.
type Ack struct {
	Type      string        `json:"type"`
	OpID      string        `json:"op_id"`
	Seq       int64         `json:"seq"`
	ID        string        `json:"id,omitempty"`
	Removed   []RemovedView `json:"removed,omitempty"`
	Notice    string        `json:"notice,omitempty"`
	VotesLeft *int          `json:"votes_left,omitempty"`
}

// ErrorMessage refuses an op or a connection.
type ErrorMessage struct {
	Type         string `json:"type"`
	OpID         string `json:"op_id,omitempty"`
	Code         string `json:"code"`
	Message      string `json:"message"`
	RetryAfterMs int    `json:"retry_after_ms,omitempty"`
}

// Pong answers a ping.
var Pong = []byte(`{"type":"pong"}`)

// Encode returns the wire form of one of the protocol's message types.
func Encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types, which always encode
	}
	return b
}

func mustJSON(v any) []byte { return Encode(v) }
