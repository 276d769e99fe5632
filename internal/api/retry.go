package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retries and rate limits follow GitHub's guidance
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api):
// repeat what failed in passing, wait out a secondary rate limit as told, and
// stop at once when the primary limit is used up.
const (
	// maxAttempts bounds the tries of one request that fails in passing.
	maxAttempts = 4
	// maxSecondaryWaits bounds the secondary-limit waits of one request;
	// GitHub asks clients to "throw an error after a specific number of retries".
	maxSecondaryWaits = 4
	defaultRetryBase  = 200 * time.Millisecond
	retryCap          = 5 * time.Second
)

// rateState is GitHub's primary rate limit as the client last saw it.
type rateState struct {
	known     bool
	remaining int64
	reset     time.Time
	// spentUntil is set when an answer said that no request is left: until
	// then requests fail at once, unsent.
	spentUntil time.Time
	// refusal is GitHub's refusal that said so, when it was one.
	refusal *HTTPError
}

// noteRate keeps the rate limit of an answer. Answers to parallel requests
// arrive in any order: within one window the lowest remaining count wins.
func (c *Client) noteRate(resp *http.Response) {
	n, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Remaining"), 10, 64)
	if err != nil {
		return
	}
	reset, _ := rateReset(resp.Header)
	c.mu.Lock()
	defer c.mu.Unlock()
	r := &c.rate
	switch {
	case !r.known || reset.After(r.reset):
		r.known, r.remaining, r.reset = true, n, reset
	case reset.Equal(r.reset) && n < r.remaining:
		r.remaining = n
	}
}

// noteSpent remembers an answer (other than a secondary limit) that leaves
// no request in the window, so that later requests are not sent in vain.
// refusal is the answer when it was an error.
func (c *Client) noteSpent(h http.Header, refusal *HTTPError) {
	reset, ok := rateReset(h)
	if h.Get("X-Ratelimit-Remaining") != "0" || !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if reset.After(c.rate.spentUntil) {
		c.rate.spentUntil = reset
	}
	if refusal != nil && (refusal.StatusCode == http.StatusForbidden || refusal.StatusCode == http.StatusTooManyRequests) {
		c.rate.refusal = refusal
	}
}

// spent returns a *RateLimitError, without sending req, while the primary
// rate limit is known to be used up.
func (c *Client) spent(req *http.Request) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if !now.Before(c.rate.spentUntil) {
		return nil
	}
	// What GitHub would answer, addressed to this request.
	e := HTTPError{StatusCode: http.StatusForbidden, Message: "API rate limit exceeded",
		Header: http.Header{"X-Ratelimit-Remaining": {"0"}}}
	if c.rate.refusal != nil {
		e = *c.rate.refusal
	}
	e.Method, e.URL = req.Method, redact(req.URL)
	return &RateLimitError{Reset: c.rate.spentUntil, Err: &e, left: c.rate.spentUntil.Sub(now)}
}

// primaryLimit turns a refusal for the primary rate limit (403 or 429 with
// no request left) into a *RateLimitError, and returns nil for any other.
func (c *Client) primaryLimit(he *HTTPError) *RateLimitError {
	if he.StatusCode != http.StatusForbidden && he.StatusCode != http.StatusTooManyRequests ||
		he.Header.Get("X-Ratelimit-Remaining") != "0" {
		return nil
	}
	reset, _ := rateReset(he.Header)
	return &RateLimitError{Reset: reset, Err: he, left: reset.Sub(c.now())}
}

// secondaryWait tells whether he is a secondary rate limit and how long to
// wait before trying again, after earlier waits for the same request:
// Retry-After when given; else until x-ratelimit-reset when no request is
// left; else a minute, doubled on each repeat. why names the rule; limit is
// the longest such a wait may be before the client gives up instead.
func (c *Client) secondaryWait(he *HTTPError, earlier int) (wait, limit time.Duration, why string, ok bool) {
	if he.StatusCode != http.StatusForbidden && he.StatusCode != http.StatusTooManyRequests {
		return 0, 0, "", false
	}
	header := strings.TrimSpace(he.Header.Get("Retry-After"))
	spent := he.Header.Get("X-Ratelimit-Remaining") == "0"
	// A bare 429 with requests left can only be a secondary limit: GitHub
	// uses 429 for nothing but rate limits (its rate-limits page above).
	secondary := header != "" || strings.Contains(strings.ToLower(he.Message), "secondary rate limit") ||
		he.StatusCode == http.StatusTooManyRequests && !spent
	if !secondary {
		return 0, 0, "", false
	}
	if header != "" {
		if d, ok := retryAfter(header, c.now()); ok {
			return d, maxSecondaryWait, "Retry-After", true
		}
		// A Retry-After that says nothing readable: GitHub's "at least one
		// minute", once; a server that repeats it is not waited for again.
		if earlier > 0 {
			return 0, 0, "", false
		}
		return time.Minute, maxSecondaryWait, "unreadable Retry-After: a minute", true
	}
	if reset, ok := rateReset(he.Header); ok && spent {
		return max(reset.Sub(c.now()), 0), maxResetWait, "until x-ratelimit-reset", true
	}
	return time.Minute << min(earlier, 4), maxResetWait, "no Retry-After: a minute, longer on repeats", true
}

// pause holds back every request of the client for d, as GitHub asks after
// a rate limit, and says so on the notice writer, once for requests
// limited together. what names the limit.
func (c *Client) pause(d time.Duration, what, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	until := now.Add(d)
	if !until.After(c.pauseUntil) {
		return // an earlier pause, already told, covers this one
	}
	told := c.pauseUntil.After(now) && until.Sub(c.pauseUntil) < time.Second
	c.pauseUntil = until
	c.logf("! %s: waiting %s (%s)", what, d, why)
	if c.notice != nil && !told {
		fmt.Fprintf(c.notice, "waiting %s: GitHub's %s (%s)\n", span(d), what, why)
	}
}

// waitReset decides whether a request refused for the primary rate limit
// (err) waits for the reset: only when it is known and near, and at most
// twice for one request. It then holds back every request until a second
// after the reset, with a notice, and returns true.
func (c *Client) waitReset(err error, resets *int) bool {
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Reset.IsZero() || rl.left > maxResetWait || *resets >= 2 {
		return false
	}
	*resets++
	c.pause(max(rl.left, 0)+time.Second, "rate limit", "it resets at "+rl.Reset.Local().Format("15:04 MST"))
	return true
}

// waitPause waits out the current secondary-limit pause, if any. It holds
// no request slot.
func (c *Client) waitPause(ctx context.Context) error {
	// A timer may fire a little early, and a request sent before the pause
	// ends would meet the limit again: wait out what is left, a few times.
	last := time.Duration(math.MaxInt64)
	for range 3 {
		c.mu.Lock()
		d := c.pauseUntil.Sub(c.now())
		c.mu.Unlock()
		if d <= 0 || d >= last { // over, or a clock that does not move (tests)
			return nil
		}
		last = d
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// backoff waits before try failures+1 after err: exponential back-off with
// full jitter, so that parallel requests that failed together do not come
// back together.
func (c *Client) backoff(ctx context.Context, failures int, err error) error {
	ceiling := min(retryCap, c.retryBase<<(failures-1))
	d := rand.N(ceiling + 1)
	c.logf("! %v: trying again in %s (try %d of %d)", err, d.Round(time.Millisecond), failures+1, maxAttempts)
	return c.sleep(ctx, d)
}

// isTransient reports whether err is a failure in passing that a repeat may
// not meet: a 502, 503 or 504 from GitHub's front end, or a connection that
// could not be made, broke or timed out. A done ctx is never transient.
func isTransient(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var he *HTTPError
	if errors.As(err, &he) {
		switch he.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	// Any other failed dial, read or write on the connection.
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// Sleep waits d, or until ctx is done, and then returns ctx's error. It is
// the client's wait between attempts (unless Options.Sleep replaces it)
// and any other wait that an interruption must cut short.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rateReset reads x-ratelimit-reset ("in UTC epoch seconds").
func rateReset(h http.Header) (time.Time, bool) {
	sec, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}

// span words a wait for people: "40s", "12m", "1h", "1h5m". Waits of a
// minute or more are rounded up to whole minutes.
func span(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int((d+time.Second-1)/time.Second)) + "s"
	}
	m := int((d + time.Minute - 1) / time.Minute)
	switch {
	case m < 60:
		return strconv.Itoa(m) + "m"
	case m%60 == 0:
		return strconv.Itoa(m/60) + "h"
	}
	return strconv.Itoa(m/60) + "h" + strconv.Itoa(m%60) + "m"
}
