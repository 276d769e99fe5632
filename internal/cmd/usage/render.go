package usage

import (
	"fmt"
	"path"
	"strings"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/output"
)

// total is billable time and jobs summed over runs.
type total struct {
	name  string
	file  string // the workflow's file, to tell apart workflows of one name
	runs  int
	ms    map[string]int64
	jobs  int
	allMS int64
}

func (t *total) add(r runUsage) {
	t.runs++
	for _, os := range OSes {
		b := r.Usage.Billable[os]
		t.ms[os] += b.TotalMS
		t.jobs += b.Jobs
		t.allMS += b.TotalMS
	}
}

func newTotal(name string) *total { return &total{name: name, ms: map[string]int64{}} }

// workflowFile names a run's workflow file ("lint.yml"), or its ID when
// GitHub gave no path.
func workflowFile(r api.Run) string {
	if r.Path == "" {
		return fmt.Sprintf("ID %d", r.WorkflowID)
	}
	file, _, _ := strings.Cut(path.Base(r.Path), "@")
	return file
}

func report(opts *Options, results []runUsage, totals bool) error {
	ok := results[:0:0]
	for _, r := range results {
		if r.Err == nil {
			ok = append(ok, r)
		}
	}
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(ok))
		for i, r := range ok {
			data := output.RunData(r.Run)
			billable := map[string]any{}
			for _, os := range OSes {
				b := r.Usage.Billable[os]
				billable[os] = map[string]any{"totalMs": b.TotalMS, "jobs": b.Jobs}
			}
			data["billable"] = billable
			data["runDurationMs"] = r.Usage.RunDurationMS
			rows[i] = output.Pick(data, opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	if len(ok) == 0 {
		return nil
	}

	ios := opts.IO
	tty := ios.IsStdoutTTY()
	ms := func(v int64) string {
		if tty {
			return output.Millis(v)
		}
		return fmt.Sprint(v)
	}
	runs := output.NewTable(ios, "RUN", "WORKFLOW", "UBUNTU", "MACOS", "WINDOWS", "BILLABLE", "JOBS", "DURATION")
	// Totals go by workflow ID: two workflow files may share a name.
	byWorkflow := map[int64]*total{}
	var order []*total
	all := newTotal("TOTAL")
	for _, r := range ok {
		t := newTotal(r.Run.Name)
		t.add(r)
		all.add(r)
		w := byWorkflow[r.Run.WorkflowID]
		if w == nil {
			w = newTotal(r.Run.Name)
			w.file = workflowFile(r.Run)
			byWorkflow[r.Run.WorkflowID] = w
			order = append(order, w)
		}
		w.add(r)
		row := []string{fmt.Sprint(r.Run.ID), r.Run.Name, ms(t.ms["UBUNTU"]), ms(t.ms["MACOS"]), ms(t.ms["WINDOWS"]),
			ms(t.allMS), fmt.Sprint(t.jobs), ms(r.Usage.RunDurationMS)}
		if !tty {
			row = append([]string{"run"}, row...)
		}
		runs.AddRow(row...)
	}
	if err := runs.Render(); err != nil {
		return err
	}
	if !totals {
		return nil
	}

	if tty {
		fmt.Fprintf(ios.Out, "\n%s\n", output.Colors{Enabled: ios.ColorEnabled()}.Bold("Totals by workflow"))
	}
	wf := output.NewTable(ios, "WORKFLOW", "RUNS", "UBUNTU", "MACOS", "WINDOWS", "BILLABLE", "JOBS")
	named := map[string]int{}
	for _, t := range order {
		named[t.name]++
	}
	for _, t := range append(order, all) {
		name := t.name
		if t != all && named[name] > 1 {
			name += " (" + t.file + ")"
		}
		row := []string{name, fmt.Sprint(t.runs), ms(t.ms["UBUNTU"]), ms(t.ms["MACOS"]), ms(t.ms["WINDOWS"]), ms(t.allMS), fmt.Sprint(t.jobs)}
		if !tty {
			row = append([]string{"workflow"}, row...)
		}
		wf.AddRow(row...)
	}
	if err := wf.Render(); err != nil {
		return err
	}

	if tty {
		fmt.Fprintf(ios.Out, "\n%s\n", output.Colors{Enabled: ios.ColorEnabled()}.Bold("Totals by OS"))
	}
	byOS := output.NewTable(ios, "OS", "BILLABLE", "JOBS")
	for _, os := range OSes {
		jobs := 0
		for _, r := range ok {
			jobs += r.Usage.Billable[os].Jobs
		}
		row := []string{os, ms(all.ms[os]), fmt.Sprint(jobs)}
		if !tty {
			row = append([]string{"os"}, row...)
		}
		byOS.AddRow(row...)
	}
	return byOS.Render()
}
