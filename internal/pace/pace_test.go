package pace

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// stub answers requests from a list of statuses, on the limiter's clock.
type stub struct {
	mu      sync.Mutex
	clock   *SimClock
	answers map[int]*http.Response // by request number, from 1; others 204
	sent    []time.Time
}

func (s *stub) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, s.clock.Now())
	if r, ok := s.answers[len(s.sent)]; ok {
		return r, nil
	}
	return &http.Response{StatusCode: http.StatusNoContent, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}, nil
}

func send(t *testing.T, rt http.RoundTripper, method string, n int) {
	t.Helper()
	for range n {
		req, _ := http.NewRequest(method, "http://127.0.0.1/x", nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
}

// TestShortJobFullSpeed: a job well within a minute's budget waits for nothing.
func TestShortJobFullSpeed(t *testing.T) {
	clock := NewSimClock(time.Unix(0, 0))
	l := New(0, clock)
	l.Expect(40)
	st := &stub{clock: clock}
	send(t, l.Transport(st), "DELETE", 40)
	if d := clock.Now().Sub(time.Unix(0, 0)); d != 0 {
		t.Errorf("40 writes took %s, want no wait", d)
	}
}

// TestLongJobSpacedWithinBudget: a long job's writes are spaced evenly, and
// no rolling minute holds more than the budget, reads included.
func TestLongJobSpacedWithinBudget(t *testing.T) {
	clock := NewSimClock(time.Unix(0, 0))
	l := New(0, clock)
	l.Expect(500)
	st := &stub{clock: clock}
	rt := l.Transport(st)
	send(t, rt, "GET", 50)
	send(t, rt, "DELETE", 500)
	points := func(i int) int {
		if i < 50 {
			return ReadPoints
		}
		return WritePoints
	}
	for i, at := range st.sent {
		sum := 0
		for j := i; j < len(st.sent) && st.sent[j].Sub(at) < time.Minute; j++ {
			sum += points(j)
		}
		if sum > Budget {
			t.Fatalf("the minute from request %d holds %d points", i, sum)
		}
	}
	want := time.Duration(499) * time.Minute / DefaultWriteRate
	if got := clock.Now().Sub(time.Unix(0, 0)); got < want-time.Second || got > want+time.Second {
		t.Errorf("500 writes took %s, want about %s", got, want)
	}
}

// TestSlowDown: a secondary-limit answer halves the pace and holds every
// request until Retry-After has passed; nothing is sent meanwhile.
func TestSlowDown(t *testing.T) {
	clock := NewSimClock(time.Unix(0, 0))
	l := New(0, clock)
	l.Expect(200)
	limited := &http.Response{StatusCode: http.StatusForbidden,
		Header: http.Header{"Retry-After": {"30"}},
		Body:   io.NopCloser(strings.NewReader(`{"message":"You have exceeded a secondary rate limit."}`))}
	st := &stub{clock: clock, answers: map[int]*http.Response{3: limited}}
	send(t, l.Transport(st), "DELETE", 5)
	if l.Limited() != 1 || l.Rate() > DefaultWriteRate*6/10 {
		t.Errorf("limited %d, rate %d; want 1, about %d", l.Limited(), l.Rate(), DefaultWriteRate/2)
	}
	if gap := st.sent[3].Sub(st.sent[2]); gap < 30*time.Second {
		t.Errorf("the next request left %s after the limit, want Retry-After's 30s", gap)
	}
	if gap := st.sent[4].Sub(st.sent[3]); gap < time.Minute/(DefaultWriteRate/2)-time.Millisecond {
		t.Errorf("writes %s apart after the slow-down", gap)
	}
}

// TestHalt: a request held when the job stops is not sent.
func TestHalt(t *testing.T) {
	clock := NewSimClock(time.Unix(0, 0))
	l := New(0, clock)
	ctx, cancel := context.WithCancel(context.Background())
	l.HaltOn(ctx)
	cancel()
	if err := l.Wait(context.Background(), "DELETE"); err != ErrHalted {
		t.Errorf("error %v, want ErrHalted", err)
	}
}
