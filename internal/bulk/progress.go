package bulk

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// meter draws "cancel 37/200 runs" on one line of stderr while a bulk job
// runs, when stderr is a terminal; it redraws at most ten times a second.
type meter struct {
	w     io.Writer
	label string
	total int

	start time.Time

	mu    sync.Mutex
	done  int
	last  time.Time
	drawn bool
}

func newMeter(w io.Writer, label string, total int) *meter {
	return &meter{w: w, label: label, total: total, start: time.Now()}
}

// step counts one finished run.
func (m *meter) step() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done++
	if now := time.Now(); now.Sub(m.last) >= 100*time.Millisecond || m.done == m.total {
		m.last = now
		m.drawn = true
		fmt.Fprintf(m.w, "\r\x1b[K%s %d/%d runs%s", m.label, m.done, m.total, m.pace(now))
	}
}

// pace is the rate so far and the time left at that rate, once a few runs
// have gone: ", 160/min, about 5m12s left".
func (m *meter) pace(now time.Time) string {
	elapsed := now.Sub(m.start)
	if m.done < 3 || m.done == m.total || elapsed < time.Second {
		return ""
	}
	perMin := float64(m.done) / elapsed.Minutes()
	left := time.Duration(float64(m.total-m.done) / perMin * float64(time.Minute))
	return fmt.Sprintf(", %.0f/min, about %s left", perMin, left.Round(time.Second))
}

// clear removes the line before the report is printed.
func (m *meter) clear() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.drawn {
		fmt.Fprint(m.w, "\r\x1b[K")
	}
}
