package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// Fields are the --json fields of a bulk report.
var Fields = []string{"databaseId", "displayTitle", "workflowName", "result", "error", "repository"}

// Action describes one bulk verb.
type Action struct {
	// Verb and Done name the action: "cancel", "cancelled".
	Verb, Done string
	// Would is the dry run's word for it; "would " + Verb when empty.
	Would string
	// Eligible keeps, among runs selected by filter, those the action
	// applies to; nil keeps every run.
	Eligible func(api.Run) bool
	// Ineligible says why a run fails Eligible: "already completed".
	Ineligible string
	// Act acts on one run; its error says what failed, in the user's
	// terms, or a *Skip that nothing was left to do.
	Act func(ctx context.Context, t Target) error
}

// Request is what the user asked for.
type Request struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Repos, when more than one, are the repositories the filters select
	// runs in, instead of Repo.
	Repos  []cmdutil.Repository
	Select reposet.Selection
	// IDs are explicit runs; when empty, Filter selects the runs.
	IDs      []int64
	Filter   runquery.Filter
	Yes      bool
	DryRun   bool
	Exporter *output.Exporter
}

// Run selects, confirms, acts and reports. It returns cmdutil.ErrSilent
// when any run failed, after reporting every run.
func Run(ctx context.Context, req Request, a Action) error {
	targets := FromIDs(req.IDs)
	across := len(req.Repos) > 1
	if len(req.IDs) == 0 && !req.Yes && !req.DryRun && !req.IO.CanPrompt() {
		// Confirm refuses without a terminal: do so before listing, which
		// with -L 0 may take many requests.
		q := fmt.Sprintf("%s the runs selected by filters in %s?", capitalize(a.Verb), req.where())
		return cmdutil.Confirm(req.IO, q, "--yes")
	}
	listFailed := false
	if across {
		var err error
		if targets, listFailed, err = listAcross(ctx, req, a); err != nil {
			return err
		}
		if len(targets) == 0 {
			if err := report(req, nil); err != nil || !listFailed {
				return err
			}
			return cmdutil.ErrSilent
		}
	} else if len(req.IDs) == 0 {
		list, err := cmdutil.ListRuns(ctx, req.IO, req.Client, req.Repo, req.Filter)
		if err != nil {
			return err
		}
		var runs []api.Run
		for _, r := range list.Runs {
			if a.Eligible == nil || a.Eligible(r) {
				runs = append(runs, r)
			}
		}
		if skipped := len(list.Runs) - len(runs); skipped > 0 {
			fmt.Fprintf(req.IO.ErrOut, "skipping %s: %s\n", output.Plural(skipped, "matching run"), a.Ineligible)
		}
		if len(runs) == 0 {
			fmt.Fprintf(req.IO.ErrOut, "no runs to %s\n", a.Verb)
			return report(req, nil)
		}
		targets = FromRuns(runs)
	}

	if req.DryRun {
		outs := make([]Outcome, len(targets))
		for i, t := range targets {
			outs[i] = Outcome{Target: t, Result: a.would()}
		}
		return report(req, outs)
	}
	short := budgetShort(req, len(targets))
	switch {
	case len(req.IDs) == 0 && !req.Yes:
		q := fmt.Sprintf("%s %s in %s?", capitalize(a.Verb), output.Plural(len(targets), "run"), req.Repo)
		if across {
			q = fmt.Sprintf("%s %s in %s?", capitalize(a.Verb), output.Plural(len(targets), "run"), perRepo(targets))
		}
		if err := cmdutil.Confirm(req.IO, q, "--yes"); err != nil {
			return err
		}
	case short && !req.Yes && req.IO.CanPrompt():
		if err := cmdutil.Confirm(req.IO, "Go on anyway?", "--yes"); err != nil {
			return err
		}
	}
	// "cancel 37/200 runs" on stderr while the job runs, on a terminal.
	var finished atomic.Int64
	var meter *output.Updater
	if req.IO.IsStderrTTY() && len(targets) > 1 {
		meter = output.NewMeter(req.IO.ErrOut, func(time.Duration) string {
			return fmt.Sprintf("%s %d/%d runs", a.Verb, finished.Load(), len(targets))
		})
	}
	byID := make(map[int64]Target, len(targets))
	for _, t := range targets {
		byID[t.ID] = t
	}
	outs := Do(ctx, targets, req.Client.Concurrency(), a.Done, func(ctx context.Context, id int64) error {
		defer func() {
			finished.Add(1)
			meter.Update()
		}()
		return a.Act(ctx, byID[id])
	})
	meter.Done()
	if err := report(req, outs); err != nil {
		return err
	}
	n, skipped := Failed(outs), 0
	for _, o := range outs {
		if errors.Is(o.Err, ErrNotAttempted) {
			skipped++
		}
	}
	if n -= skipped; n > 0 {
		fmt.Fprintf(req.IO.ErrOut, "could not %s %s of %d\n", a.Verb, output.Plural(n, "run"), len(outs))
	}
	if skipped > 0 {
		fmt.Fprintf(req.IO.ErrOut, "interrupted before %s of %d: run the same command again for the rest\n", output.Plural(skipped, "run"), len(outs))
	}
	n += skipped
	switch {
	case ctx.Err() != nil:
		// Interrupted: every run is reported above; the exit code says so.
		return ctx.Err()
	case n > 0 || listFailed:
		return cmdutil.ErrSilent
	}
	return nil
}

func (a Action) would() string {
	if a.Would != "" {
		return a.Would
	}
	return "would " + a.Verb
}

func report(req Request, outs []Outcome) error {
	ios := req.IO
	if req.Exporter.Enabled() {
		rows := make([]map[string]any, len(outs))
		for i, o := range outs {
			errText := any(nil)
			if o.Err != nil {
				errText = o.Err.Error()
			}
			repo := req.Repo.String()
			if o.Repo.Name != "" {
				repo = o.Repo.String()
			}
			rows[i] = output.Pick(map[string]any{
				"databaseId": o.ID, "displayTitle": o.Title, "workflowName": o.Workflow,
				"result": o.Result, "error": errText, "repository": repo,
			}, req.Exporter.Fields())
		}
		return req.Exporter.Write(ios, rows)
	}
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	for _, o := range outs {
		if o.Repo.Name != "" && !ios.IsStdoutTTY() {
			// In a pipe the repository is a column of its own, first.
			fmt.Fprintf(ios.Out, "%s\t", o.Repo)
		}
		switch {
		case !ios.IsStdoutTTY() && o.Err != nil:
			fmt.Fprintf(ios.Out, "%d\t%s\t%s\n", o.ID, o.Result, oneLine(o.Err.Error()))
		case !ios.IsStdoutTTY():
			fmt.Fprintf(ios.Out, "%d\t%s\n", o.ID, o.Result)
		case o.Err != nil:
			fmt.Fprintf(ios.Out, "%s %s\n", cs.Red("X"), oneLine(o.Err.Error()))
		case strings.HasPrefix(o.Result, "would ") || o.Skipped:
			fmt.Fprintf(ios.Out, "%s %s: %s\n", cs.Gray("-"), o.Describe(), o.Result)
		default:
			fmt.Fprintf(ios.Out, "%s %s: %s\n", cs.Green("✓"), o.Describe(), o.Result)
		}
	}
	return nil
}

func oneLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// budgetShort says on stderr, before a job starts, when GitHub's rate limit
// as last seen leaves fewer requests than the job needs (one per run): the
// runs past the limit would fail until it resets.
func budgetShort(req Request, need int) bool {
	remaining, reset, ok := req.Client.RateLimit()
	if !ok || remaining >= int64(need) {
		return false
	}
	fmt.Fprintf(req.IO.ErrOut, "warning: this needs %d requests, but GitHub's rate limit allows %d more until %s; the rest would fail until then\n",
		need, remaining, reset.Local().Format("15:04 MST"))
	return true
}
