package fakegh

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder is a Reporter that keeps what it is told, for tests that expect violations.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// take returns the messages so far and forgets them.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.msgs
	r.msgs = nil
	return m
}

// recorded starts a server whose violations go to a recorder instead of failing t.
func recorded(t *testing.T) (*Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	s := New(rec)
	t.Cleanup(s.Close)
	return s, rec
}

// client does not follow redirects, so that tests see the 302s.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// reply is a response with its body read.
type reply struct {
	*http.Response
	body string
}

// fetch sends a request as ghruns does (right headers, token "t0k3n") to the API path
// under the server's repository, e.g. "runs?per_page=5"; edit may change it first.
func fetch(t *testing.T, s *Server, method, path, body string, edit ...func(*http.Request)) reply {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = s.URL + "/repos/" + s.Owner + "/" + s.Repo + "/actions/" + path
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "ghruns/test")
	req.Header.Set("Authorization", "Bearer t0k3n")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, e := range edit {
		e(req)
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp, string(b)}
}

// header sets a request header; an empty User-Agent makes net/http send none.
func header(k, v string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

func wantStatus(t *testing.T, r reply, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.body)
	}
}
