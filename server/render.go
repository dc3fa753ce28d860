package server

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"atelier/accounts"
	"atelier/assets"
	"atelier/disclosure"
	"atelier/i18n"
	"atelier/sessions"
)

// pages holds one parsed template set per page: the layout plus the page.
type pages struct {
	byName map[string]*template.Template
}

func loadPages(static *assets.Static) (*pages, error) {
	tfs := assets.Templates()
	names, err := fs.Glob(tfs, "*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range names {
		if name == "layout.html" || strings.HasPrefix(name, "part_") {
			continue
		}
		// Partials (files named part_*) are shared by every page.
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(tfs, "layout.html", "part_*.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// templateFuncs are the few helpers templates need beyond view's methods.
var templateFuncs = template.FuncMap{
	// dict builds a map for passing several values to a partial.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"has": func(list []string, s string) bool { return slices.Contains(list, s) },
	// url builds a link from a route's name and parameters (routes.go).
	"url": urlFor,
	// code writes a join code as it is read aloud: "KM7Q X9AP".
	"code": sessions.FormatCode,
	// inc counts from one where range counts from zero: "step 1".
	"inc": func(i int) int { return i + 1 },
}

// view is what every template sees: the page's data and the helpers of the
// layout (language, account, CSRF token, asset URLs, messages).
type view struct {
	Lang   i18n.Lang
	Title  string
	Path   string
	User   *accounts.User
	Data   any
	static *assets.Static
	csrf   func() string
}

// CSRF returns the token for the page's forms. It is made on first use so
// that pages without a form set no cookie.
func (v view) CSRF() string { return v.csrf() }

// T returns a message from the catalogue in the page's language.
func (v view) T(key string, args ...any) string { return i18n.T(v.Lang, key, args...) }

// Asset returns the content-hashed URL of a static file.
func (v view) Asset(name string) string { return v.static.URL(name) }

// RoleName returns a role's name in the page's language.
func (v view) RoleName(r accounts.Role) string { return i18n.T(v.Lang, "role."+string(r)) }

// Date formats a day in the page's language: "25 november 2026". Times
// are shown in the server's time zone: a self-hosted server runs where its
// workshops are held, and its stored times are UTC.
func (v view) Date(t time.Time) string { return i18n.Date(v.Lang, t.Local()) }

// DateTime formats a moment briefly, for lists: "25 nov 2026, 14:05".
func (v view) DateTime(t time.Time) string { return i18n.DateTime(v.Lang, t.Local()) }

// Num formats a number in the page's language with at most one decimal:
// 1.234,5 in Dutch.
func (v view) Num(x float64) string { return i18n.Number(v.Lang, x, 1) }

// Int formats a count in the page's language: 1.234 in Dutch.
func (v view) Int(n int) string { return i18n.Int(v.Lang, int64(n)) }

// N returns a message that counts n of something, in the plural form the
// page's language uses for n ("1 dag", "2 dagen"); see i18n.N.
func (v view) N(key string, n int, args ...any) string { return i18n.N(v.Lang, key, n, args...) }

// ClusterName is a session's cluster as pages name it: its label, or
// "withdrawn profile" once its set is withdrawn (the label went with the
// figures).
func (v view) ClusterName(c sessions.Cluster) string {
	if c.Withdrawn || c.Label == "" {
		return i18n.T(v.Lang, "steward.withdrawn_profile")
	}
	return c.Label
}

// Figure formats a published count, or says that it is suppressed.
func (v view) Figure(f disclosure.Figure) string {
	if f.Status != disclosure.Published || f.Count == nil {
		return i18n.T(v.Lang, "charts.suppressed") // the charts' marker, so pages and charts agree
	}
	return i18n.Int(v.Lang, *f.Count)
}

// Audit describes what an attacker can derive about a suppressed figure.
func (v view) Audit(iv *disclosure.Interval) string {
	if iv == nil {
		return "–"
	}
	verdict := i18n.T(v.Lang, "set.audit_unprotected")
	if iv.Protected {
		verdict = i18n.T(v.Lang, "set.audit_protected")
	}
	if iv.Max == nil {
		return i18n.T(v.Lang, "set.audit_open", v.Num(iv.Min)) + " · " + verdict
	}
	return i18n.T(v.Lang, "set.audit_interval", v.Num(iv.Min), v.Num(*iv.Max)) + " · " + verdict
}

// render writes a page with the layout. The page is rendered to a buffer
// first so that a template error becomes a clean 500, not half a page.
func (s *server) render(c *fiber.Ctx, page, title string, data any) error {
	t, ok := s.pages.byName[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	v := view{
		Lang:   langOf(c),
		Title:  title,
		Path:   safeNext(string(append([]byte(nil), c.Path()...))),
		User:   userOf(c),
		csrf:   func() string { return s.csrfToken(c) },
		Data:   data,
		static: s.static,
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderContentLanguage, string(v.Lang))
	return c.Send(buf.Bytes())
}

// Cookie names. Under TLS the __Host- prefix pins them to this host and to
// HTTPS; browsers refuse that prefix on plain HTTP, so it is used only there.
func (s *server) cookieName(base string) string {
	if s.cfg.TLS {
		return "__Host-" + base
	}
	return base
}

func (s *server) sessionCookie() string { return s.cookieName("atelier_session") }
func (s *server) csrfCookie() string    { return s.cookieName("atelier_csrf") }

const langCookie = "atelier_lang"

// setCookie sets a cookie with Atelier's defaults: HttpOnly, SameSite=Lax,
// Secure under TLS, the whole site as path.
func (s *server) setCookie(c *fiber.Ctx, name, value string, maxAge int) {
	c.Cookie(&fiber.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HTTPOnly: true,
		Secure:   s.cfg.TLS,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// csrfToken returns the token forms must carry: the login session's, or for
// a visitor who is not logged in (the login form), a random value kept in a
// cookie of its own and compared on submit.
func (s *server) csrfToken(c *fiber.Ctx) string {
	if sess := sessionOf(c); sess != nil {
		return sess.CSRF
	}
	if v := c.Cookies(s.csrfCookie()); len(v) >= 32 {
		return string(append([]byte(nil), v...))
	}
	token := randomToken()
	s.setCookie(c, s.csrfCookie(), token, 0)
	// Remember it for this request too, so a page rendered twice agrees.
	c.Request().Header.SetCookie(s.csrfCookie(), token)
	return token
}

// expectedCSRF is the token a submitted form must match.
func (s *server) expectedCSRF(c *fiber.Ctx) string {
	if sess := sessionOf(c); sess != nil {
		return sess.CSRF
	}
	return c.Cookies(s.csrfCookie())
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
