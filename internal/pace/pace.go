// Package pace keeps a bulk job's requests under GitHub's secondary rate
// limit: no more than 900 points in any rolling minute, a read costing one
// point and a write five, with the advice to space writes out rather than
// burst them, and to slow down when GitHub says a limit was crossed
// (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
//
// A Limiter sits in the client's transport, so that every request of the
// job, reads and repeats included, spends from one budget.
package pace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

const (
	// Budget is GitHub's secondary limit: points per rolling minute.
	Budget = 900
	// WritePoints and ReadPoints are what a request costs against Budget.
	WritePoints = 5
	ReadPoints  = 1
	// ReadHeadroom is the points a minute that writes leave for the job's
	// reads (listings, checks after a failure).
	ReadHeadroom = 100
	// DefaultWriteRate is writes a minute: 800 of the 900 points.
	DefaultWriteRate = (Budget - ReadHeadroom) / WritePoints
	// MaxWriteRate bounds write_rate, for accounts with a higher limit.
	MaxWriteRate = 6000
	// Workers is how many writes a paced job keeps in flight: enough to
	// hide a round trip at the default pace, far below GitHub's 100.
	Workers = 4
	// minWriteRate is the floor of the slow-down after secondary limits.
	minWriteRate = 6
)

// ErrHalted is returned for a request the job was stopped before sending.
var ErrHalted = errors.New("not sent: the job was stopped")

// Clock tells the time and waits; tests pass a SimClock.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or returns ctx's error once ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

// Limiter schedules a job's requests within the budget. Its zero value is
// not usable; a nil *Limiter lets every request through at once.
type Limiter struct {
	clock Clock
	// budget is the points a rolling minute may hold: GitHub's, or more
	// when the user's write rate asks for more.
	budget int

	// gate lets one request at a time wait for its turn, so that requests
	// leave in the order they were scheduled.
	gate sync.Mutex

	mu      sync.Mutex
	rate    float64 // writes a minute, lowered after each secondary limit
	full    float64 // the rate asked for, which rate climbs back to
	spaced  bool    // writes are spaced at rate, for a job of more than a short burst
	next    time.Time
	paused  time.Time // no request leaves before then (Retry-After)
	spent   []spend
	limited int
	halt    context.Context
}

type spend struct {
	at     time.Time
	points int
}

// New returns a Limiter for writesPerMinute (DefaultWriteRate when 0) on
// clock (the real one when nil).
func New(writesPerMinute int, clock Clock) *Limiter {
	if writesPerMinute <= 0 {
		writesPerMinute = DefaultWriteRate
	}
	if clock == nil {
		clock = RealClock{}
	}
	return &Limiter{
		clock:  clock,
		budget: max(Budget, writesPerMinute*WritePoints+ReadHeadroom),
		rate:   float64(writesPerMinute),
		full:   float64(writesPerMinute),
		halt:   context.Background(),
	}
}

// Expect tells the limiter how many writes the job will make. A job whose
// writes fit well within one minute's budget goes at full speed; a longer
// one is spaced evenly at the write rate from its first write, so that it
// never bursts and then stalls.
func (l *Limiter) Expect(writes int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.spaced = writes*WritePoints > l.budget/2
}

// HaltOn stops the limiter from letting requests leave once ctx is done:
// those still waiting fail with ErrHalted, unsent.
func (l *Limiter) HaltOn(ctx context.Context) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.halt = ctx
}

// Estimate is how long writes take at the current pace, round trips aside.
func (l *Limiter) Estimate(writes int) time.Duration {
	if l == nil || writes <= 1 || writes*WritePoints <= l.budget/2 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Duration(writes-1) * l.interval()
}

// Rate is the current pace in writes a minute.
func (l *Limiter) Rate() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return int(l.rate)
}

// Limited is how many secondary-limit answers the job met.
func (l *Limiter) Limited() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limited
}

// Now is the limiter's clock.
func (l *Limiter) Now() time.Time {
	if l == nil {
		return time.Now()
	}
	return l.clock.Now()
}

func (l *Limiter) interval() time.Duration {
	return time.Duration(float64(time.Minute) / l.rate)
}

// Wait holds a request with method until the budget allows it, and counts
// it as spent.
func (l *Limiter) Wait(ctx context.Context, method string) error {
	if l == nil {
		return nil
	}
	l.gate.Lock()
	defer l.gate.Unlock()
	l.mu.Lock()
	halt := l.halt
	l.mu.Unlock()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := context.AfterFunc(halt, func() { cancel(ErrHalted) })
	defer stop()
	write := isWrite(method)
	cost := ReadPoints
	if write {
		cost = WritePoints
	}
	for {
		if halt.Err() != nil {
			return ErrHalted
		}
		if err := context.Cause(ctx); err != nil {
			return err
		}
		l.mu.Lock()
		now := l.clock.Now()
		at := l.earliest(now, cost, write)
		if !at.After(now) {
			l.spent = append(l.spent, spend{now, cost})
			if write && l.spaced {
				l.next = now.Add(l.interval())
				// Additive increase: the pace climbs back slowly, over
				// fifty writes with no limit met.
				l.rate = min(l.full, l.rate+l.full/50)
			}
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, at.Sub(now)); err != nil {
			if cause := context.Cause(ctx); cause != nil {
				return cause
			}
			return err
		}
	}
}

// earliest is when a request costing cost may leave: after any pause,
// after the previous write's spacing, and once the last minute's points
// leave room for it. The caller holds l.mu.
func (l *Limiter) earliest(now time.Time, cost int, write bool) time.Time {
	at := now
	if l.paused.After(at) {
		at = l.paused
	}
	if write && l.spaced && l.next.After(at) {
		at = l.next
	}
	cut := now.Add(-time.Minute)
	kept := l.spent[:0]
	used := 0
	for _, s := range l.spent {
		if s.at.After(cut) {
			kept = append(kept, s)
			used += s.points
		}
	}
	l.spent = kept
	// Room is made as the oldest spends leave the window.
	for i := 0; used+cost > l.budget && i < len(l.spent); i++ {
		used -= l.spent[i].points
		if t := l.spent[i].at.Add(time.Minute + time.Millisecond); t.After(at) {
			at = t
		}
	}
	return at
}

// observe slows the job down when resp is GitHub's secondary rate limit:
// the write rate halves (and climbs back a little with each write after),
// and nothing leaves until Retry-After has passed (a minute when GitHub
// names no wait).
func (l *Limiter) observe(resp *http.Response) {
	if !secondaryLimit(resp) {
		return
	}
	wait := time.Minute
	if secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && secs >= 0 {
		wait = time.Duration(secs) * time.Second
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.limited++
	l.rate = max(l.rate/2, minWriteRate)
	l.spaced = true
	if until := now.Add(wait); until.After(l.paused) {
		l.paused = until
	}
	if l.next.Before(l.paused) {
		l.next = l.paused
	}
}

// secondaryLimit tells GitHub's secondary-limit refusal: a 403 or 429 with
// Retry-After, or whose message says so, or a 429 with requests left.
func secondaryLimit(resp *http.Response) bool {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return false
	}
	if resp.Header.Get("Retry-After") != "" {
		return true
	}
	if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("X-Ratelimit-Remaining") != "0" {
		return true
	}
	// An error body is small: read it, and put it back for the client.
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return err == nil && strings.Contains(strings.ToLower(string(body)), "secondary rate limit")
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// Transport returns next with every request passing through the limiter.
func (l *Limiter) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{l: l, next: next}
}

type transport struct {
	l    *Limiter
	next http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.l.Wait(req.Context(), req.Method); err != nil {
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		t.l.observe(resp)
	}
	return resp, err
}

// Describe words the pace for people: "160 writes a minute".
func (l *Limiter) Describe() string {
	return fmt.Sprintf("%d writes a minute", l.Rate())
}

// RealClock is the wall clock.
type RealClock struct{}

// Now is time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits d on a timer, or until ctx is done.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error { return api.Sleep(ctx, d) }

// SimClock is a clock whose Sleep returns at once, moving the time on by
// what it was asked to wait: tests and benchmarks run a job of minutes in
// moments, and a fake server on the same clock sees the requests spaced
// as they would be. The Limiter sleeps one request at a time, so the
// simulated time moves as the real one would.
type SimClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewSimClock starts a SimClock at start.
func NewSimClock(start time.Time) *SimClock { return &SimClock{now: start} }

// Now is the simulated time.
func (c *SimClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the simulated time on by d.
func (c *SimClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}
