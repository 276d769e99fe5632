package fakegh

import (
	"cmp"
	"fmt"
	"strconv"
	"time"
)

// PullRequest is a pull request as the fake stores it: what GET
// …/pulls/{pull_number} needs to say where its head is.
type PullRequest struct {
	Number int
	Title  string
	// HeadRef is the head branch and HeadSHA its commit, which the pull
	// request's runs are for.
	HeadRef, HeadSHA string
	// BaseRef is the branch it merges into; "" means main.
	BaseRef string
	// State is open or closed; "" means open.
	State     string
	Author    string
	CreatedAt time.Time
}

// AddPullRequests adds pull requests, replacing any with the same number.
func (s *Server) AddPullRequests(ps ...PullRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pulls == nil {
		s.pulls = map[int]PullRequest{}
	}
	for _, p := range ps {
		s.pulls[p.Number] = p
	}
}

// pullRoutes are served by this file. GitHub has the endpoint; the
// description the fake checks against lacks it, so it gets the header
// checks only.
var pullRoutes = []route{
	{"GET", "/pulls/{pull_number}", "https://docs.github.com/rest/pulls/pulls#get-a-pull-request", false, (*Server).getPull},
}

func init() { routes = append(routes, pullRoutes...) }

// getPull serves a pull request: its number, state, title, author and
// head and base (ref, sha, label), as GitHub's pull-request object has
// them; 404 for a number the server does not have.
func (s *Server) getPull(c *call) response {
	n, err := strconv.Atoi(c.vars["pull_number"])
	p, ok := s.pulls[n]
	if err != nil || !ok {
		return notFound(c.doc)
	}
	rd := s.renderer()
	author := cmp.Or(p.Author, "monalisa")
	created := cmp.Or(p.CreatedAt, SeedBase.Add(-time.Hour))
	ref := func(name, sha string) map[string]any {
		return map[string]any{"label": s.Owner + ":" + name, "ref": name, "sha": sha, "user": rd.user(s.Owner), "repo": rd.repo}
	}
	return jsonResponse(200, map[string]any{
		"url":        fmt.Sprintf("%s/pulls/%d", rd.base, n),
		"id":         int64(n) + 1_900_000_000,
		"node_id":    fmt.Sprintf("PR_kwDO%08d", n),
		"html_url":   fmt.Sprintf("%s/pull/%d", rd.web, n),
		"number":     n,
		"state":      cmp.Or(p.State, "open"),
		"locked":     false,
		"title":      p.Title,
		"user":       rd.user(author),
		"body":       nil,
		"draft":      false,
		"merged":     false,
		"created_at": created.UTC().Format(time.RFC3339),
		"updated_at": created.UTC().Format(time.RFC3339),
		"head":       ref(p.HeadRef, p.HeadSHA),
		"base":       ref(cmp.Or(p.BaseRef, "main"), hexHash("base of pull request "+strconv.Itoa(n))),
	})
}
