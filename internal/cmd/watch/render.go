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

// writer shows successive snapshots: redrawn in place on a terminal, as
// change lines otherwise.
type writer struct {
	out    io.Writer
	tty    bool
	errTTY bool
	cs     output.Colors
	width  int
	now    func() time.Time
	// height is the number of terminal lines the last frame (and any
	// warning after it) took, to move up over before the next.
	height int
}

func newWriter(opts *Options) *writer {
	return &writer{
		out:    opts.IO.Out,
		tty:    opts.IO.IsStdoutTTY(),
		errTTY: opts.IO.IsStderrTTY(),
		cs:     output.Colors{Enabled: opts.IO.ColorEnabled()},
		width:  opts.IO.TerminalWidth(),
		now:    opts.Now,
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
	frame := w.frame(cur, next)
	if w.height > 0 {
		// Up over the previous frame, then clear to the end of the screen.
		fmt.Fprintf(w.out, "\x1b[%dA\x1b[J", w.height)
	}
	io.WriteString(w.out, frame)
	w.height = strings.Count(frame, "\n")
	if cur.run.Completed() {
		r := cur.run
		fmt.Fprintf(w.out, "\n%s Run %s (%d) completed with '%s'\n", w.cs.Symbol(r.Status, r.Conclusion), output.OneLine(r.Name), r.ID, output.OneLine(string(r.Conclusion)))
	}
}

// warned notes that a line was printed on stderr after the frame, so that
// the next redraw clears it too when both streams are the terminal.
func (w *writer) warned() {
	if w.tty && w.errTTY {
		w.height++
	}
}

// frame renders the run for a terminal: a header, every job, and the steps
// of jobs that run or failed. Lines are cut to the terminal's width, since a
// wrapped line would throw the count of lines to move up over.
func (w *writer) frame(s *snapshot, next time.Duration) string {
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
		add("")
		add("%s", cs.Gray(fmt.Sprintf("Checking every %s; press Ctrl-C to stop.", output.Duration(next))))
	}
	var b strings.Builder
	for _, l := range lines {
		if w.width > 0 {
			l = text.Truncate(w.width, l)
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
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
