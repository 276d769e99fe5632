package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// What the client accepts from a server, so that a broken or hostile
// server, proxy or log host can neither hang a command nor exhaust memory
// nor draw the token elsewhere.
const (
	// DefaultTimeout is how long a request may stall, waiting for the first
	// byte of an answer or for the next bytes of its body, before it fails.
	// Connecting gets a third of it.
	DefaultTimeout = 30 * time.Second
	// MaxJSONBytes bounds a JSON answer: GitHub's largest pages are a few
	// megabytes. Log archives are streamed, not bounded by it.
	MaxJSONBytes = 64 << 20
	// maxSecondaryWait is the longest Retry-After the client waits out; a
	// longer one ends the request with the time to try again.
	maxSecondaryWait = time.Minute
	// maxResetWait is the longest wait for a rate limit to reset; past it
	// the request fails with the time of the reset.
	maxResetWait = 15 * time.Minute
)

// StallError is a request that stalled: no connection, no answer or no
// further bytes of the body within the client's timeout.
type StallError struct {
	// Host is the host:port that stalled.
	Host string
	// Phase is what was awaited: "connect", "answer" or "body".
	Phase string
	// Limit is the timeout that ran out.
	Limit time.Duration
	// Got is the bytes of the body read before it stopped.
	Got int64
}

func (e *StallError) Error() string {
	switch e.Phase {
	case "connect":
		return fmt.Sprintf("could not connect to %s within %s", e.Host, e.Limit)
	case "body":
		return fmt.Sprintf("the answer from %s stopped for %s after %d bytes", e.Host, e.Limit, e.Got)
	}
	return fmt.Sprintf("no answer from %s within %s", e.Host, e.Limit)
}

// connectTimeout is the share of the stall timeout that making a connection
// (TCP and TLS) may take.
func connectTimeout(d time.Duration) time.Duration { return d / 3 }

// dialer returns a DialContext that gives up after limit with a
// *StallError rather than the resolver's or kernel's own, much later, one.
func dialer(limit time.Duration, dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if dial == nil {
		dial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		dctx, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		conn, err := dial(dctx, network, addr)
		if err != nil && ctx.Err() == nil && dctx.Err() != nil {
			return nil, &StallError{Host: addr, Phase: "connect", Limit: limit}
		}
		return conn, err
	}
}

// stallWatch ends a request whose answer does not come, or whose body stops
// coming, within limit: one timer, restarted by every read of the body.
type stallWatch struct {
	host   string
	limit  time.Duration
	cancel context.CancelCauseFunc
	timer  *time.Timer

	mu    sync.Mutex
	phase string
	got   int64
}

// watch derives from ctx a context that watch cancels, with a *StallError
// as its cause, once the request stalls for limit.
func watch(ctx context.Context, host string, limit time.Duration) (context.Context, *stallWatch) {
	wctx, cancel := context.WithCancelCause(ctx)
	w := &stallWatch{host: host, limit: limit, cancel: cancel, phase: "answer"}
	w.timer = time.AfterFunc(limit, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		cancel(&StallError{Host: w.host, Phase: w.phase, Limit: w.limit, Got: w.got})
	})
	return wctx, w
}

// body wraps an answer's body: each read that brings bytes restarts the timer.
func (w *stallWatch) body(r io.ReadCloser) io.ReadCloser {
	w.mu.Lock()
	w.phase = "body"
	w.mu.Unlock()
	w.timer.Reset(w.limit)
	return &watchedBody{r: r, w: w}
}

// stop releases the watch; the context ends with it.
func (w *stallWatch) stop() {
	w.timer.Stop()
	w.cancel(context.Canceled)
}

// stalled returns the *StallError that ended ctx, or err unchanged.
func stalled(ctx context.Context, err error) error {
	var se *StallError
	if errors.As(context.Cause(ctx), &se) {
		return se
	}
	return err
}

type watchedBody struct {
	r io.ReadCloser
	w *stallWatch
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if n > 0 {
		b.w.mu.Lock()
		b.w.got += int64(n)
		b.w.mu.Unlock()
		b.w.timer.Reset(b.w.limit)
	}
	return n, err
}

func (b *watchedBody) Close() error { return b.r.Close() }

// guardLocation is a transport that keeps a malformed Location from
// reaching net/http, which would quote it, signature and all, in its error;
// the client then finds the redirect without a usable Location and says so.
type guardLocation struct{ base http.RoundTripper }

func (g guardLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := g.base.RoundTrip(req)
	if err == nil && resp.Header.Get("Location") != "" {
		if _, perr := url.Parse(resp.Header.Get("Location")); perr != nil {
			resp.Header.Del("Location")
		}
	}
	return resp, err
}

// readJSONBody reads an answer whole, up to MaxJSONBytes.
func readJSONBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxJSONBytes+1))
	if err == nil && len(body) > MaxJSONBytes {
		return nil, fmt.Errorf("the answer is larger than %d MiB, more than any GitHub answer: giving up", MaxJSONBytes>>20)
	}
	return body, err
}

// sameOrigin reports whether u is on the API's own scheme, host and port,
// so that the token may go there. An https API is never left for http.
func (c *Client) sameOrigin(u *url.URL) bool {
	return u.Scheme == c.base.Scheme && u.Hostname() == c.base.Hostname() && port(u) == port(c.base)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// pageTemplate is the URL that pages after the first are addressed from:
// GitHub's own next link when it stays on the API's origin (GitHub's links
// name /repositories/{id}/…, another path on the same host), else the
// first page's URL, so that the token never follows a link elsewhere.
func (c *Client) pageTemplate(next string, first *url.URL) *url.URL {
	u, err := url.Parse(next)
	if err == nil && u.IsAbs() && c.sameOrigin(u) {
		return u
	}
	shown := "a malformed URL"
	if err == nil {
		shown = u.Scheme + "://" + u.Host
	}
	c.logf("! the next-page link points at %s, not the API: addressing pages from %s", shown, redact(first))
	return first
}

// redact is u as it may be shown: the user and password parts, where a
// token may sit, masked.
func redact(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	v := *u
	if _, ok := u.User.Password(); ok {
		v.User = url.UserPassword("xxxxx", "xxxxx")
	} else {
		v.User = url.User("xxxxx")
	}
	return v.String()
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date. ok is
// false when the value is neither; a date in the past is no wait.
func retryAfter(v string, now time.Time) (wait time.Duration, ok bool) {
	secs, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && v[0] != '-' {
		secs, err = 1<<33, nil // more digits than an int64 holds
	}
	if err == nil {
		if secs < 0 {
			return 0, false
		}
		// Clamped to some 270 years: a huge value would overflow a Duration.
		return time.Duration(min(secs, 1<<33)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
