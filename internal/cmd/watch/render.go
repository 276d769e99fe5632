package watch

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cli/go-gh/v2/pkg/text"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/output"
)

// snapshot is the run and its jobs as one poll saw them.
type snapshot struct {
	run  api.Run
	jobs []api.Job
	at   time.Time
}

// states maps everything watch reports on ("run", "job ID", "step ID/N")
// to its state, for telling whether anything moved between two polls.
func (s *snapshot) states() map[string]string {
	m := map[string]string{"run": output.State(s.run.Status, s.run.Conclusion)}
	for _, j := range s.jobs {
		m[fmt.Sprintf("job %d", j.ID)] = output.State(j.Status, j.Conclusion)
		for _, st := range j.Steps {
			m[fmt.Sprintf("step %d/%d", j.ID, st.Number)] = output.State(st.Status, st.Conclusion)
		}
	}
	return m
}

func (s *snapshot) changedSince(prev *snapshot) bool {
	a, b := prev.states(), s.states()
	if len(a) != len(b) {
		return true
	}
	for k, v := range b {
		if a[k] != v {
			return true
		}
	}
	return false
}

// waiting reports whether nothing of the run is running: it, or every job
// not done yet, waits (for a runner, an approval, or a job it needs).
func (s *snapshot) waiting() bool {
	if s.run.Completed() {
		return false
	}
	if s.run.Status.Waiting() {
		return true
	}
	for _, j := range s.jobs {
		if j.Status == api.StatusInProgress {
			return false
		}
	}
	return true
}

// screen redraws a frame in place on a terminal.
type screen struct {
	out    io.Writer
	errTTY bool
	// width is the terminal's; lines are cut to it, since a wrapped line
	// would throw the count of lines to move up over.
	width int
	// height is the number of terminal lines the last frame (and any
	// warning after it) took, to move up over before the next.
	height int
}

func newScreen(opts *Options) screen {
	return screen{out: opts.IO.Out, errTTY: opts.IO.IsStderrTTY(), width: opts.IO.TerminalWidth()}
}

// draw replaces the last frame with lines.
func (s *screen) draw(lines []string) {
	var b strings.Builder
	for _, l := range lines {
		if s.width > 0 {
			l = text.Truncate(s.width, l)
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if s.height > 0 {
		// Up over the previous frame, then clear to the end of the screen.
		fmt.Fprintf(s.out, "\x1b[%dA\x1b[J", s.height)
	}
	io.WriteString(s.out, b.String())
	s.height = strings.Count(b.String(), "\n")
}

// warned notes that a line was printed on stderr after the frame, so that
// the next redraw clears it too when stderr is the terminal as well.
func (s *screen) warned() {
	if s.errTTY && s.height > 0 {
		s.height++
	}
}

// checking is a frame's last line while the watch goes on.
func checking(cs output.Colors, next time.Duration) string {
	return cs.Gray(fmt.Sprintf("Checking every %s; press Ctrl-C to stop.", output.Duration(next)))
}

// writer shows successive snapshots: redrawn in place on a terminal, as
// change lines otherwise.
type writer struct {
	out    io.Writer
	tty    bool
	cs     output.Colors
	screen screen
}

func newWriter(opts *Options) *writer {
	return &writer{
		out:    opts.IO.Out,
		tty:    opts.IO.IsStdoutTTY(),
		cs:     output.Colors{Enabled: opts.IO.ColorEnabled()},
		screen: newScreen(opts),
	}
}

// show reports cur, which follows prev (nil on the first poll); next is
// the wait before the next poll.
func (w *writer) show(prev, cur *snapshot, next time.Duration) {
	if !w.tty {
		for _, l := range changes(prev, cur) {
			fmt.Fprintln(w.out, l)
		}
		return
	}
	w.screen.draw(w.frame(cur, next))
	if cur.run.Completed() {
		r := cur.run
		fmt.Fprintf(w.out, "\n%s Run %s (%d) completed with '%s'\n", w.cs.Symbol(r.Status, r.Conclusion), output.OneLine(r.Name), r.ID, output.OneLine(string(r.Conclusion)))
	}
}

// warned notes that a line was printed on stderr after the frame.
func (w *writer) warned() {
	if w.tty {
		w.screen.warned()
	}
}

// frame renders the run for a terminal: a header, every job, and the steps
// of jobs that run or failed.
func (w *writer) frame(s *snapshot, next time.Duration) []string {
	cs := w.cs
	r := s.run
	var lines []string
	add := func(format string, args ...any) {
		lines = append(lines, fmt.Sprintf(format, args...))
	}
	add("%s %s · %s #%d · %d", cs.Symbol(r.Status, r.Conclusion), cs.Bold(output.OneLine(r.DisplayTitle)), output.OneLine(r.Name), r.RunNumber, r.ID)
	add("Triggered via %s by %s on %s %s · elapsed %s", output.OneLine(r.Event), orDash(output.OneLine(r.ActorLogin())), cs.Bold(output.OneLine(r.HeadBranch)),
		output.Ago(s.at, r.CreatedAt), output.Duration(r.Elapsed(s.at)))
	add("")
	if len(s.jobs) == 0 {
		add("%s", cs.Gray("no jobs yet"))
	}
	for _, j := range s.jobs {
		add("%s %s in %s (ID %d)", cs.Symbol(j.Status, j.Conclusion), cs.Bold(output.OneLine(j.Name)), output.Duration(j.Duration(s.at)), j.ID)
		if j.Completed() && !j.Conclusion.IsFailure() {
			continue
		}
		for _, st := range j.Steps {
			add("  %s %s", cs.Symbol(st.Status, st.Conclusion), output.OneLine(st.Name))
		}
	}
	if !r.Completed() {
		lines = append(lines, "", checking(cs, next))
	}
	return lines
}

// changes are the lines for what moved between prev and cur: the time, the
// subject ("run ID", "job NAME", "step JOB / STEP") and its state, as
// "old -> new" or, when first seen, the state alone. The first poll reports
// the run, every job, and the steps of jobs under way that have started.
// Jobs come in the order GitHub lists them, each before its steps; the
// run's completion comes last, after the jobs that led to it.
func changes(prev, cur *snapshot) []string {
	at := cur.at.UTC().Format(time.RFC3339)
	var lines []string
	for _, c := range changeList(prev, cur) {
		subject := c.subject
		if c.run {
			subject = fmt.Sprintf("run %d", cur.run.ID)
		}
		lines = append(lines, at+"\t"+subject+"\t"+c.state)
	}
	return lines
}

// change is one thing that moved between two polls of a run: the run
// itself, or the job or step named by subject ("job NAME", "step JOB /
// STEP"), and its state, "old -> new" or, when first seen, the state alone.
type change struct {
	run            bool
	subject, state string
}

// changeList is what changes reports, in its order, before it is written.
func changeList(prev, cur *snapshot) []change {
	mk := func(subject, was, is string) change {
		if was != "" {
			is = was + " -> " + is
		}
		return change{subject: subject, state: output.OneLine(is)}
	}
	before := map[string]string{}
	if prev != nil {
		before = prev.states()
	}

	var list []change
	for _, j := range cur.jobs {
		is := output.State(j.Status, j.Conclusion)
		if was, seen := before[fmt.Sprintf("job %d", j.ID)]; !seen || was != is {
			list = append(list, mk("job "+output.OneLine(j.Name), was, is))
		}
		for _, st := range j.Steps {
			stIs := output.State(st.Status, st.Conclusion)
			stWas, seen := before[fmt.Sprintf("step %d/%d", j.ID, st.Number)]
			switch {
			case seen && stWas == stIs:
				continue
			case !seen && (st.Status.Waiting() || (prev == nil && j.Completed())):
				// A step first seen waiting has not moved; the steps of a
				// job done before the watch began are its history.
				continue
			}
			list = append(list, mk("step "+output.OneLine(j.Name)+" / "+output.OneLine(st.Name), stWas, stIs))
		}
	}

	runIs := output.State(cur.run.Status, cur.run.Conclusion)
	if was, seen := before["run"]; !seen || was != runIs {
		c := mk("run", was, runIs)
		c.run = true
		if prev != nil && cur.run.Completed() {
			list = append(list, c)
		} else {
			list = append([]change{c}, list...)
		}
	}
	return list
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
