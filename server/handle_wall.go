package server

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"
	qr "github.com/piglig/go-qr"

	"atelier/disclosure"
	"atelier/profiles"
	"atelier/sessions"
)

// wallCluster is one of the session's clusters as the wall shows it when it
// is in focus: its size and a chart per variable with published figures.
type wallCluster struct {
	ID        string            `json:"id"`
	Label     string            `json:"label"`
	Withdrawn bool              `json:"withdrawn,omitempty"` // its set was withdrawn: no label, no figures
	Size      disclosure.Figure `json:"-"`
	Variables []wallVariable    `json:"variables"` // the first is the wall's default
}

// wallVariable is a variable the wall can project for a cluster.
type wallVariable struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	ChartURL string `json:"chart"`
}

type wallPage struct {
	Project  *profiles.Project
	Session  *sessions.Session
	Code     string
	JoinURL  string
	QR       template.HTML
	QRLink   string // what the QR code encodes: the join page with code and ticket
	Clusters []wallCluster
	Kinds    []string
}

// handleWall is the projector view: the focused cluster, the question, the
// notes as large cards by kind, the join code with a QR code, the timer,
// the phase and who is present. The facilitator's laptop drives it.
func (s *server) handleWall() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, p, err := s.managedSessionProject(c)
		if err != nil {
			return err
		}
		page := wallPage{Project: p, Session: sess, JoinURL: c.BaseURL() + mustURL("join"), Kinds: sessions.NoteKinds}
		if sess.State == sessions.Open {
			if page.Code, err = s.deps.Sessions.Code(c.UserContext(), sess.ID); err != nil {
				return err
			}
			// The QR code carries a ticket: people who scan it are never held
			// up by someone flooding the join page with wrong codes.
			page.QRLink = page.JoinURL + "/" + page.Code + "?t=" + s.joins.ticket(page.Code)
			if page.QR, err = qrSVG(page.QRLink); err != nil {
				return err
			}
		}
		page.Clusters = s.wallClusters(c, sess)
		return s.render(c, "wall.html", sess.Title, page)
	}
}

// handleAPIWall: GET /api/sessions/:id/wall, the variables the wall can
// project per cluster, for the console's picker.
func (s *server) handleAPIWall() fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, err := s.managedSession(c)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"clusters": s.wallClusters(c, sess)})
	}
}

// wallClusters lists the session's clusters with the variables that have
// published figures for each: a variable whose every figure is hidden
// would project an empty chart, so it is never offered.
func (s *server) wallClusters(c *fiber.Ctx, sess *sessions.Session) []wallCluster {
	// Approved sets only, whoever asks: the wall is public in the room.
	v := viewerOf(userOf(c))
	v.Reviewer = false
	out := []wallCluster{}
	for _, cl := range sess.Clusters {
		wc := wallCluster{ID: cl.ID, Label: cl.Label, Withdrawn: cl.Withdrawn, Variables: []wallVariable{}}
		if cl.Withdrawn {
			out = append(out, wc)
			continue
		}
		if set, err := s.deps.Profiles.Set(c.UserContext(), v, cl.SetID); err == nil {
			if f, ok := findCluster(set.Result, cl.ID); ok {
				wc.Size = f.Size
				for i, info := range set.Result.Variables {
					if i >= len(f.Variables) || !hasPublished(f.Variables[i]) {
						continue
					}
					label := info.Label
					if label == "" {
						label = info.Name
					}
					wc.Variables = append(wc.Variables, wallVariable{Name: info.Name, Label: label,
						ChartURL: mustURL("api.chart", set.ID, cl.ID, info.Name)})
				}
			}
		}
		out = append(out, wc)
	}
	return out
}

// hasPublished reports whether a variable has at least one published figure
// in a cluster.
func hasPublished(f disclosure.VariableFigures) bool {
	if f.Magnitude != nil && f.Magnitude.Status == disclosure.Published {
		return true
	}
	for _, x := range f.Counts {
		if x.Status == disclosure.Published {
			return true
		}
	}
	return false
}

// qrSVG draws a QR code for text as an inline SVG: one path, dark modules
// on a light square, scaled by its viewBox. Inline SVG markup is not a
// script or a style, so the CSP holds.
func qrSVG(text string) (template.HTML, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	n := code.Size()
	const border = 4
	var path strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if code.Module(x, y) {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+border, y+border)
			}
		}
	}
	size := n + 2*border
	// Inline in HTML, the SVG element needs no namespace attribute.
	return template.HTML(fmt.Sprintf(`<svg class="qr" role="img" aria-hidden="true" focusable="false" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#1c2430" d="%s"/></svg>`,
		size, size, size, size, path.String())), nil
}
