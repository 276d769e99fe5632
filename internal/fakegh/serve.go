package fakegh

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// serveAPI answers one request on the API host: it records the request, checks it
// against the contract, authenticates it, runs the route with the state locked, adds
// the headers GitHub sends with every response, checks the response and writes it.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, recordRequest(r, body))
	requestID := s.requestID(r)
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	depth := s.doneDepth + 1
	s.maxDepth = max(s.maxDepth, depth)
	s.mu.Unlock()
	// The request leaves the count when its answer is written, or at the
	// latest when the handler returns.
	var left sync.Once
	leave := func() {
		left.Do(func() {
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
		})
	}
	defer leave()
	if s.Latency > 0 {
		time.Sleep(s.Latency)
	}

	orig := r
	r = s.canonical(r)
	rt, vars := match(r)
	for _, v := range checkHeaders(r) {
		if s.Unchecked {
			break
		}
		s.violation(r, v)
	}
	var checked *checkedRequest
	if rt == nil {
		s.rep.Errorf("fakegh: unexpected request %s %s", orig.Method, orig.URL.RequestURI())
	} else if !s.Unchecked {
		var violations []string
		checked, violations = s.contract.checkRequest(r, body, rt.inSpec)
		for _, v := range violations {
			s.violation(r, v)
		}
	}

	res, faulted := s.budgetBefore(r) // budget.go: the secondary limit, when enforced
	if !faulted {
		res, faulted = s.faultBefore(r) // faults.go: before the state changes
	}
	if !faulted {
		res = s.respond(r, rt, vars, body)
		res = s.faultAfter(r, rt, res)
	}
	if res.header == nil {
		res.header = http.Header{}
	}
	// Every answer of GitHub's API carries the ID its support asks for.
	res.header.Set("X-GitHub-Request-Id", requestID)

	if checked != nil {
		for _, v := range s.contract.checkResponse(checked, res) {
			if !res.isExpected(v) {
				s.violation(r, v)
			}
		}
	}
	for k, vs := range res.header {
		w.Header()[k] = vs
	}
	if res.body != nil {
		w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
	}
	// Counted answered, and no longer in flight, before the client can read
	// the answer: a request sent on it counts as the next round trip, and a
	// client that waits for each answer is never seen with two in flight.
	s.mu.Lock()
	s.doneDepth = max(s.doneDepth, depth)
	s.mu.Unlock()
	leave()
	w.WriteHeader(res.status)
	w.Write(res.body)
}

// respond computes the response to r, headers included.
func (s *Server) respond(r *http.Request, rt *route, vars map[string]string, body []byte) response {
	now := s.now()
	id := limitFault(r, s.identify(r))

	s.mu.Lock()
	defer s.mu.Unlock()
	win := s.window(id, now)

	var res response
	switch {
	case r.Header.Get("User-Agent") == "":
		// GitHub refuses requests with no User-Agent; its real answer is not JSON,
		// the fake keeps to basic-error so that every error body has one shape.
		res = errorResponse(http.StatusForbidden, "Request forbidden by administrative rules. "+
			"Please make sure your request has a User-Agent header ("+docsRoot+"/overview/resources-in-the-rest-api#user-agent-required).", docsRoot)
	case id.denied != "":
		doc := docsRoot
		if rt != nil && id.denied == msgRequiresAuth {
			doc = rt.doc
		}
		res = errorResponse(http.StatusUnauthorized, id.denied, doc)
	case win.remaining == 0:
		res = errorResponse(http.StatusForbidden, "API rate limit exceeded for "+id.who+".",
			docsRoot+"/overview/rate-limits-for-the-rest-api")
	case rt == nil:
		res = notFound(docsRoot)
	case !strings.EqualFold(vars["owner"], s.Owner) || !strings.EqualFold(vars["repo"], s.Repo):
		// Another repository: GitHub answers 404 for repositories it cannot show.
		res = notFound(rt.doc)
	default:
		c := &call{r: r, vars: vars, body: body, now: now, doc: rt.doc}
		var refused bool
		if res, refused = s.refusal(c); !refused {
			res = rt.handle(s, c)
		}
	}
	if res.header == nil {
		res.header = http.Header{}
	}

	if res.body != nil {
		res.header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if r.Method == http.MethodGet && res.status == http.StatusOK && res.body != nil {
		sum := sha256.Sum256(res.body)
		// GitHub's ETags are weak: W/"…".
		etag := `W/"` + hex.EncodeToString(sum[:]) + `"`
		res.header.Set("ETag", etag)
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			// A 304 does not count against the primary rate limit:
			// https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
			res = response{status: http.StatusNotModified, header: http.Header{"Etag": {etag}}}
		}
	}
	if res.status != http.StatusNotModified && win.remaining > 0 {
		win.remaining--
	}
	win.setHeaders(res.header)
	res.header.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	res.header.Set("X-GitHub-Media-Type", "github.v3; format=json")
	return res
}

// etagMatches implements If-None-Match's weak comparison (RFC 9110 §13.1.2).
func etagMatches(ifNoneMatch, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// violation reports a contract violation by the request r.
func (s *Server) violation(r *http.Request, msg string) {
	s.rep.Errorf("contract: %s %s: %s", r.Method, r.URL.Path, msg)
}

func recordRequest(r *http.Request, body []byte) Request {
	return Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
	}
}

// canonical returns r with a /repositories/{id}/ path, the form of GitHub's own
// Link headers, rewritten to /repos/{owner}/{repo}/ when id is the fake's
// repository, so that routing and the contract checks (whose description has only
// the /repos form) see one form. Any other request is returned as it is.
func (s *Server) canonical(r *http.Request) *http.Request {
	const prefix = "/repositories/"
	rest, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok {
		return r
	}
	id, tail, _ := strings.Cut(rest, "/")
	if id != strconv.FormatInt(s.RepoID, 10) {
		return r
	}
	c := r.Clone(r.Context())
	base := "/repos/" + s.Owner + "/" + s.Repo + "/"
	c.URL.Path = base + tail
	if r.URL.RawPath != "" {
		_, rawTail, _ := strings.Cut(strings.TrimPrefix(r.URL.RawPath, prefix), "/")
		c.URL.RawPath = base + rawTail
	}
	c.RequestURI = c.URL.RequestURI()
	return c
}

// requestID makes the X-GitHub-Request-Id of a request, in GitHub's form
// (five hexadecimal groups). It depends on the request and how many like it
// came before, not on arrival order among others, so that outputs quoting it
// stay the same when requests run in parallel. It runs with s.mu held.
func (s *Server) requestID(r *http.Request) string {
	key := r.Method + " " + r.URL.RequestURI()
	s.requestSeen[key]++
	h := fnv.New64a()
	fmt.Fprintf(h, "%s#%d", key, s.requestSeen[key])
	x := fmt.Sprintf("%016X", h.Sum64())
	return x[0:4] + ":" + x[4:8] + ":" + x[8:12] + ":" + x[12:16] + ":" + fmt.Sprintf("%08X", uint32(len(key)))
}
