package usage

import (
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/output"
)

// total is billable time and jobs summed over runs.
type total struct {
	label string
	file  string // the workflow's file, to tell apart workflows of one name
	runs  int
	ms    map[string]int64
	jobs  map[string]int
}

func newTotal(label string) *total {
	return &total{label: label, ms: map[string]int64{}, jobs: map[string]int{}}
}

func (t *total) add(r runUsage) {
	t.runs++
	for _, os := range OSes {
		b := r.Usage.Billable[os]
		t.ms[os] += b.TotalMS
		t.jobs[os] += b.Jobs
	}
}

func (t *total) allMS() (ms int64) {
	for _, v := range t.ms {
		ms += v
	}
	return ms
}

func (t *total) allJobs() (n int) {
	for _, v := range t.jobs {
		n += v
	}
	return n
}

func (t *total) cost(prices map[string]float64) (c float64) {
	for _, os := range OSes {
		c += cost(os, t.ms[os], prices)
	}
	return c
}

// workflowFile names a run's workflow file ("lint.yml"), or its ID when
// GitHub gave no path.
func workflowFile(r api.Run) string {
	if r.Path == "" {
		return fmt.Sprintf("ID %d", r.WorkflowID)
	}
	file, _, _ := strings.Cut(path.Base(r.Path), "@")
	return file
}

// groupKey is what --by groups a run under, and the label a person reads.
// Workflows go by ID, since two workflow files may share a name.
func groupKey(u runUsage, by string) (key, label string) {
	r := u.Run
	switch by {
	case "repo":
		return u.Repo.String(), u.Repo.String()
	case "branch":
		return r.HeadBranch, r.HeadBranch
	case "actor":
		return r.ActorLogin(), r.ActorLogin()
	}
	return fmt.Sprint(r.WorkflowID), r.Name
}

// costHeader heads the cost column with its currency, as short as the
// tables' 80 columns allow: the prices are in US dollars, like GitHub's
// list prices.
const costHeader = "USD"

// money rounds an estimate to cents.
func money(v float64) string { return fmt.Sprintf("%.2f", math.Round(v*100)/100) }

func report(opts *Options, results []runUsage, totals bool) error {
	ok := results[:0:0]
	for _, r := range results {
		if r.Err == nil {
			ok = append(ok, r)
		}
	}
	if opts.Exporter.Enabled() {
		return writeJSON(opts, ok)
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
	heading := func(title string) {
		if tty {
			fmt.Fprintf(ios.Out, "\n%s\n", output.Colors{Enabled: ios.ColorEnabled()}.Bold(title))
		}
	}
	// In a pipe every row starts with its kind, so scripts can pick rows.
	addRow := func(t *output.Table, kind string, cells ...string) {
		if !tty {
			cells = append([]string{kind}, cells...)
		}
		t.AddRow(cells...)
	}

	// Across repositories, each run's repository comes first.
	across := len(opts.Repos) > 1
	header := []string{"RUN", "WORKFLOW", "UBUNTU", "MACOS", "WINDOWS", "BILLABLE", "JOBS", "DURATION", "SOURCE"}
	if across {
		header = append([]string{"REPO"}, header...)
	}
	runs := output.NewTable(ios, header...)
	if across {
		runs.Flex(2)
	} else {
		runs.Flex(1)
	}
	groups := map[string]*total{}
	var order []*total
	all := newTotal("TOTAL")
	for _, r := range ok {
		t := newTotal("")
		t.add(r)
		all.add(r)
		key, label := groupKey(r, opts.By)
		if across && opts.By == "workflow" {
			key = r.Repo.String() + " " + key
		}
		g := groups[key]
		if g == nil {
			g = newTotal(label)
			g.file = workflowFile(r.Run)
			if across {
				g.file = r.Repo.String() + "/" + g.file
			}
			groups[key] = g
			order = append(order, g)
		}
		g.add(r)
		cells := []string{fmt.Sprint(r.Run.ID), output.OneLine(r.Run.Name), ms(t.ms["UBUNTU"]), ms(t.ms["MACOS"]), ms(t.ms["WINDOWS"]),
			ms(t.allMS()), fmt.Sprint(t.allJobs()), ms(r.Usage.RunDurationMS), r.Source}
		if across {
			cells = append([]string{r.Repo.String()}, cells...)
		}
		addRow(runs, "run", cells...)
	}
	if err := runs.Render(); err != nil {
		return err
	}
	if !totals {
		return nil
	}

	if opts.By != "os" {
		heading("Totals by " + opts.By)
		named := map[string]int{}
		for _, g := range order {
			named[g.label]++
		}
		gt := output.NewTable(ios, strings.ToUpper(opts.By), "RUNS", "UBUNTU", "MACOS", "WINDOWS", "BILLABLE", "JOBS", costHeader)
		gt.Flex(0)
		for _, g := range append(order, all) {
			label := output.OneLine(g.label)
			if g != all && opts.By == "workflow" && named[label] > 1 {
				label += " (" + g.file + ")"
			}
			if label == "" {
				label = "-"
			}
			addRow(gt, opts.By, label, fmt.Sprint(g.runs), ms(g.ms["UBUNTU"]), ms(g.ms["MACOS"]), ms(g.ms["WINDOWS"]),
				ms(g.allMS()), fmt.Sprint(g.allJobs()), money(g.cost(opts.Prices)))
		}
		if err := gt.Render(); err != nil {
			return err
		}
	}

	heading("Totals by OS")
	ot := output.NewTable(ios, "OS", "BILLABLE", "JOBS", "RATE", costHeader)
	for _, os := range OSes {
		addRow(ot, "os", os, ms(all.ms[os]), fmt.Sprint(all.jobs[os]), fmt.Sprintf("%g/min", opts.Prices[os]), money(cost(os, all.ms[os], opts.Prices)))
	}
	addRow(ot, "os", "TOTAL", ms(all.allMS()), fmt.Sprint(all.allJobs()), "", money(all.cost(opts.Prices)))
	if err := ot.Render(); err != nil {
		return err
	}
	if tty {
		fmt.Fprintf(ios.Out, "\n%s\n", output.Wrap(ios.TerminalWidth(),
			"Cost is an estimate at the prices of a minute in RATE (price_per_minute…); GitHub's invoice is the authority."))
	}
	return nil
}

func writeJSON(opts *Options, ok []runUsage) error {
	rows := make([]map[string]any, len(ok))
	for i, r := range ok {
		data := output.RunData(r.Run)
		billable := map[string]any{}
		t := newTotal("")
		t.add(r)
		for _, os := range OSes {
			b := r.Usage.Billable[os]
			billable[os] = map[string]any{"totalMs": b.TotalMS, "jobs": b.Jobs}
		}
		data["billable"] = billable
		data["runDurationMs"] = r.Usage.RunDurationMS
		data["billableSource"] = r.Source
		data["estimatedCost"] = math.Round(t.cost(opts.Prices)*10000) / 10000
		rows[i] = output.Pick(data, opts.Exporter.Fields())
	}
	return opts.Exporter.Write(opts.IO, rows)
}
