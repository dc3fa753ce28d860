package server

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"atelier/internal/apperr"
	"atelier/sessions"
)

// maxCheckBody bounds what the privacy check reads: an excerpt of 2,000
// characters in JSON, with room to spare.
const maxCheckBody = 16 << 10

// handlePrivacyCheck runs the privacy guard on a text before it is sent, so
// a phone can warn its author ("this looks like a phone number") instead of
// surprising them afterwards. It is the same guard the engine applies to
// every note, so the warning and the removal cannot disagree. The text is
// neither stored nor logged.
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
		lang := langOf(c)
		clean, found := sessions.Redact(req.Text, lang)
		removed := []sessions.RemovedView{}
		for _, r := range found {
			removed = append(removed, sessions.RemovedView(r))
		}
		return c.JSON(fiber.Map{"removed": removed, "message": sessions.DescribeFindings(found, lang), "text": clean})
	}
}
