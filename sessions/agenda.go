package sessions

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"

	"atelier/internal/apperr"
	"atelier/store"
)

// An agenda is the facilitator's plan for a session: phases in order, each
// with the minutes it should take. The facilitator sets it before the
// session and follows it during it (the console shows where the room is,
// and starts the timer with a phase's planned minutes).

// AgendaItem is one planned phase.
type AgendaItem struct {
	Phase   string `json:"phase"`
	Minutes int    `json:"minutes"`
}

// Agenda is a session's plan. It is stored as JSON in its row.
type Agenda []AgendaItem

// Limits of an agenda.
const (
	MaxAgendaItems   = 12
	MaxAgendaMinutes = 240
)

// Validate checks the phases and minutes.
func (a Agenda) Validate() error {
	if len(a) > MaxAgendaItems {
		return apperr.New(apperr.Invalid, "sessions.agenda_invalid", MaxAgendaItems, MaxAgendaMinutes)
	}
	for _, it := range a {
		if !contains(Phases, it.Phase) || it.Minutes < 1 || it.Minutes > MaxAgendaMinutes {
			return apperr.New(apperr.Invalid, "sessions.agenda_invalid", MaxAgendaItems, MaxAgendaMinutes)
		}
	}
	return nil
}

// Minutes is the planned length of the whole agenda.
func (a Agenda) Minutes() int {
	n := 0
	for _, it := range a {
		n += it.Minutes
	}
	return n
}

func (a Agenda) orEmpty() Agenda {
	if a == nil {
		return Agenda{}
	}
	return a
}

// Value implements driver.Valuer.
func (a Agenda) Value() (driver.Value, error) {
	b, err := json.Marshal(a.orEmpty())
	return string(b), err
}

// Scan implements sql.Scanner.
func (a *Agenda) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*a = nil
		return nil
	default:
		return fmt.Errorf("sessions: cannot scan %T into an agenda", src)
	}
	return json.Unmarshal(b, a)
}

// sessionAgenda replaces the session's agenda (a facilitator op).
func sessionAgenda(c *opContext) (*result, error) {
	var in struct{ Agenda Agenda }
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if err := in.Agenda.Validate(); err != nil {
		return nil, err
	}
	c.sess.Agenda = in.Agenda
	return sessionChanged(c.sess), c.set("agenda", in.Agenda)
}

// SetAgenda replaces the agenda of a draft session: the plan made before
// the session starts. Once the session is open the agenda changes through
// the live engine (session.agenda), so that every screen follows in order;
// a closed session keeps the plan it had.
func (s *Store) SetAgenda(ctx context.Context, id int64, a Agenda, actor string) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM sessions WHERE id = ?`, id).Scan(&state); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.New(apperr.NotFound, "sessions.not_found")
			}
			return err
		}
		switch State(state) {
		case Open:
			return apperr.New(apperr.Conflict, "sessions.agenda_live")
		case Closed:
			return apperr.New(apperr.Conflict, "sessions.closed")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET agenda = ? WHERE id = ?`, a, id); err != nil {
			return fmt.Errorf("set agenda: %w", err)
		}
		s.notify(id)
		return store.Audit(ctx, tx, store.Event{Action: "session.agenda", Object: fmt.Sprintf("session:%d", id), Result: "ok", Origin: "web", Actor: actor})
	})
}
