package fakegh

import (
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is a running fake of the GitHub REST API for one repository.
// Its exported fields may be set after New and before the requests they affect.
type Server struct {
	// URL is the API base URL, with no trailing slash (the value for GHRUNS_API_URL).
	URL string
	// LogURL is the base URL of the host that serves log archives. It names the
	// loopback by another host name than URL, so that net/http drops Authorization
	// on the redirect as it does for GitHub's real log host.
	LogURL string
	// Owner and Repo name the one repository the fake serves ("octo", "hello").
	Owner, Repo string
	// RepoID is the repository's numeric ID. GitHub's Link headers address
	// pages as /repositories/{id}/…, and the fake serves that form too.
	RepoID int64
	// Public makes the repository public; by default it is private. GitHub
	// does not bill public repositories' runs on its standard runners.
	Public bool
	// DefaultBranch is the repository's default branch ("main" from New and
	// AddRepo), which GET /repos/{owner}/{repo} and an owner's listing give.
	DefaultBranch string
	// Token, when not empty, is the only token the fake accepts ("Bearer X" or
	// "token X"); any other gets 401 Bad credentials. Requests with no Authorization
	// are allowed for GETs, as on a public repository, and get 401 Requires
	// authentication for POST and DELETE.
	Token string
	// ChecksDenied makes GET …/check-runs/{id}/annotations answer 403, as GitHub
	// does for a fine-grained token, which cannot read check runs.
	ChecksDenied bool
	// Now is the fake's clock (time.Now by default): log URL expiry, rate-limit
	// windows and the times written by cancel and rerun use it.
	Now func() time.Time
	// Latency delays every API answer, as a network round trip would (benchmarks).
	Latency time.Duration
	// Unchecked skips the contract checks, which cost CPU a benchmark should
	// not measure; tests leave it off.
	Unchecked bool

	rep      Reporter
	api, log *httptest.Server
	contract *contract

	mu          sync.Mutex
	workflows   map[int64]Workflow
	runs        map[int64]*runState
	requests    []Request
	requestSeen map[string]int
	refusals    []Refusal
	logRequests []Request
	limits      map[string]*rateWindow
	inFlight    int
	maxInFlight int
	budget      *budgetState        // budget.go
	budgetOn    atomic.Bool         // budget != nil, read without mu
	waits       *approvals          // approve.go
	dispatch    *dispatching        // dispatch.go
	pulls       map[int]PullRequest // pulls.go
	artifacts   map[int64]*Artifact // artifacts.go
	// doneDepth is the deepest round trip of the requests answered so far,
	// maxDepth that of all requests (see RoundTrips).
	doneDepth, maxDepth int
}

// runState is a run with the attempts before its current one.
type runState struct {
	Run
	// earlier holds attempts replaced by a rerun through the fake, by attempt number.
	// An earlier attempt missing here (a run added with Attempt > 1) renders as the
	// current one, completed.
	earlier map[int]Run
}

// DefaultRepoID is the ID of the fake's repository unless a test sets RepoID.
const DefaultRepoID = 1296269

// New starts a fake on two loopback listeners. Violations go to r.
func New(r Reporter) *Server {
	s := &Server{
		Owner:     "octo",
		Repo:      "hello",
		RepoID:    DefaultRepoID,
		Now:       time.Now,
		rep:       r,
		contract:  mustLoadContract(),
		workflows: map[int64]Workflow{},
		runs:      map[int64]*runState{},
		limits:    map[string]*rateWindow{},

		requestSeen:   map[string]int{},
		DefaultBranch: "main",
	}
	s.api = httptest.NewServer(http.HandlerFunc(s.serveAPI))
	s.log = httptest.NewServer(http.HandlerFunc(s.serveLog))
	s.URL = s.api.URL
	s.LogURL = otherHostName(s.log.URL)
	return s
}

// Start is New(t) with the server closed when the test ends.
func Start(t *testing.T) *Server {
	t.Helper()
	s := New(t)
	t.Cleanup(s.Close)
	return s
}

// Close shuts both hosts down.
func (s *Server) Close() {
	s.api.Close()
	s.log.Close()
}

// otherHostName rewrites http://127.0.0.1:port to http://localhost:port when
// localhost resolves to 127.0.0.1, so that the log host differs from the API host by
// name, not only by port: Go's client keeps Authorization on a redirect to the same
// host name whatever the port.
func otherHostName(u string) string {
	const loopback = "http://127.0.0.1:"
	if len(u) <= len(loopback) || u[:len(loopback)] != loopback {
		return u
	}
	addrs, err := net.LookupHost("localhost")
	if err != nil || !slices.Contains(addrs, "127.0.0.1") {
		return u
	}
	return "http://localhost:" + u[len(loopback):]
}

// AddWorkflows adds workflows, replacing any with the same ID.
func (s *Server) AddWorkflows(ws ...Workflow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range ws {
		if w.State == "" {
			w.State = "active"
		}
		s.workflows[w.ID] = w
	}
}

// AddRuns adds runs, replacing any with the same ID (and forgetting its earlier
// attempts). Order does not matter: listings sort newest first. Empty fields take
// the defaults documented on Run; a WorkflowID the server does not know registers a
// workflow named Name with the file .github/workflows/<name>.yml.
func (s *Server) AddRuns(rs ...Run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rs {
		r = cloneRun(r)
		if r.Attempt == 0 {
			r.Attempt = 1
		}
		w, known := s.workflows[r.WorkflowID]
		if !known {
			w = Workflow{ID: r.WorkflowID, Name: r.Name, Path: ".github/workflows/" + slug(r.Name) + ".yml", State: "active"}
			s.workflows[w.ID] = w
		}
		if r.Name == "" {
			r.Name = w.Name
		}
		if r.DisplayTitle == "" {
			r.DisplayTitle = r.Name
		}
		if r.Status == "" {
			r.Status = "queued"
			if r.Conclusion != "" {
				r.Status = "completed"
			}
		}
		if r.StartedAt.IsZero() {
			r.StartedAt = r.CreatedAt
		}
		if r.UpdatedAt.IsZero() {
			r.UpdatedAt = r.CreatedAt
		}
		s.runs[r.ID] = &runState{Run: r, earlier: map[int]Run{}}
	}
}

// Run returns a copy of the run's current state.
func (s *Server) Run(id int64) (Run, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs, ok := s.runs[id]
	if !ok {
		return Run{}, false
	}
	return cloneRun(rs.Run), true
}

// Requests returns the requests the API host received, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneRequests(s.requests)
}

// LogRequests returns the requests the log host received, in arrival order.
func (s *Server) LogRequests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneRequests(s.logRequests)
}

// MaxInFlight is the most API requests the fake was answering at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// RoundTrips is how many round trips the API requests took one after the
// other, however long the fake took to answer: a request that arrives
// before any answer was written is round trip 1, and one that arrives after
// answers were written is one more than the deepest of those, as it may
// have waited for them. Requests sent together count once.
func (s *Server) RoundTrips() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxDepth
}

// ResetRequests forgets the requests both hosts received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.logRequests = nil, nil
	s.maxInFlight = 0
	s.doneDepth, s.maxDepth = 0, 0
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func cloneRequests(rs []Request) []Request {
	out := make([]Request, len(rs))
	for i, r := range rs {
		out[i] = Request{
			Method: r.Method,
			Path:   r.Path,
			Query:  maps.Clone(r.Query),
			Header: r.Header.Clone(),
			Body:   slices.Clone(r.Body),
		}
		for k, v := range out[i].Query {
			out[i].Query[k] = slices.Clone(v)
		}
	}
	return out
}

func cloneRun(r Run) Run {
	r.Jobs = slices.Clone(r.Jobs)
	for i := range r.Jobs {
		r.Jobs[i].Labels = slices.Clone(r.Jobs[i].Labels)
		r.Jobs[i].Steps = slices.Clone(r.Jobs[i].Steps)
	}
	if r.Usage != nil {
		u := *r.Usage
		for _, os := range []**UsageOS{&u.Ubuntu, &u.MacOS, &u.Windows} {
			if *os != nil {
				c := **os
				c.JobRuns = slices.Clone(c.JobRuns)
				*os = &c
			}
		}
		r.Usage = &u
	}
	r.Logs = slices.Clone(r.Logs)
	return r
}
