package fakegh

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// Faults makes the fake fail as GitHub does now and then, for tests of a
// client's retries and rate-limit handling. Faulted answers are recorded by
// Requests and count as in flight like any other; they are checked against
// the contract too (502 is not declared, so its body must be basic-error, as
// for any undeclared error status).
//
// "Every Nth request" counts every request to the API host, faulted or not.
// A request that was just faulted is never faulted again on its next arrival
// (same method, path and query); the fault due goes to the next other
// request. Under concurrency, counting alone would strike one request several
// times in a row by chance, and a test of a client that gives up after a few
// tries would fail now and then.
type Faults struct {
	// Every502 makes every Nth API request answer 502 Bad Gateway, before the
	// fake acts on it: the state is unchanged, so a repeated cancel is applied
	// exactly once. (GitHub does not say which of its 502s come before and
	// which after the work; FailAfterRerun covers the other case.)
	Every502 int
	// EverySecondary makes every Nth API request answer GitHub's secondary
	// rate limit: 403, its message, and Retry-After: 1. The fake does not
	// enforce the wait; one fake second lets tests inject a sleep that does
	// not really wait.
	EverySecondary int
	// FailAfterRerun makes every rerun and rerun-failed-jobs that the fake
	// carries out answer 502 all the same, as when the answer is lost on the
	// way back: the new attempt has started.
	FailAfterRerun bool
	// CloseLogAfter makes the log host close the connection after sending
	// this many bytes of an archive, once.
	CloseLogAfter int64
	// RateLimit, when above 0, replaces 5000 as the primary rate limit per
	// window of an authenticated caller.
	RateLimit int
}

// msgSecondary is the message of GitHub's secondary-rate-limit refusal.
const msgSecondary = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
	"If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."

// InjectFaults makes the server fail as f says, from the next request on,
// replacing any Faults given before; the zero Faults turns them off. It
// starts new primary rate-limit windows, so that RateLimit applies at once.
// Call it before the requests it affects, as for the exported fields.
func (s *Server) InjectFaults(f Faults) {
	fs := &faultState{Faults: f, struck: map[string]bool{}}
	s.mu.Lock()
	clear(s.limits)
	s.mu.Unlock()
	// The fault state travels to serveAPI's hooks in the request's context,
	// and wraps the log host's writer.
	s.api.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveAPI(w, r.WithContext(context.WithValue(r.Context(), faultsKey{}, fs)))
	})
	s.log.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveLog(fs.logWriter(w), r)
	})
}

type faultsKey struct{}

type fault int

const (
	noFault fault = iota
	fault502
	faultSecondary
)

// faultState is one InjectFaults' Faults and what they have done so far.
type faultState struct {
	Faults
	mu    sync.Mutex
	count int // API requests so far
	// due502 and dueSecondary are faults owed to the next requests that may
	// take one.
	due502, dueSecondary int
	// struck holds the requests (method and URI) whose last arrival was faulted.
	struck map[string]bool
	logCut bool
}

func faultsOf(r *http.Request) *faultState {
	fs, _ := r.Context().Value(faultsKey{}).(*faultState)
	return fs
}

// next counts r and tells which fault, if any, it gets.
func (fs *faultState) next(r *http.Request) fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.count++
	if fs.Every502 > 0 && fs.count%fs.Every502 == 0 {
		fs.due502++
	}
	if fs.EverySecondary > 0 && fs.count%fs.EverySecondary == 0 {
		fs.dueSecondary++
	}
	key := r.Method + " " + r.URL.RequestURI()
	if fs.struck[key] {
		delete(fs.struck, key)
		return noFault
	}
	switch {
	case fs.due502 > 0:
		fs.due502--
	case fs.dueSecondary > 0:
		fs.dueSecondary--
		fs.struck[key] = true
		return faultSecondary
	default:
		return noFault
	}
	fs.struck[key] = true
	return fault502
}

// faultBefore is serveAPI's hook before the route runs: it returns the
// faulted answer to r, if r gets one.
func (s *Server) faultBefore(r *http.Request) (response, bool) {
	fs := faultsOf(r)
	if fs == nil {
		return response{}, false
	}
	switch fs.next(r) {
	case fault502:
		return badGateway(), true
	case faultSecondary:
		return s.secondaryLimit(r), true
	}
	return response{}, false
}

// faultAfter is serveAPI's hook after the route ran: a rerun carried out
// may lose its answer.
func (s *Server) faultAfter(r *http.Request, rt *route, res response) response {
	fs := faultsOf(r)
	if fs == nil || !fs.FailAfterRerun || rt == nil || res.status != http.StatusCreated ||
		!strings.HasPrefix(rt.pattern, "runs/{run_id}/rerun") {
		return res
	}
	return badGateway()
}

// limitFault is respond's hook on the caller's identity: RateLimit replaces
// the authenticated limit.
func limitFault(r *http.Request, id identity) identity {
	if fs := faultsOf(r); fs != nil && fs.RateLimit > 0 && id.key != "" {
		id.limit = fs.RateLimit
	}
	return id
}

// badGateway is GitHub's front end failing. Its real body is an HTML page;
// the fake keeps to basic-error so that every error body has one shape, and
// sends no rate-limit headers, as the request did not reach the API.
func badGateway() response {
	res := errorResponse(http.StatusBadGateway, "Server Error", docsRoot)
	res.header.Set("Content-Type", "application/json; charset=utf-8")
	return res
}

// secondaryLimit is GitHub's secondary-rate-limit refusal of r, with the
// caller's primary limit unspent in its headers.
func (s *Server) secondaryLimit(r *http.Request) response {
	now := s.now()
	id := limitFault(r, s.identify(r))
	res := errorResponse(http.StatusForbidden, msgSecondary,
		docsRoot+"/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")
	s.mu.Lock()
	s.window(id, now).setHeaders(res.header)
	s.mu.Unlock()
	res.header.Set("Retry-After", "1")
	res.header.Set("Content-Type", "application/json; charset=utf-8")
	res.header.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	res.header.Set("X-GitHub-Media-Type", "github.v3; format=json")
	return res
}

// logWriter wraps the log host's writer to cut an archive after
// CloseLogAfter bytes.
func (fs *faultState) logWriter(w http.ResponseWriter) http.ResponseWriter {
	if fs.CloseLogAfter <= 0 {
		return w
	}
	return &cuttingWriter{ResponseWriter: w, fs: fs}
}

// cuttingWriter sends the first CloseLogAfter bytes of a 200 answer, then
// drops the connection, once per InjectFaults.
type cuttingWriter struct {
	http.ResponseWriter
	fs      *faultState
	status  int
	written int64
}

func (c *cuttingWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *cuttingWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	left := c.fs.CloseLogAfter - c.written
	if c.status != http.StatusOK || int64(len(b)) <= left || !c.fs.cutLog() {
		n, err := c.ResponseWriter.Write(b)
		c.written += int64(n)
		return n, err
	}
	c.ResponseWriter.Write(b[:left])
	http.NewResponseController(c.ResponseWriter).Flush()
	// net/http closes the connection, mid-body, without logging.
	panic(http.ErrAbortHandler)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (c *cuttingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// cutLog claims the one cut.
func (fs *faultState) cutLog() bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.logCut {
		return false
	}
	fs.logCut = true
	return true
}
