package fakegh

import (
	"strconv"
	"strings"
)

// Refusal makes the fake refuse one request as GitHub refuses some: with a
// status, GitHub's message and, for validation failures, an "errors" array of
// plain strings. GitHub's description gives errors of objects, but its real
// 422 answers also come with strings (PyGithub's recordings show
// {"message":"Validation Failed","errors":["…"]}).
type Refusal struct {
	// Method and Path select the request; Path is relative to the
	// repository's actions API, like "runs/7000000110/rerun".
	Method, Path string
	Status       int
	Message      string
	// Errors, when set, are sent as an array of strings.
	Errors []string
}

// Refuse makes every later request that r selects answer as r says.
func (s *Server) Refuse(r Refusal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals = append(s.refusals, r)
}

// refusal returns the answer of a refusal that selects the request, if any.
// It runs with s.mu held.
func (s *Server) refusal(c *call) (response, bool) {
	base := "/repos/" + s.Owner + "/" + s.Repo + "/actions/"
	rel, ok := strings.CutPrefix(c.r.URL.Path, base)
	if !ok {
		return response{}, false
	}
	for _, rf := range s.refusals {
		if rf.Method != c.r.Method || rf.Path != rel {
			continue
		}
		body := map[string]any{"message": rf.Message, "documentation_url": c.doc, "status": strconv.Itoa(rf.Status)}
		if rf.Errors != nil {
			errs := make([]any, len(rf.Errors))
			for i, e := range rf.Errors {
				errs[i] = e
			}
			body["errors"] = errs
		}
		return jsonResponse(rf.Status, body), true
	}
	return response{}, false
}
