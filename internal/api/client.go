// Package api is a thin REST client for GitHub's Actions workflow-run
// endpoints: typed results, one typed error, and paging that fetches the
// pages after the first in parallel.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
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
	// Concurrency bounds parallel requests when paging; 1 means one at a time.
	Concurrency int
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
	// Debug, when set, receives one line per request and response, token redacted.
	Debug io.Writer
	// CacheDir, when set, keeps ETags and bodies of GET answers there and
	// asks GitHub for changes only (If-None-Match).
	CacheDir string
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
	remaining   atomic.Int64 // the rate limit left, from the latest answer; -1 unknown
}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	base, err := url.Parse(strings.TrimSuffix(opts.BaseURL, "/") + "/")
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("invalid API URL %q: want scheme://host[/path]", opts.BaseURL)
	}
	transport := opts.Transport
	if transport == nil {
		// Keep a connection per worker alive: the default keeps two, and a
		// new TLS handshake costs more than a request.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = max(opts.Concurrency, 2)
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
			Transport: apiTransport,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		plain: &http.Client{Transport: transport, Timeout: 0},
		debug: opts.Debug,
	}
	c.remaining.Store(-1)
	return c, nil
}

// RateRemaining is the rate limit left as of GitHub's latest answer, and
// whether any answer has said.
func (c *Client) RateRemaining() (int64, bool) {
	n := c.remaining.Load()
	return n, n >= 0
}

// Concurrency is the number of requests the client allows in flight at once.
func (c *Client) Concurrency() int { return c.concurrency }

// HasToken reports whether requests are authenticated.
func (c *Client) HasToken() bool { return c.token != "" }

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

// send performs req and turns any status of 300 or more, other than a
// redirect the caller asked to see, into an *HTTPError.
func (c *Client) send(req *http.Request, allowRedirect bool) (*http.Response, error) {
	start := time.Now()
	c.logf("> %s %s", req.Method, req.URL.Redacted())
	resp, err := c.api.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), unwrapURLError(err))
	}
	if n, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Remaining"), 10, 64); err == nil {
		c.remaining.Store(n)
	}
	cached := ""
	if resp.Header.Get("X-Ghruns-Cache") == "hit" {
		cached = ", unchanged: served from the cache"
	}
	c.logf("< %s %s: %d in %s (rate limit remaining %s%s)", req.Method, req.URL.Redacted(), resp.StatusCode,
		time.Since(start).Round(time.Millisecond), headerOr(resp.Header, "X-Ratelimit-Remaining", "-"), cached)
	if resp.StatusCode >= 300 && !(allowRedirect && resp.StatusCode < 400) {
		defer resp.Body.Close()
		return nil, newHTTPError(resp)
	}
	return resp, nil
}

// do sends a request and decodes a JSON answer into out, when out is not nil.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) (http.Header, error) {
	req, err := c.newRequest(ctx, method, path, query, body)
	if err != nil {
		return nil, err
	}
	return c.decodeResponse(req, out)
}

// decodeResponse sends req and decodes its JSON answer into out, when out is not nil.
func (c *Client) decodeResponse(req *http.Request, out any) (http.Header, error) {
	resp, err := c.send(req, false)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Header, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return nil, fmt.Errorf("%s %s: decoding the answer: %w", req.Method, req.URL.Redacted(), err)
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

// unwrapURLError drops url.Error's "Get \"…\":" prefix, which the caller
// already gives, so messages do not repeat the URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
