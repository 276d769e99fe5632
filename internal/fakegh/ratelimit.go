package fakegh

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	msgBadCredentials = "Bad credentials"
	msgRequiresAuth   = "Requires authentication"
)

// identity is who a request comes from, for authentication and rate limits.
type identity struct {
	key    string // rate-limit bucket: the token, or "" for unauthenticated requests
	who    string // how a rate-limit message names the caller
	limit  int
	denied string // a 401 message, or "" when the request may go on
}

// identify authenticates r against s.Token.
func (s *Server) identify(r *http.Request) identity {
	anon := identity{who: "127.0.0.1", limit: 60}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			anon.denied = msgRequiresAuth
		}
		return anon
	}
	scheme, token, _ := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	okScheme := strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")
	if !okScheme || token == "" || (s.Token != "" && token != s.Token) {
		// Failed logins count against the caller's unauthenticated limit.
		anon.denied = msgBadCredentials
		return anon
	}
	return identity{key: "token " + token, who: "user", limit: 5000}
}

// rateWindow is one identity's primary rate limit: an hour from its first request.
type rateWindow struct {
	limit, remaining int
	reset            time.Time
}

// window returns id's current window, starting a new one when the last has ended.
// The caller holds s.mu.
func (s *Server) window(id identity, now time.Time) *rateWindow {
	w := s.limits[id.key]
	if w == nil || !now.Before(w.reset) {
		w = &rateWindow{limit: id.limit, remaining: id.limit, reset: now.Add(time.Hour).Truncate(time.Second)}
		s.limits[id.key] = w
	}
	return w
}

func (w *rateWindow) setHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(w.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(w.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(w.limit-w.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(w.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// RateRemaining is how many requests the token tok has left in its
// current window of the primary rate limit: what a benchmark reads to
// tell what a command cost (a 304 costs nothing).
func (s *Server) RateRemaining(tok string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.window(identity{key: "token " + tok, who: "user", limit: 5000}, s.now()).remaining
}
