// Package replay serves answers recorded from the real api.github.com to
// tests: a test HTTP server that answers a request with the recorded
// exchange of the same method, path and query, and 404 for anything
// unrecorded. The recordings stay outside the repository; tests read them
// at run time.
//
// A recording is a pair of files: NAME.json, the request and the answer's
// status and headers (with the host it was made on), and NAME.body, the
// answer's body, decoded.
package replay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Exchange is one recorded request and GitHub's answer to it.
type Exchange struct {
	// Name is the recording's file name without its extension; Group the
	// folder it is in.
	Name, Group string
	// Kind says how real the recording is: "recorded" straight from
	// api.github.com, or edited, composed or written by hand.
	Kind   string
	Method string
	// Path is the request's path; Query its query.
	Path   string
	Query  url.Values
	Status int
	Header http.Header
	Body   []byte
}

// Written reports whether the exchange was written by hand rather than
// recorded from GitHub: its body says nothing about how GitHub answers.
func (e Exchange) Written() bool { return e.Kind == "hand-written" }

// meta is a recording's NAME.json.
type meta struct {
	Name     string     `json:"name"`
	Kind     string     `json:"kind"`
	Method   string     `json:"method"`
	URL      string     `json:"url"`
	Status   int        `json:"status"`
	Headers  [][]string `json:"headers"`
	BodyFile string     `json:"body_file"`
}

// Load reads every recording in the folders under dir.
func Load(dir string) ([]Exchange, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no recordings in %s", dir)
	}
	slices.Sort(files)
	var out []Exchange
	for _, f := range files {
		e, err := load(f)
		if err != nil {
			return nil, fmt.Errorf("recording %s: %w", f, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func load(file string) (Exchange, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Exchange{}, err
	}
	var m meta
	if err := json.Unmarshal(data, &m); err != nil {
		return Exchange{}, err
	}
	u, err := url.Parse(m.URL)
	if err != nil {
		return Exchange{}, err
	}
	e := Exchange{Name: m.Name, Group: filepath.Base(filepath.Dir(file)), Kind: m.Kind, Method: m.Method,
		Path: u.Path, Query: u.Query(), Status: m.Status, Header: http.Header{}}
	for _, kv := range m.Headers {
		if len(kv) == 2 {
			e.Header.Add(kv[0], kv[1])
		}
	}
	if m.BodyFile != "" {
		if e.Body, err = os.ReadFile(filepath.Join(filepath.Dir(file), m.BodyFile)); err != nil {
			return Exchange{}, err
		}
	}
	return e, nil
}

// Server answers requests with recorded exchanges.
type Server struct {
	// URL is the server's base URL, for GHRUNS_API_URL.
	URL       string
	srv       *httptest.Server
	exchanges []Exchange
	repos     map[string]string // "/repositories/ID" → "/repos/OWNER/NAME"

	mu     sync.Mutex
	served []string
	missed []string
}

// New starts a server answering with exchanges: for each request, the first
// of them whose method, path and query match it. Put the recording a test is
// about first when several answer the same request.
func New(exchanges []Exchange) *Server {
	s := &Server{exchanges: exchanges, repos: repositoryIDs(exchanges)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Served lists the recordings the server answered with, by name, in order.
func (s *Server) Served() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.served)
}

// Missed lists the requests nothing recorded answered, as "METHOD /path?query".
func (s *Server) Missed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.missed)
}

// hopHeaders describe the recorded connection and encoding, not the answer
// this server sends: the bodies are stored decoded.
var hopHeaders = []string{"Content-Length", "Transfer-Encoding", "Connection", "Content-Encoding", "Status", "Keep-Alive"}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	e, ok := s.match(r)
	s.mu.Lock()
	if ok {
		s.served = append(s.served, e.Name)
	} else {
		line := r.Method + " " + r.URL.Path
		if r.URL.RawQuery != "" {
			line += "?" + r.URL.RawQuery
		}
		s.missed = append(s.missed, line)
	}
	s.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found (nothing recorded for this request)"}`)
		return
	}
	h := w.Header()
	for k, vs := range e.Header {
		if slices.Contains(hopHeaders, k) {
			continue
		}
		for _, v := range vs {
			if k == "Link" || k == "Location" {
				v = s.rewrite(v)
			}
			h.Add(k, v)
		}
	}
	w.WriteHeader(e.Status)
	if len(e.Body) > 0 && r.Method != http.MethodHead {
		_, _ = w.Write(e.Body)
	}
}

// hostRE matches the hosts recorded answers point at: the API, and the
// storage its downloads redirect to (logs and older artifacts on
// *.actions.githubusercontent.com, artifacts uploaded with
// actions/upload-artifact v4 on Azure Blob Storage). A host left out would
// send a test to the internet.
var hostRE = regexp.MustCompile(`https://(api\.github\.com|[a-z0-9.-]+\.actions\.githubusercontent\.com|[a-z0-9-]+\.blob\.core\.windows\.net)`)

// rewrite points the recorded URLs of a Link or Location header at this server.
func (s *Server) rewrite(v string) string { return hostRE.ReplaceAllString(v, s.URL) }

// match finds the exchange that answers r.
func (s *Server) match(r *http.Request) (Exchange, bool) {
	path := s.canonical(r.URL.Path)
	query := normalQuery(r.URL.Query())
	for _, e := range s.exchanges {
		if e.Method == r.Method && s.canonical(e.Path) == path && normalQuery(e.Query) == query {
			return e, true
		}
	}
	return Exchange{}, false
}

var repositoriesRE = regexp.MustCompile(`^/repositories/[0-9]+`)

// canonical addresses a repository by owner and name where the recordings
// tell its ID: GitHub's Link headers use /repositories/{id}/….
func (s *Server) canonical(path string) string {
	if m := repositoriesRE.FindString(path); m != "" {
		if repo, ok := s.repos[m]; ok {
			return repo + path[len(m):]
		}
	}
	return path
}

// normalQuery is the query as it selects an answer: per_page does not (a
// recording made with pages of one answers any page size), nor does
// exclude_pull_requests (it trims the answer, it selects no other runs);
// page 1 and filter=latest are GitHub's defaults.
func normalQuery(q url.Values) string {
	c := url.Values{}
	for k, v := range q {
		if k == "per_page" || k == "exclude_pull_requests" {
			continue
		}
		c[k] = slices.Sorted(slices.Values(v))
	}
	if c.Get("page") == "" {
		c.Set("page", "1")
	}
	if c.Get("filter") == "" {
		c.Set("filter", "latest")
	}
	return c.Encode()
}

var (
	reposPathRE = regexp.MustCompile(`^/repos/[^/]+/[^/]+`)
	linkRepoRE  = regexp.MustCompile(`https://api\.github\.com(/repositories/[0-9]+)`)
	runPathRE   = regexp.MustCompile(`^/repos/[^/]+/[^/]+/actions/runs/[0-9]+$`)
)

// repositoryIDs learns which repository an ID is from the recordings: a
// request made by owner and name whose Link header names the repository by
// ID, or a run whose body carries both.
func repositoryIDs(exchanges []Exchange) map[string]string {
	ids := map[string]string{}
	for _, e := range exchanges {
		byName := reposPathRE.FindString(e.Path)
		if byName == "" {
			continue
		}
		for _, link := range e.Header.Values("Link") {
			for _, m := range linkRepoRE.FindAllStringSubmatch(link, -1) {
				ids[m[1]] = byName
			}
		}
		if !runPathRE.MatchString(e.Path) {
			continue // only a single run's body is worth decoding for its repository
		}
		var run struct {
			Repository *struct {
				ID       int64  `json:"id"`
				FullName string `json:"full_name"`
			} `json:"repository"`
		}
		if json.Unmarshal(e.Body, &run) == nil && run.Repository != nil && run.Repository.ID != 0 &&
			strings.Count(run.Repository.FullName, "/") == 1 {
			ids[fmt.Sprintf("/repositories/%d", run.Repository.ID)] = "/repos/" + run.Repository.FullName
		}
	}
	return ids
}
