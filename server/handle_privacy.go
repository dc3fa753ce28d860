package server

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"atelier/internal/apperr"
	"atelier/pii"
	"atelier/sessions"
)

// maxCheckBody bounds what the privacy check reads: an excerpt of 2,000
// characters in JSON, with room to spare.
const maxCheckBody = 16 << 10

// handlePrivacyCheck runs the privacy guard on a text before it is sent, so
// a phone can warn its author ("this looks like a phone number", "is there
// a name in this?") instead of surprising them afterwards. It is the same
// guard the engine applies to every note, so the warning and the removal
// cannot disagree. Names are only pointed out: the engine does not remove
// them. The text is neither stored nor logged, and the answer holds only
// words of the text itself, so the list of names stays on the server.
func (s *server) handlePrivacyCheck() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(c.Body()) > maxCheckBody {
			return apperr.New(apperr.TooLarge, "error.413.text")
		}
		var req struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(c.Body(), &req); err != nil {
			return apperr.New(apperr.Invalid, "sessions.op_data_invalid")
		}
		if err := pii.CheckText(req.Text); err != nil {
			return err
		}
		lang := langOf(c)
		clean, found := pii.Redact(req.Text, lang)
		removed := []sessions.RemovedView{}
		for _, r := range found {
			removed = append(removed, sessions.RemovedView(r))
		}
		names := pii.Names(clean)
		var message []string
		for _, m := range []string{pii.DescribeFindings(found, lang), pii.DescribeNames(names, lang)} {
			if m != "" {
				message = append(message, m)
			}
		}
		if names == nil {
			names = []string{}
		}
		return c.JSON(fiber.Map{"removed": removed, "names": names, "message": strings.Join(message, " "), "text": clean})
	}
}
