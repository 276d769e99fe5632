package stats

import (
	"fmt"
	"math"
	"time"

	"github.com/ghruns/gh-runs/internal/output"
)

func report(opts *Options, runs []runJobs) error {
	if opts.By == "job" {
		return reportJobs(opts, byJob(runs))
	}
	return reportWorkflows(opts, byWorkflow(runs, opts.Now))
}

// cells prints durations for a person on a TTY, as milliseconds in a pipe.
type cells struct{ tty bool }

func (c cells) d(d time.Duration) string {
	if c.tty {
		return output.Duration(d)
	}
	return fmt.Sprint(d.Milliseconds())
}

// rate prints a share as a percentage: whole on a TTY, to a tenth in a pipe.
func (c cells) rate(v float64) string {
	if c.tty {
		return fmt.Sprintf("%.0f%%", v*100)
	}
	return fmt.Sprintf("%.1f", v*100)
}

// labels names each workflow for a person, adding the file to names that
// two workflows share.
func labels(names, paths []string, ids []int64) []string {
	workflows := map[string]map[int64]bool{}
	for i, n := range names {
		n = output.OneLine(n)
		if workflows[n] == nil {
			workflows[n] = map[int64]bool{}
		}
		workflows[n][ids[i]] = true
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = output.OneLine(n)
		if len(workflows[out[i]]) > 1 {
			out[i] += " (" + output.OneLine(workflowFile(paths[i], ids[i])) + ")"
		}
		if out[i] == "" {
			out[i] = "-"
		}
	}
	return out
}

func reportWorkflows(opts *Options, ws []*workflowStats) error {
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(ws))
		for i, w := range ws {
			rows[i] = output.Pick(map[string]any{
				"workflow": w.Name, "workflowDatabaseId": w.ID, "path": w.Path,
				"runs": w.Runs, "successes": w.Successes, "failures": w.Failures, "cancelled": w.Cancelled,
				"successRate":   math.Round(w.SuccessRate()*10000) / 10000,
				"durationP50Ms": w.Duration.P50.Milliseconds(), "durationP90Ms": w.Duration.P90.Milliseconds(),
				"durationMaxMs": w.Duration.Max.Milliseconds(),
				"queueP50Ms":    w.Queue.P50.Milliseconds(), "queueP90Ms": w.Queue.P90.Milliseconds(),
			}, opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	if len(ws) == 0 {
		return nil
	}
	c := cells{opts.IO.IsStdoutTTY()}
	t := output.NewTable(opts.IO, "WORKFLOW", "RUNS", "OK%", "FAIL", "CANCEL", "P50", "P90", "MAX", "QUEUE P50", "QUEUE P90")
	t.Flex(0)
	names, paths, ids := make([]string, len(ws)), make([]string, len(ws)), make([]int64, len(ws))
	for i, w := range ws {
		names[i], paths[i], ids[i] = w.Name, w.Path, w.ID
	}
	wf := labels(names, paths, ids)
	for i, w := range ws {
		t.AddRow(wf[i], fmt.Sprint(w.Runs), c.rate(w.SuccessRate()), fmt.Sprint(w.Failures), fmt.Sprint(w.Cancelled),
			c.d(w.Duration.P50), c.d(w.Duration.P90), c.d(w.Duration.Max), c.d(w.Queue.P50), c.d(w.Queue.P90))
	}
	return t.Render()
}

func reportJobs(opts *Options, js []*jobStats) error {
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(js))
		for i, j := range js {
			rows[i] = output.Pick(map[string]any{
				"workflow": j.Workflow, "workflowDatabaseId": j.WorkflowID, "path": j.Path, "job": j.Name,
				"runs": j.Runs, "failures": j.Failures, "flaky": j.Flaky,
				"durationP50Ms": j.Duration.P50.Milliseconds(), "durationP90Ms": j.Duration.P90.Milliseconds(),
				"durationMaxMs": j.Duration.Max.Milliseconds(),
			}, opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	if len(js) == 0 {
		return nil
	}
	tty := opts.IO.IsStdoutTTY()
	c := cells{tty}
	t := output.NewTable(opts.IO, "WORKFLOW", "JOB", "RUNS", "FAILED", "FLAKY", "P50", "P90", "MAX")
	t.Flex(1, 0)
	names, paths, ids := make([]string, len(js)), make([]string, len(js)), make([]int64, len(js))
	for i, j := range js {
		names[i], paths[i], ids[i] = j.Workflow, j.Path, j.WorkflowID
	}
	wf := labels(names, paths, ids)
	for i, j := range js {
		t.AddRow(wf[i], output.OneLine(j.Name), fmt.Sprint(j.Runs), fmt.Sprint(j.Failures), fmt.Sprint(j.Flaky),
			c.d(j.Duration.P50), c.d(j.Duration.P90), c.d(j.Duration.Max))
	}
	if err := t.Render(); err != nil {
		return err
	}
	if !tty {
		return nil
	}
	// The table is slowest first; the most failing job is the one with the
	// most failures, the slower of equals.
	slowest := 0
	failing := -1
	for i, j := range js {
		if j.Failures > 0 && (failing < 0 || j.Failures > js[failing].Failures) {
			failing = i
		}
	}
	// Long names wrap rather than run past the terminal's edge.
	width := opts.IO.TerminalWidth()
	lines := []string{fmt.Sprintf("Slowest job: %s / %s (p90 %s)", wf[slowest], output.OneLine(js[slowest].Name), output.Duration(js[slowest].Duration.P90))}
	if failing >= 0 {
		j := js[failing]
		lines = append(lines, fmt.Sprintf("Most often failing job: %s / %s (%d of %s)", wf[failing], output.OneLine(j.Name), j.Failures, output.Plural(j.Runs, "run")))
	} else {
		lines = append(lines, "No job failed.")
	}
	fmt.Fprintln(opts.IO.Out)
	for _, l := range lines {
		fmt.Fprintln(opts.IO.Out, output.Wrap(width, l))
	}
	return nil
}
