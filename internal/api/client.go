// Package api is a thin REST client for GitHub's Actions workflow-run
// endpoints: typed results, one typed error, paging that fetches the pages
// after the first in parallel, and the retries and rate-limit waits GitHub
// asks of its clients (retry.go).
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gojson "github.com/goccy/go-json"
)

// Repo names a repository on the client's host.
type Repo struct {
	Owner string
	Name  string
}

func (r Repo) String() string { return r.Owner + "/" + r.Name }

// path is the repository's Actions prefix, with each part escaped as one segment.
func (r Repo) path(rest string) string {
	return "repos/" + url.PathEscape(r.Owner) + "/" + url.PathEscape(r.Name) + "/actions/" + rest
}

// Options configures a Client.
type Options struct {
	// BaseURL is the REST root: https://api.github.com, https://HOST/api/v3, or a test server.
	BaseURL string
	// Token authenticates requests; empty means unauthenticated.
	Token string
	// UserAgent is sent on every request; GitHub rejects requests without one.
	UserAgent string
	// Concurrency bounds the requests in flight across the whole client; 1
	// means one at a time.
	Concurrency int
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
	// Debug, when set, receives one line per request and response, token redacted.
	Debug io.Writer
	// CacheDir, when set, keeps ETags and bodies of GET answers there and
	// asks GitHub for changes only (If-None-Match).
	CacheDir string
	// Notice, when set, receives one line each time the client waits for
	// GitHub's secondary rate limit, so that a pause does not look like a hang.
	Notice io.Writer
	// RetryBase is the first back-off before repeating a failed request;
	// later ones double, up to a few seconds, with full jitter. 0 means 200ms.
	RetryBase time.Duration
	// Sleep waits d or until ctx is done, returning ctx's error then (tests
	// pass one that does not really wait). nil means Sleep.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock rate-limit resets are measured against (tests); nil
	// means time.Now.
	Now func() time.Time
	// Timeout is how long a request may stall, on the API or the log host:
	// waiting for an answer, or for the next bytes of one. Connecting gets
	// a third of it. 0 means DefaultTimeout.
	Timeout time.Duration

	// dial replaces the network dialer of the default transport (tests).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Client calls GitHub's REST API.
type Client struct {
	base        *url.URL
	token       string
	userAgent   string
	concurrency int
	api         *http.Client // never follows redirects: the logs 302 is handled by hand
	plain       *http.Client // for redirect targets on other hosts: sends no token
	debug       io.Writer
	notice      io.Writer
	retryBase   time.Duration
	sleep       func(context.Context, time.Duration) error
	now         func() time.Time
	timeout     time.Duration
	// slots holds one token per request in flight: every round trip, on
	// either host, takes one, and gives it back before any wait.
	slots chan struct{}
	// pageSlots is the same for the pages of a listing, which are asked
	// for all at once: a listing of known length takes one round trip. At
	// concurrency 1 it is slots itself.
	pageSlots chan struct{}

	mu   sync.Mutex // guards rate and the fields below it
	rate rateState
	// pauseUntil is when the latest secondary rate limit ends: no request
	// starts before then.
	pauseUntil time.Time

	// names keeps, per repository, the workflows' names by ID, listed once
	// for runs that lack their workflow's name (see fallback.go).
	names namesCache
}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	base, err := url.Parse(strings.TrimSuffix(opts.BaseURL, "/") + "/")
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("invalid API URL %q: want scheme://host[/path]", maskUserinfo(opts.BaseURL))
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	transport := opts.Transport
	if transport == nil {
		// Keep a connection per worker alive: the default keeps two, and a
		// new TLS handshake costs more than a request.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = max(pagingWidth(opts.Concurrency), 2)
		t.DialContext = dialer(connectTimeout(timeout), opts.dial)
		t.TLSHandshakeTimeout = connectTimeout(timeout)
		transport = t
	}
	apiTransport := transport
	if opts.CacheDir != "" {
		apiTransport = newCacheTransport(transport, opts.CacheDir, opts.Token)
	}
	conc := opts.Concurrency
	if conc < 1 {
		conc = 1
	}
	c := &Client{
		base:        base,
		token:       opts.Token,
		userAgent:   opts.UserAgent,
		concurrency: conc,
		api: &http.Client{
			Transport: guardLocation{apiTransport},
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		plain:     &http.Client{Transport: transport, Timeout: 0, CheckRedirect: storageRedirect},
		debug:     opts.Debug,
		notice:    opts.Notice,
		retryBase: opts.RetryBase,
		sleep:     opts.Sleep,
		now:       opts.Now,
		timeout:   timeout,
		slots:     make(chan struct{}, conc),
	}
	// At concurrency 1 the pages share the one slot: one request at a time.
	c.pageSlots = c.slots
	if w := pagingWidth(conc); w > 1 {
		c.pageSlots = make(chan struct{}, w)
	}
	if c.retryBase <= 0 {
		c.retryBase = defaultRetryBase
	}
	if c.sleep == nil {
		c.sleep = Sleep
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// RateLimit is GitHub's primary rate limit as its latest answer gave it:
// the requests left and when the window resets. ok is false until an
// answer has said. Bulk callers check it before starting.
func (c *Client) RateLimit() (remaining int64, reset time.Time, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate.remaining, c.rate.reset, c.rate.known
}

// Concurrency is the number of requests the client allows in flight at
// once, pages of a listing aside (see PagingWidth).
func (c *Client) Concurrency() int { return c.concurrency }

// PagingWidth is the number of pages of a listing the client asks for at
// once: at least speculativePages, or the concurrency when it is larger,
// and one at a time when the concurrency is 1.
func (c *Client) PagingWidth() int { return cap(c.pageSlots) }

// speculativePages is how many pages of a listing go out at once at the
// least: -L 1000 is ten pages, and GitHub allows up to 100 concurrent
// requests (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
const speculativePages = 16

func pagingWidth(concurrency int) int {
	if concurrency <= 1 {
		return 1
	}
	return max(concurrency, speculativePages)
}

// newRequest builds a request for path (relative to the base) and query.
func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body any) (*http.Request, error) {
	u := c.base.JoinPath(path)
	u.RawQuery = query.Encode()
	return c.newRequestURL(ctx, method, u.String(), body)
}

func (c *Client) newRequestURL(ctx context.Context, method, rawURL string, body any) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "token "+c.token)
	}
	return req, nil
}

// sendOpts says how send treats an answer.
type sendOpts struct {
	// redirect makes a 3xx an answer for the caller rather than an error.
	redirect bool
	// retry repeats the request after a transient failure (a 502, 503 or
	// 504, or a broken connection). Only requests that are safe to repeat
	// set it; every request is repeated after a secondary rate limit, which
	// GitHub answers without acting.
	retry bool
	// paging takes one of the client's page slots, not a request slot.
	paging bool
}

// send performs req, waiting out secondary rate limits and repeating it
// after transient failures as opts allows, and turns any status of 300 or
// more, other than a redirect the caller asked to see, into an *HTTPError,
// or a *RateLimitError when GitHub's primary rate limit is used up. The
// answer's body is read in full before send returns.
func (c *Client) send(req *http.Request, opts sendOpts) (*http.Response, error) {
	ctx := req.Context()
	failures, limited, resets := 0, 0, 0
	for {
		if err := c.spent(req); err != nil {
			if !c.waitReset(err, &resets) {
				return nil, err
			}
		}
		if err := c.waitPause(ctx); err != nil {
			return nil, err
		}
		resp, err := c.roundTrip(req, opts.paging)
		if err == nil {
			var he *HTTPError
			if resp.StatusCode >= 300 && !(opts.redirect && resp.StatusCode < 400) {
				he = newHTTPError(resp)
				if wait, limit, why, ok := c.secondaryWait(he, limited); ok && limited < maxSecondaryWaits {
					if wait > limit {
						return nil, &RateLimitError{Reset: c.now().Add(wait), Err: he, left: wait, Secondary: true}
					}
					limited++
					c.pause(wait, "secondary rate limit", why)
					continue
				}
			}
			c.noteSpent(resp.Header, he)
			if he == nil {
				return resp, nil
			}
			if rl := c.primaryLimit(he); rl != nil {
				if c.waitReset(rl, &resets) {
					continue
				}
				return nil, rl
			}
			err = he
		}
		failures++
		if !opts.retry || failures >= maxAttempts || !isTransient(ctx, err) {
			return nil, err
		}
		if err := c.backoff(ctx, failures, err); err != nil {
			return nil, err
		}
	}
}

// roundTrip performs one attempt of req in a slot and reads the answer
// whole, so that the slot is free again when it returns.
func (c *Client) roundTrip(req *http.Request, paging bool) (*http.Response, error) {
	ctx := req.Context()
	slots := c.slots
	if paging {
		slots = c.pageSlots
	}
	if err := acquire(ctx, slots); err != nil {
		return nil, err
	}
	defer func() { <-slots }()
	attempt := req
	if req.GetBody != nil {
		// A repeat needs the body again: the last attempt consumed it.
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		attempt = req.Clone(ctx)
		attempt.Body = body
	}
	start := time.Now()
	shown := redact(req.URL)
	c.logf("> %s %s", req.Method, shown)
	wctx, w := watch(ctx, req.URL.Host, c.timeout)
	defer w.stop()
	resp, err := c.api.Do(attempt.WithContext(wctx))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, shown, stalled(wctx, unwrapURLError(err)))
	}
	body, err := readJSONBody(w.body(resp.Body))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", req.Method, shown, stalled(wctx, err))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.noteRate(resp)
	cached := ""
	if resp.Header.Get("X-Ghruns-Cache") == "hit" {
		cached = ", unchanged: served from the cache"
	}
	c.logf("< %s %s: %d in %s (rate limit remaining %s%s)", req.Method, shown, resp.StatusCode,
		time.Since(start).Round(time.Millisecond), headerOr(resp.Header, "X-Ratelimit-Remaining", "-"), cached)
	return resp, nil
}

// acquire takes a request slot, or gives up when ctx is done.
func (c *Client) acquire(ctx context.Context) error { return acquire(ctx, c.slots) }

func (c *Client) release() { <-c.slots }

// acquire takes one of slots, or gives up when ctx is done.
func acquire(ctx context.Context, slots chan struct{}) error {
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// do sends a request and decodes a JSON answer into out, when out is not
// nil. GETs are repeated after transient failures; other methods are not.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) (http.Header, error) {
	return c.doWith(ctx, method, path, query, body, out, sendOpts{retry: method == http.MethodGet})
}

func (c *Client) doWith(ctx context.Context, method, path string, query url.Values, body, out any, opts sendOpts) (http.Header, error) {
	req, err := c.newRequest(ctx, method, path, query, body)
	if err != nil {
		return nil, err
	}
	return c.decodeResponse(req, out, opts)
}

// decodeResponse sends req and decodes its JSON answer into out, when out is not nil.
func (c *Client) decodeResponse(req *http.Request, out any, opts sendOpts) (http.Header, error) {
	resp, err := c.send(req, opts)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if out == nil {
		return resp.Header, nil
	}
	// goccy/go-json decodes GitHub's run pages (over 1 MB for 100 runs,
	// each with two whole repository objects) several times faster than
	// encoding/json, with the same semantics.
	if err := gojson.NewDecoder(resp.Body).Decode(out); err != nil {
		return nil, fmt.Errorf("%s %s: decoding the answer: %w", req.Method, redact(req.URL), err)
	}
	return resp.Header, nil
}

func (c *Client) logf(format string, args ...any) {
	if c.debug != nil {
		fmt.Fprintf(c.debug, format+"\n", args...)
	}
}

func headerOr(h http.Header, key, fallback string) string {
	if v := h.Get(key); v != "" {
		return v
	}
	return fallback
}

// maskUserinfo masks what sits between "://" and "@" in a URL that did
// not parse: it may be a token.
func maskUserinfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	host, _, _ := strings.Cut(rest, "/")
	if i := strings.LastIndex(host, "@"); i >= 0 {
		return scheme + "://xxxxx" + rest[i:]
	}
	return raw
}

// unwrapURLError drops url.Error's "Get \"…\":" prefix, which the caller
// already gives, so messages do not repeat the URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// maxStorageRedirects bounds the redirects a storage host may send a
// download through; the signed link GitHub gives answers the archive itself.
const maxStorageRedirects = 3

// storageRedirect is the policy for redirects on a storage host, whose
// requests carry no token: a few hops at most, and never from https down to
// plain http, where the archive could be changed on its way. The URLs are
// signed links, so neither is named.
func storageRedirect(req *http.Request, via []*http.Request) error {
	switch {
	case len(via) > maxStorageRedirects:
		return fmt.Errorf("the storage host redirected more than %d times: stopped", maxStorageRedirects)
	case req.URL.Scheme != "https" && via[len(via)-1].URL.Scheme == "https":
		return fmt.Errorf("the storage host redirected from https to plain http %s: refused", req.URL.Host)
	}
	return nil
}
