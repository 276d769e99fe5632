package fakegh

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Owner is a fake of GitHub's API for an organisation or a user with many
// repositories. It lists them (GET /orgs/{org}/repos, or /users/{user}/repos
// when User is set), answers GET /rate_limit, and hands each repository's
// Actions requests to a Server of its own, which all share one URL and one
// rate-limit window.
type Owner struct {
	// URL is the API base URL (the value for GHRUNS_API_URL).
	URL string
	// Login is the organisation's or user's login.
	Login string
	// User makes the owner a user: /orgs/{login}/repos answers 404.
	User bool
	// Latency delays every answer, as a network round trip would.
	Latency time.Duration
	// Unchecked skips the contract checks (benchmarks).
	Unchecked bool

	rep      Reporter
	api      *httptest.Server
	contract *contract

	// mu is held while a repository's Server answers, so that the Servers can
	// share one rate-limit window; latency is spent before it is taken.
	mu          sync.Mutex
	repos       []*OwnedRepo
	limits      map[string]*rateWindow
	requests    []Request
	inFlight    int
	maxInFlight int
}

// OwnedRepo is one repository of an Owner, private unless its Server's
// Public is set.
type OwnedRepo struct {
	// Server serves the repository's Actions endpoints: add runs to it.
	*Server
	Fork, Archived bool
	// ActionsDisabled makes every Actions endpoint of the repository answer
	// 404, as GitHub does when Actions is disabled for it.
	ActionsDisabled bool
}

// StartOwner starts a fake owner named login, closed when the test ends.
func StartOwner(t testing.TB, login string) *Owner {
	t.Helper()
	o := &Owner{Login: login, rep: t, contract: mustLoadContract(), limits: map[string]*rateWindow{}}
	o.api = httptest.NewServer(http.HandlerFunc(o.serve))
	o.URL = o.api.URL
	t.Cleanup(o.api.Close)
	return o
}

// AddRepo adds a repository named name and returns it, so that a test can
// add runs and set its flags.
func (o *Owner) AddRepo(name string) *OwnedRepo {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := &Server{
		URL: o.URL, LogURL: o.URL,
		Owner: o.Login, Repo: name,
		RepoID:      DefaultRepoID + int64(len(o.repos)) + 1,
		Now:         time.Now,
		rep:         o.rep,
		contract:    o.contract,
		workflows:   map[int64]Workflow{},
		runs:        map[int64]*runState{},
		limits:      o.limits,
		requestSeen: map[string]int{},

		DefaultBranch: "main",
	}
	r := &OwnedRepo{Server: s}
	o.repos = append(o.repos, r)
	return r
}

// Requests returns the requests the owner's host received, in arrival order.
func (o *Owner) Requests() []Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return cloneRequests(o.requests)
}

// ResetRequests forgets the requests received so far.
func (o *Owner) ResetRequests() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests = nil
	o.maxInFlight = 0
}

// MaxInFlight is the most requests the owner's host was answering at once.
func (o *Owner) MaxInFlight() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.maxInFlight
}

// Repos returns the owner's repositories in the order they were added.
func (o *Owner) Repos() []*OwnedRepo {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.repos)
}

// RateRemaining is how many requests the token tok has left in its window.
func (o *Owner) RateRemaining(tok string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.window(identity{key: "token " + tok, who: "user", limit: 5000}).remaining
}

// SetRateRemaining sets how many requests the token tok has left in its
// current window.
func (o *Owner) SetRateRemaining(tok string, n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	id := identity{key: "token " + tok, who: "user", limit: 5000}
	o.window(id).remaining = n
}

func (o *Owner) window(id identity) *rateWindow {
	return (&Server{limits: o.limits}).window(id, time.Now())
}

func (o *Owner) serve(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.inFlight++
	o.maxInFlight = max(o.maxInFlight, o.inFlight)
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		o.inFlight--
		o.mu.Unlock()
	}()
	if o.Latency > 0 {
		time.Sleep(o.Latency)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requests = append(o.requests, recordRequest(r, nil))
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 3 && parts[2] == "repos" &&
		(parts[0] == "orgs" || parts[0] == "users"):
		o.write(w, r, o.listRepos(r, parts[0], parts[1]))
	case r.Method == http.MethodGet && r.URL.Path == "/rate_limit":
		o.write(w, r, o.rateLimit(r))
	case len(parts) >= 3 && (parts[0] == "repos" || parts[0] == "repositories"):
		repo := o.find(parts)
		if repo == nil || repo.ActionsDisabled {
			o.write(w, r, notFound(docsRoot))
			return
		}
		repo.Server.serveAPI(w, r)
	default:
		o.rep.Errorf("fakegh: unexpected request %s %s", r.Method, r.URL.RequestURI())
		o.write(w, r, notFound(docsRoot))
	}
}

// find returns the repository a /repos/{owner}/{repo}/… or
// /repositories/{id}/… path names, or nil.
func (o *Owner) find(parts []string) *OwnedRepo {
	for _, repo := range o.repos {
		if parts[0] == "repos" && strings.EqualFold(parts[1], o.Login) && strings.EqualFold(parts[2], repo.Repo) ||
			parts[0] == "repositories" && parts[1] == strconv.FormatInt(repo.RepoID, 10) {
			return repo
		}
	}
	return nil
}

// listRepos answers an owner's repository listing, sorted by name, paged
// with GitHub's Link header.
func (o *Owner) listRepos(r *http.Request, kind, login string) response {
	if !strings.EqualFold(login, o.Login) || (kind == "orgs") == o.User {
		return notFound(docsRoot)
	}
	o.checkHeaders(r)
	repos := slices.Clone(o.repos)
	slices.SortFunc(repos, func(a, b *OwnedRepo) int { return strings.Compare(strings.ToLower(a.Repo), strings.ToLower(b.Repo)) })
	p := pageOf(r)
	lo, hi := p.slice(len(repos))
	items := make([]map[string]any, 0, hi-lo)
	for _, repo := range repos[lo:hi] {
		visibility := "private"
		if repo.Public {
			visibility = "public"
		}
		items = append(items, map[string]any{
			"id":             repo.RepoID,
			"name":           repo.Repo,
			"full_name":      o.Login + "/" + repo.Repo,
			"owner":          map[string]any{"login": o.Login, "type": map[bool]string{true: "User", false: "Organization"}[o.User]},
			"private":        !repo.Public,
			"visibility":     visibility,
			"fork":           repo.Fork,
			"archived":       repo.Archived,
			"html_url":       "https://github.com/" + o.Login + "/" + repo.Repo,
			"url":            o.URL + "/repos/" + o.Login + "/" + repo.Repo,
			"default_branch": repo.DefaultBranch,
		})
	}
	res := jsonResponse(http.StatusOK, items)
	(&Server{URL: o.URL}).setLink(&res, r, p, len(repos))
	return res
}

// rateLimit answers GET /rate_limit, which does not count against the limit.
func (o *Owner) rateLimit(r *http.Request) response {
	o.checkHeaders(r)
	id := (&Server{}).identify(r)
	win := o.window(id)
	core := map[string]any{"limit": win.limit, "remaining": win.remaining, "used": win.limit - win.remaining,
		"reset": win.reset.Unix(), "resource": "core"}
	return jsonResponse(http.StatusOK, map[string]any{"resources": map[string]any{"core": core}, "rate": core})
}

// checkHeaders reports requests to the owner's own endpoints, which the
// OpenAPI subset lacks, that miss the headers GitHub asks of every request.
func (o *Owner) checkHeaders(r *http.Request) {
	if o.Unchecked {
		return
	}
	for _, m := range checkHeaders(r) {
		o.rep.Errorf("contract: %s %s: %s", r.Method, r.URL.Path, m)
	}
}

// write sends an answer of the owner's own endpoints with GitHub's common
// headers, a weak ETag, and a 304 that costs nothing when it still matches.
func (o *Owner) write(w http.ResponseWriter, r *http.Request, res response) {
	win := o.window((&Server{}).identify(r))
	if res.header == nil {
		res.header = http.Header{}
	}
	if res.body != nil {
		res.header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if res.status == http.StatusOK && r.URL.Path != "/rate_limit" {
		sum := sha256.Sum256(res.body)
		etag := `W/"` + hex.EncodeToString(sum[:]) + `"`
		res.header.Set("ETag", etag)
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			res = response{status: http.StatusNotModified, header: http.Header{"Etag": {etag}}}
		}
	}
	if res.status != http.StatusNotModified && r.URL.Path != "/rate_limit" && win.remaining > 0 {
		win.remaining--
	}
	win.setHeaders(res.header)
	res.header.Set("X-GitHub-Request-Id", fmt.Sprintf("0000:%04X:0000:0000:00000000", len(o.requests)))
	for k, vs := range res.header {
		w.Header()[k] = vs
	}
	if res.body != nil {
		w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
	}
	w.WriteHeader(res.status)
	w.Write(res.body)
}
