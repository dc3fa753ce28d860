package barehub

// The HTTP endpoints of the loader's flow: a login that lets anyone in, one
// fake project, sessions kept in memory, and joins by code.

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

func (h *Hub) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	token := randomToken(16)
	http.SetCookie(w, &http.Cookie{Name: "atelier_csrf", Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="nl"><title>Inloggen</title>
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="%s">
<input name="email"><input name="password" type="password"><button>Inloggen</button>
</form></html>`, token)
}

func (h *Hub) handleLogin(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "atelier_session", Value: randomToken(20), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *Hub) handleProjects(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"projects": []any{map[string]any{
		"slug": projectSlug, "name": "Smart Start (bare hub)", "clusters": fakeClusters,
	}}})
}

// sessionJSON is the session as the API returns it.
func (s *session) view() map[string]any {
	var code any
	if s.code != "" {
		code = s.code
	}
	return map[string]any{"id": s.id, "code": code, "state": s.state, "title": s.title,
		"question": s.question, "project": projectSlug, "clusters": s.clusters, "vote_budget": 5}
}

func (h *Hub) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Project  string   `json:"project"`
		Title    string   `json:"title"`
		Question string   `json:"question"`
		Clusters []string `json:"clusters"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid"})
		return
	}
	s := &session{title: req.Title, question: req.Question, state: "draft", subs: map[*conn]struct{}{}}
	for _, id := range req.Clusters {
		for _, c := range fakeClusters {
			if c.ID == id {
				s.clusters = append(s.clusters, cluster{ID: c.ID, Label: c.Label})
			}
		}
	}
	if len(s.clusters) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid"})
		return
	}
	h.mu.Lock()
	h.nextSession++
	s.id = h.nextSession
	h.sessions[s.id] = s
	v := s.view()
	h.mu.Unlock()
	writeJSON(w, http.StatusCreated, v)
}

func (h *Hub) sessionOf(r *http.Request) *session {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sessions[id]
}

func (h *Hub) handleOpenSession(w http.ResponseWriter, r *http.Request) {
	s := h.sessionOf(r)
	if s == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
		return
	}
	h.mu.Lock()
	if s.code == "" {
		for {
			code := randomToken(5)[:6]
			if h.byCode[code] == nil {
				s.code = code
				h.byCode[code] = s
				break
			}
		}
	}
	s.state = "open"
	v := s.view()
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

func (h *Hub) handleGetSession(w http.ResponseWriter, r *http.Request) {
	s := h.sessionOf(r)
	if s == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
		return
	}
	h.mu.Lock()
	v := s.view()
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

var colours = []string{"Blauwe", "Groene", "Oranje", "Rode", "Gele", "Paarse", "Grijze", "Witte"}
var animals = []string{"Reiger", "Das", "Vos", "Egel", "Uil", "Merel", "Haas", "Otter", "Zwaan", "Mol"}

func (h *Hub) handleJoin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
		Role string `json:"role"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid"})
		return
	}
	if req.Role == "" {
		req.Role = "other"
	}
	token := randomToken(20)
	h.mu.Lock()
	s := h.byCode[req.Code]
	if s == nil || s.state != "open" {
		h.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
		return
	}
	h.nextPart++
	n := h.nextPart
	p := &participant{
		id:        "p" + strconv.FormatInt(n, 10),
		pseudonym: colours[n%int64(len(colours))] + " " + animals[(n/int64(len(colours)))%int64(len(animals))],
		role:      req.Role,
		session:   s,
	}
	h.participants[token] = p
	v := s.view()
	h.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "atelier_participant", Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	writeJSON(w, http.StatusOK, map[string]any{"session": v,
		"participant": map[string]string{"pseudonym": p.pseudonym, "role": p.role}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
