//go:build linux || darwin

package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cli/go-gh/v2/pkg/text"
	"github.com/creack/pty"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// screen is ghruns running on a pseudo-terminal of a fixed size, as a
// person at an 80×24 or 120×40 terminal would run it.
type screen struct {
	t    *testing.T
	ptmx *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	code chan int
}

// onTerminal runs ghruns with args on a new pseudo-terminal of cols×rows,
// its three streams the terminal, until ctx ends or it exits.
func onTerminal(ctx context.Context, t *testing.T, cols, rows uint16, args ...string) *screen {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: cols, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	s := &screen{t: t, ptmx: ptmx, code: make(chan int, 1)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { s.code <- Main(ctx, append([]string{"ghruns"}, args...), tty, tty, tty) }()
	return s
}

// text is what was written to the terminal so far, colour and cursor codes
// removed; a carriage return starts its line again, as a meter redrawn in
// place does.
func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(strings.ReplaceAll(cmdtest.StripANSI(s.out.String()), "\r\n", "\n"), "\n")
	for i, l := range lines {
		if j := strings.LastIndex(l, "\r"); j >= 0 {
			lines[i] = l[j+1:]
		}
	}
	return strings.Join(lines, "\n")
}

// waitFor waits until the terminal shows want.
func (s *screen) waitFor(want string) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.text(), want) {
		if time.Now().After(deadline) {
			s.t.Fatalf("the terminal never showed %q; it shows:\n%s", want, s.text())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exit waits for ghruns to end and returns its exit code.
func (s *screen) exit() int {
	s.t.Helper()
	select {
	case code := <-s.code:
		time.Sleep(50 * time.Millisecond) // let the last output be read
		return code
	case <-time.After(10 * time.Second):
		s.t.Fatalf("ghruns did not end; the terminal shows:\n%s", s.text())
	}
	return 0
}

// fits fails the test for every line wider than the terminal, links aside.
func (s *screen) fits(cols int) {
	s.t.Helper()
	for _, line := range strings.Split(s.text(), "\n") {
		if w := text.DisplayWidth(line); w > cols && !strings.Contains(line, "https://") {
			s.t.Errorf("line of %d columns on a %d-column terminal: %q", w, cols, line)
		}
	}
}

// TestTerminalTablesFit: on 80×24 and 120×40 terminals no line of list,
// view of a failed run or usage wraps.
func TestTerminalTablesFit(t *testing.T) {
	faultFake(t)
	for _, size := range [][2]uint16{{80, 24}, {120, 40}} {
		for _, args := range [][]string{{"list"}, {"view", "7000000110", "-v"}, {"usage", "--created", "2026-11-19..2026-11-20"}} {
			s := onTerminal(context.Background(), t, size[0], size[1], args...)
			if code := s.exit(); code != 0 {
				t.Errorf("%s: exit %d:\n%s", args, code, s.text())
			}
			s.fits(int(size[0]))
			if !strings.Contains(s.text(), "7000000110") {
				t.Errorf("%s at %d columns: run 7000000110 missing or cut:\n%s", args, size[0], s.text())
			}
		}
	}
}

// TestTerminalPickerInterrupted: on an 80×24 terminal the list of runs to
// pick from shows at most ten, one line each, and Ctrl-C there ends ghruns
// at once, quietly, with exit 2.
func TestTerminalPickerInterrupted(t *testing.T) {
	faultFake(t)
	s := onTerminal(context.Background(), t, 80, 24, "view")
	s.waitFor("(ID 7000000104)") // the tenth run
	time.Sleep(100 * time.Millisecond)
	if strings.Contains(s.text(), "(ID 7000000103)") {
		t.Errorf("more than ten runs on the screen:\n%s", s.text())
	}
	s.fits(80)
	io.WriteString(s.ptmx, "\x03") // Ctrl-C
	if code := s.exit(); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if got := s.text(); strings.Contains(got, "interrupt") || strings.Contains(got, "could not") {
		t.Errorf("Ctrl-C was not quiet:\n%s", got)
	}
}

// TestTerminalConfirmInterrupted: Ctrl-C at a bulk job's [y/N] question
// ends ghruns at once, with exit 2 and no run touched.
func TestTerminalConfirmInterrupted(t *testing.T) {
	f := faultFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := onTerminal(ctx, t, 80, 24, "cancel", "-b", "main", "-s", "in_progress")
	s.waitFor("[y/N]")
	cancel() // what Ctrl-C does to ghruns: main's signal context ends
	if code := s.exit(); code != 2 {
		t.Errorf("exit %d, want 2:\n%s", code, s.text())
	}
	for _, r := range f.Requests() {
		if r.Method != "GET" {
			t.Errorf("%s %s sent after Ctrl-C at the question", r.Method, r.Path)
		}
	}
}

// TestTerminalBulkInterrupted: Ctrl-C during a bulk cancel on an 80×24
// terminal shows the runs cancelled, then one line with the count not
// attempted and how to resume, and no line per run left alone; exit 130.
func TestTerminalBulkInterrupted(t *testing.T) {
	const first, n = 3_100_000, 60
	f := faultFake(t, inProgress(n, first, "interrupted")...)
	f.Latency = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			if posts(f) >= 12 {
				cancel() // what Ctrl-C does to ghruns: main's signal context ends
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	s := onTerminal(ctx, t, 80, 24, "cancel", "-b", "interrupted", "--yes")
	if code := s.exit(); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	screen := s.text()
	s.fits(80)
	if strings.Count(screen, "not attempted") != 1 || !strings.Contains(screen, " not attempted; run the command again for the rest\n") {
		t.Errorf("want one line on the runs not attempted:\n%s", screen)
	}
	if done := strings.Count(screen, ": cancelled\n"); done == 0 || done >= n {
		t.Errorf("%d runs shown cancelled; want those done before Ctrl-C:\n%s", done, screen)
	}
}
