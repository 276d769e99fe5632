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

	mu    sync.Mutex
	done  int
	last  time.Time
	drawn bool
}

func newMeter(w io.Writer, label string, total int) *meter {
	return &meter{w: w, label: label, total: total}
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
		fmt.Fprintf(m.w, "\r\x1b[K%s %d/%d runs", m.label, m.done, m.total)
	}
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
