package logs

import (
	"fmt"
	"time"

	"github.com/ghruns/gh-runs/internal/iostreams"
)

// progress draws a one-line download meter on stderr, when stderr is a terminal.
type progress struct {
	ios   *iostreams.IOStreams
	runID int64
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(ios *iostreams.IOStreams, runID int64) *progress {
	return &progress{ios: ios, runID: runID, start: time.Now()}
}

func (p *progress) report(done, total int64) {
	if !p.ios.IsStderrTTY() {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && done != total {
		return
	}
	p.last = now
	p.shown = true
	rate := float64(done) / max(now.Sub(p.start).Seconds(), 0.001)
	if total > 0 {
		fmt.Fprintf(p.ios.ErrOut, "\r\x1b[Kdownloading logs of run %d: %s of %s (%d%%), %s/s",
			p.runID, byteSize(done), byteSize(total), done*100/total, byteSize(int64(rate)))
		return
	}
	fmt.Fprintf(p.ios.ErrOut, "\r\x1b[Kdownloading logs of run %d: %s, %s/s", p.runID, byteSize(done), byteSize(int64(rate)))
}

// done clears the meter line.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.ios.ErrOut, "\r\x1b[K")
	}
}
