package watch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmd/logs"
	"github.com/ghruns/gh-runs/internal/output"
)

// board shows a watch of many runs: on a terminal one block per run,
// redrawn in place through an output.Updater; otherwise one line per change.
type board struct {
	m   *many
	out io.Writer
	tty bool
	cs  output.Colors
	// meter redraws the blocks; nil when not on a terminal.
	meter  *output.Updater
	screen screen
}

func newBoard(opts *Options, m *many) *board {
	b := &board{m: m, out: opts.IO.Out, tty: opts.IO.IsStdoutTTY(), cs: output.Colors{Enabled: opts.IO.ColorEnabled()}, screen: newScreen(opts)}
	if b.tty {
		// No least interval: polls are seconds apart, and each is drawn.
		b.meter = output.NewUpdater(0, func(_ time.Duration, final bool) { b.screen.draw(b.frame(final)) })
	}
	return b
}

// show reports the last poll.
func (b *board) show() {
	if b.tty {
		b.meter.Update()
		return
	}
	for _, s := range b.m.ordered() {
		if t := b.m.runs[s.run.ID]; t.fresh {
			b.lines(t)
		}
	}
}

// lines prints what moved in one run since its last poll, as
// TIME<tab>run ID WORKFLOW<tab>SUBJECT<tab>STATE, the subject being "run",
// "job NAME" or "step JOB / STEP".
func (b *board) lines(t *tracked) {
	cur := t.cur
	at := cur.at.UTC().Format(time.RFC3339)
	run := fmt.Sprintf("run %d %s", cur.run.ID, output.OneLine(cur.run.Name))
	for _, c := range changeList(t.prev, cur) {
		fmt.Fprintf(b.out, "%s\t%s\t%s\t%s\n", at, run, c.subject, c.state)
	}
}

// end shows the last poll, the one that saw every run complete, and on a
// terminal a line that sums up.
func (b *board) end() {
	if !b.tty {
		b.show()
		return
	}
	b.meter.Done()
	all := b.m.ordered()
	failed := b.m.failed()
	if len(failed) == 0 {
		fmt.Fprintf(b.out, "\n%s %d runs of %s completed\n", b.cs.Symbol(api.StatusCompleted, api.ConclusionSuccess), len(all), b.m.subject())
		return
	}
	fmt.Fprintf(b.out, "\n%s %d of %d runs of %s failed\n", b.cs.Symbol(api.StatusCompleted, api.ConclusionFailure), len(failed), len(all), b.m.subject())
}

// warned notes that a line was printed on stderr after the frame.
func (b *board) warned() {
	if b.tty {
		b.screen.warned()
	}
}

// frame renders every run for a terminal: a header, then one block per
// run (its line, then a line per job, with the step a running job is on).
func (b *board) frame(final bool) []string {
	cs := b.cs
	runs := b.m.ordered()
	done := 0
	for _, s := range runs {
		if s.run.Completed() {
			done++
		}
	}
	var lines []string
	add := func(format string, args ...any) {
		lines = append(lines, fmt.Sprintf(format, args...))
	}
	add("%s · %d of %d runs completed", cs.Bold("Runs of "+b.m.subject()), done, len(runs))
	add("")
	for _, s := range runs {
		r := s.run
		add("%s %s · %s · %d · %s", cs.Symbol(r.Status, r.Conclusion), cs.Bold(output.OneLine(r.Name)), output.OneLine(r.DisplayTitle),
			r.ID, output.Duration(r.Elapsed(s.at)))
		if len(s.jobs) == 0 && !r.Completed() {
			add("  %s", cs.Gray("no jobs yet"))
		}
		for _, j := range s.jobs {
			l := fmt.Sprintf("  %s %s in %s", cs.Symbol(j.Status, j.Conclusion), output.OneLine(j.Name), output.Duration(j.Duration(s.at)))
			if st := runningStep(j); st != "" {
				l += cs.Gray(" · " + st)
			}
			lines = append(lines, l)
		}
	}
	if !final {
		lines = append(lines, "", checking(cs, b.m.next))
	}
	return lines
}

// runningStep names the step a job not completed is on, or "".
func runningStep(j api.Job) string {
	if j.Completed() {
		return ""
	}
	for _, st := range j.Steps {
		if st.Status == api.StatusInProgress {
			return output.OneLine(st.Name)
		}
	}
	return ""
}

// printTails prints, after a watch, the last lines of the failed steps of
// the runs that failed, as `view --log-failed` prints them: at most
// tailSteps steps in all, the last tailLines lines of each. A run whose
// logs cannot be read is a warning: the watch itself went well.
func (m *many) printTails(ctx context.Context, failed []*snapshot) {
	out, errOut := m.opts.IO.Out, m.opts.IO.ErrOut
	left := tailSteps
	for _, s := range failed {
		r := s.run
		hint := fmt.Sprintf("%s %d --log-failed", m.opts.ViewCommand, r.ID)
		if left == 0 {
			fmt.Fprintf(out, "\nRun %d (%s) failed; its logs: %s\n", r.ID, output.OneLine(r.Name), hint)
			continue
		}
		var buf bytes.Buffer
		tail, err := logs.FailedTail(ctx, m.opts.Client, m.opts.Repo.API(), r.ID, s.jobs, &buf, left, tailLines)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			fmt.Fprintf(errOut, "warning: the logs of failed run %d: %s\nhint: %s\n", r.ID, output.OneLine(err.Error()), hint)
			continue
		}
		fmt.Fprintf(out, "\nRun %d (%s) failed; the last %d lines of each failed step:\n", r.ID, output.OneLine(r.Name), tailLines)
		out.Write(buf.Bytes())
		if tail.Left > 0 {
			fmt.Fprintf(out, "%d more failed steps: %s\n", tail.Left, hint)
		}
		left -= tail.Steps
	}
}
