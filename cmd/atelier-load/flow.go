package main

// The HTTP side of the flow, the same on Atelier and on the bare hub:
// facilitator login with the CSRF form, the project list, creating and
// opening sessions, and participants joining by code (docs/api.md).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// newTransport is the HTTP transport every client shares: loopback only.
func newTransport() *http.Transport {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: loopbackOnly}
	return &http.Transport{
		DialContext:         d.DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     30 * time.Second,
	}
}

// newClient is an HTTP client with its own cookie jar that does not follow
// redirects (the login answers 303, which is what we check).
func newClient(t *http.Transport) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Transport: t,
		Jar:       jar,
		Timeout:   30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

var csrfField = regexp.MustCompile(`name="_csrf"\s+value="([^"]+)"`)

// login signs the facilitator in: GET /login for the CSRF token and cookie,
// then POST the form; a 303 with an atelier_session cookie is success.
func (l *loader) login(ctx context.Context) error {
	body, status, err := l.do(ctx, l.fac, http.MethodGet, "/login", "", nil)
	if err != nil {
		return fmt.Errorf("login form: %w", err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("login form: status %d", status)
	}
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return fmt.Errorf("login form: no _csrf field")
	}
	form := url.Values{"_csrf": {string(m[1])}, "email": {l.cfg.email}, "password": {l.cfg.password}}
	_, status, err = l.do(ctx, l.fac, http.MethodPost, "/login", "application/x-www-form-urlencoded", []byte(form.Encode()))
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	if status != http.StatusSeeOther && status != http.StatusFound {
		return fmt.Errorf("login refused (status %d): check -email and ATELIER_LOAD_PASSWORD", status)
	}
	for _, c := range l.fac.Jar.Cookies(l.cfg.base) {
		if strings.HasSuffix(c.Name, "atelier_session") && c.Value != "" {
			return nil
		}
	}
	return fmt.Errorf("login: no session cookie")
}

type apiCluster struct {
	Set   int    `json:"set"`
	ID    string `json:"id"`
	Label string `json:"label"`
}

// project picks the first project that has clusters and returns its slug and
// cluster ids (in order, without repeats).
func (l *loader) project(ctx context.Context) (string, []string, error) {
	var resp struct {
		Projects []struct {
			Slug     string       `json:"slug"`
			Clusters []apiCluster `json:"clusters"`
		} `json:"projects"`
	}
	if err := l.getJSON(ctx, l.fac, "/api/projects", &resp); err != nil {
		return "", nil, err
	}
	for _, p := range resp.Projects {
		var ids []string
		seen := map[string]bool{}
		for _, c := range p.Clusters {
			if c.ID != "" && !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
		if len(ids) > 0 {
			return p.Slug, ids, nil
		}
	}
	return "", nil, fmt.Errorf("no project with approved clusters: import and approve a profile set first")
}

type apiSession struct {
	ID    int64   `json:"id"`
	Code  *string `json:"code"`
	State string  `json:"state"`
}

// createSession creates a session over clusters and opens it; it returns the
// session id and its join code.
func (l *loader) createSession(ctx context.Context, project string, clusters []string, n int) (int64, string, error) {
	req := map[string]any{
		"project":  project,
		"title":    fmt.Sprintf("atelier-load %d", n),
		"question": "Hoe kunnen we meten hoe snel notities aankomen?",
		"clusters": clusters,
	}
	var created apiSession
	if err := l.postJSON(ctx, l.fac, "/api/sessions", req, http.StatusCreated, &created); err != nil {
		return 0, "", fmt.Errorf("create session: %w", err)
	}
	var opened apiSession
	if err := l.postJSON(ctx, l.fac, fmt.Sprintf("/api/sessions/%d/open", created.ID), map[string]any{}, http.StatusOK, &opened); err != nil {
		return 0, "", fmt.Errorf("open session %d: %w", created.ID, err)
	}
	if opened.Code == nil || *opened.Code == "" || opened.State != "open" {
		return 0, "", fmt.Errorf("open session %d: no join code in the answer", created.ID)
	}
	return created.ID, *opened.Code, nil
}

var roles = []string{"professional", "parent", "youth", "other"}

// join joins one participant through POST /api/join; the participant's client
// keeps the atelier_participant cookie for the websocket.
func (l *loader) join(ctx context.Context, p *participant) error {
	var resp struct {
		Session struct {
			ID int64 `json:"id"`
		} `json:"session"`
		Participant struct {
			Pseudonym string `json:"pseudonym"`
			Role      string `json:"role"`
		} `json:"participant"`
	}
	body, _ := json.Marshal(map[string]string{"code": p.sess.code, "role": roles[p.idx%len(roles)]})
	for {
		data, status, retry, err := l.send(ctx, p.client, http.MethodPost, "/api/join", "application/json", body)
		if err != nil {
			return fmt.Errorf("join p%d: %w", p.idx, err)
		}
		if status == http.StatusTooManyRequests {
			// The server sheds a burst of joins this way (docs/api.md):
			// wait as long as it says, and send the same join again.
			l.joinRetries.Add(1)
			select {
			case <-time.After(retry):
				continue
			case <-ctx.Done():
				return fmt.Errorf("join p%d: %w", p.idx, ctx.Err())
			}
		}
		if status != http.StatusOK {
			return fmt.Errorf("join p%d: status %d: %s", p.idx, status, snippet(data))
		}
		if err := json.Unmarshal(data, &resp); err != nil {
			return fmt.Errorf("join p%d: %w", p.idx, err)
		}
		break
	}
	if resp.Session.ID != p.sess.id {
		return fmt.Errorf("join p%d: joined session %d, wanted %d", p.idx, resp.Session.ID, p.sess.id)
	}
	p.pseudonym = resp.Participant.Pseudonym
	return nil
}

// do sends one request with the headers the server's CSRF rules want (a
// matching Origin on every state-changing request) and returns the body.
func (l *loader) do(ctx context.Context, c *http.Client, method, path, contentType string, body []byte) ([]byte, int, error) {
	data, status, _, err := l.send(ctx, c, method, path, contentType, body)
	return data, status, err
}

// send is do that also returns how long a 429 answer asks to wait
// (Retry-After in seconds; one second when it says nothing usable).
func (l *loader) send(ctx context.Context, c *http.Client, method, path, contentType string, body []byte) ([]byte, int, time.Duration, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.cfg.base.String()+path, rd)
	if err != nil {
		return nil, 0, 0, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		req.Header.Set("Origin", l.origin)
	}
	req.Header.Set("Accept", "application/json, text/html")
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	retry := time.Second
	if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && secs >= 0 && secs <= 60 {
		retry = max(time.Duration(secs)*time.Second, 200*time.Millisecond)
	}
	return data, resp.StatusCode, retry, err
}

func (l *loader) getJSON(ctx context.Context, c *http.Client, path string, out any) error {
	data, status, err := l.do(ctx, c, http.MethodGet, path, "", nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: status %d: %s", path, status, snippet(data))
	}
	return json.Unmarshal(data, out)
}

func (l *loader) postJSON(ctx context.Context, c *http.Client, path string, in any, want int, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	data, status, err := l.do(ctx, c, http.MethodPost, path, "application/json", body)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("POST %s: status %d: %s", path, status, snippet(data))
	}
	return json.Unmarshal(data, out)
}

// snippet is the start of an error body, for messages.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
