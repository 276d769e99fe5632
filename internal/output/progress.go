package output

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// MeterInterval is how often at most a meter redraws: ten times a second
// reads as live without flooding a slow terminal. Tests lengthen it, so
// that what a meter draws does not depend on the machine's speed.
var MeterInterval = 100 * time.Millisecond

// UpdateFunc reports progress. elapsed is the time since the Updater was
// made; final is true on the last call, from Done.
type UpdateFunc func(elapsed time.Duration, final bool)

// Updater calls a report function as work moves on, at most once an
// interval, and a last time when the work is done. It has the shape of
// restic's progress.Updater, but the work's own steps drive it rather than
// a ticker, so that work that has not moved draws nothing. All its methods
// are safe on a nil Updater, which reports nothing (no terminal to draw
// on), and from many goroutines.
type Updater struct {
	interval time.Duration
	report   UpdateFunc

	mu    sync.Mutex
	start time.Time
	last  time.Time
	done  bool
}

// NewUpdater returns an Updater that calls report at most once an interval.
func NewUpdater(interval time.Duration, report UpdateFunc) *Updater {
	return &Updater{interval: interval, report: report, start: time.Now()}
}

// Update says the work moved on: it reports, unless the last report is
// less than an interval old.
func (u *Updater) Update() {
	if u == nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	now := time.Now()
	if u.done || (!u.last.IsZero() && now.Sub(u.last) < u.interval) {
		return
	}
	u.last = now
	u.report(now.Sub(u.start), false)
}

// Done reports a last time, as final. Later calls and updates do nothing.
func (u *Updater) Done() {
	if u == nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.done {
		return
	}
	u.done = true
	u.report(time.Since(u.start), true)
}

// NewMeter draws progress on one line of w, a terminal, redrawn in place
// at most once a MeterInterval: line says what to show, "" for nothing yet.
// Done shows the last state and then clears the line, so that what is
// printed next starts on a clean line.
func NewMeter(w io.Writer, line func(elapsed time.Duration) string) *Updater {
	var shown string
	return NewUpdater(MeterInterval, func(elapsed time.Duration, final bool) {
		if l := line(elapsed); l != "" && l != shown {
			fmt.Fprintf(w, "\r\x1b[K%s", l)
			shown = l
		}
		if final && shown != "" {
			fmt.Fprint(w, "\r\x1b[K")
		}
	})
}

// NewByteMeter is a meter of a download on w, a terminal: "downloading
// what: 1.2 MiB of 4.8 MiB (25%), 3.1 MiB/s", without the total and the
// share when the size is not known. progress is what the downloader
// reports the bytes so far and the total (-1: unknown) to.
func NewByteMeter(w io.Writer, what string) (progress func(done, total int64), meter *Updater) {
	var done, total atomic.Int64
	done.Store(-1) // nothing has come yet
	meter = NewMeter(w, func(elapsed time.Duration) string {
		d, t := done.Load(), total.Load()
		if d < 0 {
			return ""
		}
		rate := ByteSize(int64(float64(d) / max(elapsed.Seconds(), 0.001)))
		if t > 0 {
			return fmt.Sprintf("downloading %s: %s of %s (%d%%), %s/s", what, ByteSize(d), ByteSize(t), d*100/t, rate)
		}
		return fmt.Sprintf("downloading %s: %s, %s/s", what, ByteSize(d), rate)
	})
	return func(d, t int64) {
		done.Store(d)
		total.Store(t)
		meter.Update()
	}, meter
}
