package stats

import (
	"fmt"
	"math"
	"time"

	"github.com/ghruns/gh-runs/internal/output"
)

func report(opts *Options, runs []runJobs) error {
	switch opts.By {
	case "job":
		return reportJobs(opts, byJob(runs), bySteps(runs))
	case "week":
		from, to := window(opts, runs)
		return reportWeeks(opts, byWeek(runs, opts.Now, from, to))
	}
	return reportWorkflows(opts, byWorkflow(runs, opts.Now), bySteps(runs))
}

// window is the span of creation times whose weeks --by week shows: the
// filter's, up to now. Its start is left open (the oldest run's) when the
// filter has none, or when -L cut the runs read, so that the weeks before
// the oldest run read do not show as weeks without runs.
func window(opts *Options, runs []runJobs) (from, to time.Time) {
	r, err := opts.Filter.CreatedRange()
	if err == nil {
		from, to = r.From, r.To
	}
	if to.IsZero() || to.After(opts.Now) {
		to = opts.Now
	}
	if opts.Filter.Limit > 0 && len(runs) >= opts.Filter.Limit {
		from = time.Time{}
	}
	return from, to
}

// across reports whether the figures are of more than one repository,
// which then has a column of its own.
func (o *Options) across() bool { return len(o.Repos) > 1 }

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

// none is the cell of a figure there is nothing to compute from: a dash
// for a person, empty in a pipe.
func (c cells) none() string {
	if c.tty {
		return "-"
	}
	return ""
}

// lead is the REPO cell that starts a row across repositories.
func lead(opts *Options, repo string) []string {
	if !opts.across() {
		return nil
	}
	return []string{output.OneLine(repo)}
}

// header is a table's header, with REPO first across repositories.
func header(opts *Options, cols ...string) []string {
	if !opts.across() {
		return cols
	}
	return append([]string{"REPO"}, cols...)
}

// flex shifts the flexible columns past the REPO column when there is one.
// As in list, the repository is never cut: "acme" cut from "acme/web"
// would read as another name.
func flex(opts *Options, cols ...int) []int {
	if !opts.across() {
		return cols
	}
	out := make([]int, len(cols))
	for i, c := range cols {
		out[i] = c + 1
	}
	return out
}

// labels names each workflow for a person, adding the file to names that
// two workflows of one repository share.
func labels(repos, names, paths []string, ids []int64) []string {
	type named struct{ repo, name string }
	workflows := map[named]map[int64]bool{}
	for i, n := range names {
		k := named{repos[i], output.OneLine(n)}
		if workflows[k] == nil {
			workflows[k] = map[int64]bool{}
		}
		workflows[k][ids[i]] = true
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = output.OneLine(n)
		if len(workflows[named{repos[i], out[i]}]) > 1 {
			out[i] += " (" + output.OneLine(workflowFile(paths[i], ids[i])) + ")"
		}
		if out[i] == "" {
			out[i] = "-"
		}
	}
	return out
}

// labelsOf are labels for rows of any kind, of naming each row's
// workflow: its repository, name, file and ID.
func labelsOf[T any](rows []T, of func(T) (repo, name, path string, id int64)) []string {
	repos, names, paths, ids := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		repos[i], names[i], paths[i], ids[i] = of(r)
	}
	return labels(repos, names, paths, ids)
}

// workflowOf names a workflow's row, for labelsOf.
func workflowOf(w *workflowStats) (repo, name, path string, id int64) {
	return w.Repo, w.Name, w.Path, w.ID
}

func reportWorkflows(opts *Options, ws []*workflowStats, steps []*stepStats) error {
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(ws))
		for i, w := range ws {
			rows[i] = output.Pick(map[string]any{
				"repository": w.Repo,
				"workflow":   w.Name, "workflowDatabaseId": w.ID, "path": w.Path,
				"runs": w.Runs, "successes": w.Successes, "failures": w.Failures, "cancelled": w.Cancelled,
				"successRate":   math.Round(w.SuccessRate()*10000) / 10000,
				"durationP50Ms": w.Duration.P50.Milliseconds(), "durationP90Ms": w.Duration.P90.Milliseconds(),
				"durationMaxMs": w.Duration.Max.Milliseconds(),
				"queueP50Ms":    w.Queue.P50.Milliseconds(), "queueP90Ms": w.Queue.P90.Milliseconds(),
				"steps": stepRows(ofWorkflow(steps, workflowKey{w.Repo, w.ID})),
			}, opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	if len(ws) == 0 {
		return nil
	}
	c := cells{opts.IO.IsStdoutTTY()}
	t := output.NewTable(opts.IO, header(opts, "WORKFLOW", "RUNS", "OK%", "FAIL", "CANCEL", "P50", "P90", "MAX", "QUEUE P50", "QUEUE P90")...)
	t.Flex(flex(opts, 0)...)
	wf := labelsOf(ws, workflowOf)
	for i, w := range ws {
		t.AddRow(append(lead(opts, w.Repo), wf[i], fmt.Sprint(w.Runs), c.rate(w.SuccessRate()), fmt.Sprint(w.Failures), fmt.Sprint(w.Cancelled),
			c.d(w.Duration.P50), c.d(w.Duration.P90), c.d(w.Duration.Max), c.d(w.Queue.P50), c.d(w.Queue.P90))...)
	}
	if err := t.Render(); err != nil {
		return err
	}
	return reportSteps(opts, steps)
}

// stepRows are the JSON rows of steps.
func stepRows(steps []*stepStats) []map[string]any {
	out := make([]map[string]any, len(steps))
	for i, s := range steps {
		out[i] = map[string]any{
			"job": s.Job, "step": s.Name, "runs": s.Runs, "failures": s.Failures,
			"durationP50Ms": s.Duration.P50.Milliseconds(), "durationP90Ms": s.Duration.P90.Milliseconds(),
			"durationMaxMs": s.Duration.Max.Milliseconds(),
		}
	}
	return out
}

// reportSteps shows a person, after the figures, the slowest steps and
// the most often failing ones, the first topSteps of each. Scripts read
// the steps from JSON.
func reportSteps(opts *Options, steps []*stepStats) error {
	if !opts.IO.IsStdoutTTY() || len(steps) == 0 {
		return nil
	}
	c := cells{true}
	// Workflows of one name are told apart over all the steps, not only
	// those shown: the steps of the other may just have been left out.
	wf := map[*stepStats]string{}
	for i, l := range labelsOf(steps, func(s *stepStats) (string, string, string, int64) { return s.Repo, s.Workflow, s.Path, s.WorkflowID }) {
		wf[steps[i]] = l
	}
	table := func(title string, steps []*stepStats) error {
		steps = steps[:min(len(steps), topSteps)]
		fmt.Fprintln(opts.IO.Out)
		t := output.NewTable(opts.IO, header(opts, title, "RUNS", "FAILED", "P50", "P90")...)
		t.Flex(flex(opts, 0)...)
		for _, s := range steps {
			name := wf[s] + " / " + output.OneLine(s.Job) + " / " + output.OneLine(s.Name)
			t.AddRow(append(lead(opts, s.Repo), name, fmt.Sprint(s.Runs), fmt.Sprint(s.Failures), c.d(s.Duration.P50), c.d(s.Duration.P90))...)
		}
		return t.Render()
	}
	if err := table("SLOWEST STEPS", steps); err != nil {
		return err
	}
	if f := failing(steps); len(f) > 0 {
		return table("MOST OFTEN FAILING STEPS", f)
	}
	fmt.Fprintln(opts.IO.Out)
	fmt.Fprintln(opts.IO.Out, "No step failed.")
	return nil
}

func reportWeeks(opts *Options, ws []*weekStats) error {
	// A week without runs has no rate or durations: null in JSON, not 0.
	orNull := func(ok bool, v any) any {
		if !ok {
			return nil
		}
		return v
	}
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(ws))
		for i, w := range ws {
			rows[i] = output.Pick(map[string]any{
				"repository": w.Repo,
				"workflow":   w.Name, "workflowDatabaseId": w.ID, "path": w.Path,
				"week": w.Label(), "weekStart": w.Week.Format(time.DateOnly),
				"runs": w.Runs, "successes": w.Successes, "failures": w.Failures, "cancelled": w.Cancelled,
				"successRate":   orNull(w.Completed > 0, math.Round(w.SuccessRate()*10000)/10000),
				"durationP50Ms": orNull(len(w.durations) > 0, w.Duration.P50.Milliseconds()),
				"durationP90Ms": orNull(len(w.durations) > 0, w.Duration.P90.Milliseconds()),
				"durationMaxMs": orNull(len(w.durations) > 0, w.Duration.Max.Milliseconds()),
				"queueP50Ms":    orNull(len(w.queues) > 0, w.Queue.P50.Milliseconds()),
				"queueP90Ms":    orNull(len(w.queues) > 0, w.Queue.P90.Milliseconds()),
			}, opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	if len(ws) == 0 {
		return nil
	}
	c := cells{opts.IO.IsStdoutTTY()}
	t := output.NewTable(opts.IO, header(opts, "WORKFLOW", "WEEK", "STARTS", "RUNS", "OK%", "P50", "P90", "QUEUE P50")...)
	t.Flex(flex(opts, 0)...)
	wf := labelsOf(ws, func(w *weekStats) (string, string, string, int64) { return workflowOf(&w.workflowStats) })
	for i, w := range ws {
		rate, p50, p90, queue := c.none(), c.none(), c.none(), c.none()
		if w.Completed > 0 {
			rate = c.rate(w.SuccessRate())
		}
		if len(w.durations) > 0 {
			p50, p90 = c.d(w.Duration.P50), c.d(w.Duration.P90)
		}
		if len(w.queues) > 0 {
			queue = c.d(w.Queue.P50)
		}
		t.AddRow(append(lead(opts, w.Repo), wf[i], w.Label(), w.Week.Format(time.DateOnly), fmt.Sprint(w.Runs), rate, p50, p90, queue)...)
	}
	return t.Render()
}

func reportJobs(opts *Options, js []*jobStats, steps []*stepStats) error {
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(js))
		for i, j := range js {
			rows[i] = output.Pick(map[string]any{
				"repository": j.Repo,
				"workflow":   j.Workflow, "workflowDatabaseId": j.WorkflowID, "path": j.Path, "job": j.Name,
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
	t := output.NewTable(opts.IO, header(opts, "WORKFLOW", "JOB", "RUNS", "FAILED", "FLAKY", "P50", "P90", "MAX")...)
	t.Flex(flex(opts, 1, 0)...)
	wf := labelsOf(js, func(j *jobStats) (string, string, string, int64) { return j.Repo, j.Workflow, j.Path, j.WorkflowID })
	for i, j := range js {
		t.AddRow(append(lead(opts, j.Repo), wf[i], output.OneLine(j.Name), fmt.Sprint(j.Runs), fmt.Sprint(j.Failures), fmt.Sprint(j.Flaky),
			c.d(j.Duration.P50), c.d(j.Duration.P90), c.d(j.Duration.Max))...)
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
	// Across repositories a job's name starts with its repository's.
	where := func(i int) string {
		if opts.across() {
			return output.OneLine(js[i].Repo) + ": " + wf[i]
		}
		return wf[i]
	}
	// Long names wrap rather than run past the terminal's edge.
	width := opts.IO.TerminalWidth()
	lines := []string{fmt.Sprintf("Slowest job: %s / %s (p90 %s)", where(slowest), output.OneLine(js[slowest].Name), output.Duration(js[slowest].Duration.P90))}
	if failing >= 0 {
		j := js[failing]
		lines = append(lines, fmt.Sprintf("Most often failing job: %s / %s (%d of %s)", where(failing), output.OneLine(j.Name), j.Failures, output.Plural(j.Runs, "run")))
	} else {
		lines = append(lines, "No job failed.")
	}
	fmt.Fprintln(opts.IO.Out)
	for _, l := range lines {
		fmt.Fprintln(opts.IO.Out, output.Wrap(width, l))
	}
	return reportSteps(opts, steps)
}
