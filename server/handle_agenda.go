package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/internal/apperr"
	"atelier/sessions"
)

// handleAgendaSave keeps the agenda a facilitator plans on the console of a
// draft session: a plain form with a phase and its minutes per row, so it
// works without script. Rows without a phase are left out. Once the session
// is open, the console changes the agenda through the live engine instead.
func (s *server) handleAgendaSave() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.managedSession(c)
		if err != nil {
			return err
		}
		agenda, err := agendaForm(c)
		if err == nil {
			err = s.deps.Sessions.SetAgenda(c.UserContext(), sess.ID, agenda, actorOf(userOf(c)))
		}
		if err != nil {
			if statusOf(err) >= 500 {
				return err
			}
			return c.Redirect(mustURL("console", sess.ID)+"?agenda_error="+urlQuery(messageOf(err, statusOf(err), langOf(c)))+"#agenda-title", fiber.StatusSeeOther)
		}
		return c.Redirect(mustURL("console", sess.ID)+"?agenda=saved#agenda-title", fiber.StatusSeeOther)
	}
}

// agendaForm reads the rows of the agenda form: the fields phase and
// minutes, repeated, in order.
func agendaForm(c *fiber.Ctx) (sessions.Agenda, error) {
	args := c.Request().PostArgs()
	phases, minutes := args.PeekMulti("phase"), args.PeekMulti("minutes")
	agenda := sessions.Agenda{}
	for i, p := range phases {
		phase := strings.TrimSpace(string(p))
		if phase == "" {
			continue
		}
		m := 0
		if i < len(minutes) {
			m, _ = strconv.Atoi(strings.TrimSpace(string(minutes[i])))
		}
		if m < 1 {
			return nil, apperr.New(apperr.Invalid, "sessions.agenda_invalid", sessions.MaxAgendaItems, sessions.MaxAgendaMinutes)
		}
		agenda = append(agenda, sessions.AgendaItem{Phase: phase, Minutes: m})
	}
	return agenda, nil
}
