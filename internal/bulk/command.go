package bulk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/pace"
	"github.com/ghruns/gh-runs/internal/reposet"
	"github.com/ghruns/gh-runs/internal/runquery"
	"github.com/ghruns/gh-runs/internal/sweep"
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
	// Choose, when set, narrows the runs selected by filter in repo before
	// Eligible (delete's retention); it may ask GitHub more. Across
	// repositories it is called once for each repository with runs, some
	// at the same time, with that repository's runs only.
	Choose func(ctx context.Context, repo api.Repo, runs []api.Run) ([]api.Run, error)
	// ChooseCost is the requests Choose makes in each repository, for the
	// budget of a job across repositories: delete's workflows listing.
	ChooseCost int
	// Plan, when set, describes on w what the job will do to runs, before
	// a dry run's report and before the confirmation.
	Plan func(w io.Writer, runs []sweep.Run)
	// Noun is what the job acts on, for its messages: "run" when empty.
	Noun string
	// Lookup, when set, fetches a target named by ID for a dry run, in
	// place of the run; its error says what failed, in the user's terms.
	Lookup func(ctx context.Context, id int64) (Target, error)
	// Data, when set, gives the --json fields of a target other than a
	// run, in place of databaseId, displayTitle and workflowName; result,
	// error and repository are every target's.
	Data func(t Target) map[string]any
}

func (a Action) noun() string {
	if a.Noun == "" {
		return "run"
	}
	return a.Noun
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
	// WriteRate is --write-rate: writes a minute, 0 for the setting.
	WriteRate int
	// Pace schedules the job's requests under GitHub's secondary limit;
	// nil sends them at once.
	Pace *pace.Limiter
}

// Run selects, confirms, acts and reports. It returns cmdutil.Reported's
// error when any run failed, after reporting every run.
func Run(ctx context.Context, req Request, a Action) error {
	targets := FromIDs(req.IDs)
	across := len(req.Repos) > 1
	if len(req.IDs) == 0 && !req.Yes && !req.DryRun && !req.IO.CanPrompt() {
		// Confirm refuses without a terminal: do so before listing, which
		// with -L 0 may take many requests.
		q := fmt.Sprintf("%s the runs selected by filters in %s?", capitalize(a.Verb), req.where())
		return cmdutil.ConfirmContext(ctx, req.IO, q, "--yes")
	}
	listFailed := false
	if across {
		var err error
		if targets, listFailed, err = listAcross(ctx, req, a); err != nil {
			return err
		}
		if len(targets) == 0 {
			if err := report(req, a, nil); err != nil || !listFailed {
				return err
			}
			return cmdutil.ErrSilent
		}
	} else if len(req.IDs) == 0 {
		list, err := cmdutil.ListRuns(ctx, req.IO, req.Client, req.Repo, req.Filter)
		if err != nil {
			return err
		}
		selected := list.Runs
		if a.Choose != nil {
			if selected, err = a.Choose(ctx, req.Repo.API(), selected); err != nil {
				return err
			}
		}
		var runs []api.Run
		for _, r := range selected {
			if a.Eligible == nil || a.Eligible(r) {
				runs = append(runs, r)
			}
		}
		if skipped := len(selected) - len(runs); skipped > 0 {
			fmt.Fprintf(req.IO.ErrOut, "skipping %s: %s\n", output.Plural(skipped, "matching run"), a.Ineligible)
		}
		if len(runs) == 0 {
			fmt.Fprintf(req.IO.ErrOut, "no runs to %s in %s\n", a.Verb, req.Repo)
			return report(req, a, nil)
		}
		targets = FromRuns(runs)
		if a.Plan != nil {
			inRepo := make([]sweep.Run, len(runs))
			for i, r := range runs {
				inRepo[i] = sweep.Run{Repo: req.Repo, Run: r}
			}
			a.Plan(req.IO.ErrOut, inRepo)
		}
	}
	return act(ctx, req, a, targets, across, listFailed)
}

// RunTargets confirms, acts and reports as Run does, on targets the caller
// selected (things other than runs: artifacts). With filters (req.IDs
// empty) it asks first unless req.Yes. Across req.Repos, when there are
// several, each target carries its repository, the question counts them
// per repository and each outcome names it; listFailed says some
// repository could not be listed (already reported): the exit code is 1
// once the rest are done.
func RunTargets(ctx context.Context, req Request, a Action, targets []Target, listFailed bool) error {
	if len(targets) == 0 {
		fmt.Fprintf(req.IO.ErrOut, "no %ss to %s in %s\n", a.noun(), a.Verb, req.where())
		if err := report(req, a, nil); err != nil || !listFailed {
			return err
		}
		return cmdutil.ErrSilent
	}
	return act(ctx, req, a, targets, len(req.Repos) > 1, listFailed)
}

// act is Run once the targets are known.
func act(ctx context.Context, req Request, a Action, targets []Target, across, listFailed bool) error {
	// The estimate is for a person deciding, or watching: not for a pipe.
	if d := req.Pace.Estimate(len(targets)); d > 0 && (req.IO.IsStderrTTY() || req.DryRun) {
		fmt.Fprintf(req.IO.ErrOut, "%s at %s takes about %s, to stay under GitHub's secondary rate limit\n",
			output.Plural(len(targets), a.noun()), req.Pace.Describe(), output.Duration(d))
	}

	if req.DryRun {
		return dryRun(ctx, req, a, targets)
	}
	short := budgetShort(req, len(targets))
	switch {
	case len(req.IDs) == 0 && !req.Yes:
		q := fmt.Sprintf("%s %s in %s?", capitalize(a.Verb), output.Plural(len(targets), a.noun()), req.Repo)
		if across {
			q = fmt.Sprintf("%s %s in %s?", capitalize(a.Verb), output.Plural(len(targets), a.noun()), perRepo(targets))
		}
		if err := cmdutil.ConfirmContext(ctx, req.IO, q, "--yes"); err != nil {
			return err
		}
	case short && !req.Yes && req.IO.CanPrompt():
		if err := cmdutil.ConfirmContext(ctx, req.IO, "Go on anyway?", "--yes"); err != nil {
			return err
		}
	}
	// "cancel 37/200 runs" on stderr while the job runs, on a terminal.
	var finished atomic.Int64
	var meter *output.Updater
	if req.IO.IsStderrTTY() && len(targets) > 1 {
		meter = output.NewMeter(req.IO.ErrOut, func(elapsed time.Duration) string {
			done := int(finished.Load())
			return fmt.Sprintf("%s %d/%d %ss%s", a.Verb, done, len(targets), a.noun(), rateLeft(done, len(targets), elapsed))
		})
	}
	byID := make(map[int64]Target, len(targets))
	for _, t := range targets {
		byID[t.ID] = t
	}
	workers := req.Client.Concurrency()
	if req.Pace != nil {
		// Writes go a few at a time: the pace, not the pool, sets the rate.
		workers = min(workers, pace.Workers)
		req.Pace.Expect(len(targets))
		req.Pace.HaltOn(ctx)
	}
	outs := Do(ctx, targets, workers, a.Done, func(ctx context.Context, id int64) error {
		defer func() {
			finished.Add(1)
			meter.Update()
		}()
		return a.Act(ctx, byID[id])
	})
	meter.Done()
	if err := report(req, a, outs); err != nil {
		return err
	}
	n, skipped := Failed(outs), 0
	for _, o := range outs {
		if errors.Is(o.Err, ErrNotAttempted) {
			skipped++
		}
	}
	// The summary names the repository: with --yes no confirmation did, and
	// the repository may come from GH_REPO or the config file, not the clone.
	// A single run's own line says everything already; in a pipe, success
	// needs no summary.
	switch n -= skipped; {
	case n > 0 && len(outs) > 1:
		fmt.Fprintf(req.IO.ErrOut, "could not %s %s of %d in %s\n", a.Verb, output.Plural(n, a.noun()), len(outs), req.in(targets))
	case n == 0 && skipped == 0 && req.IO.IsStderrTTY() && (len(req.IDs) == 0 || len(outs) > 1):
		fmt.Fprintf(req.IO.ErrOut, "%s: %s in %s\n", a.Done, output.Plural(len(outs), a.noun()), req.in(targets))
	}
	if skipped > 0 {
		fmt.Fprintf(req.IO.ErrOut, "interrupted: %d of %d %ss not attempted; run the command again for the rest\n", skipped, len(outs), a.noun())
	}
	n += skipped
	switch {
	case ctx.Err() != nil && skipped > 0:
		// Interrupted, and the line above said so: exit 130 with no more.
		return &cmdutil.InterruptedError{Err: ctx.Err()}
	case ctx.Err() != nil:
		// Interrupted: every run is reported above; the exit code says so.
		return ctx.Err()
	case n > 0 || listFailed:
		errs := make([]error, len(outs))
		for i, o := range outs {
			errs[i] = o.Err
		}
		return cmdutil.Reported(errs...)
	}
	return nil
}

// dryRun reports what the action would do and changes nothing. Runs named
// by ID are fetched, so that the plan says what the real command would meet:
// a run that does not exist fails, and one the action does not apply to
// is skipped with the reason.
func dryRun(ctx context.Context, req Request, a Action, targets []Target) error {
	outs := make([]Outcome, len(targets))
	failed := false
	for i, t := range targets {
		outs[i] = Outcome{Target: t, Result: a.would()}
		if len(req.IDs) == 0 {
			continue
		}
		if a.Lookup != nil {
			found, err := a.Lookup(ctx, t.ID)
			if err != nil {
				outs[i] = Outcome{Target: t, Result: "failed", Err: err}
				failed = true
				continue
			}
			outs[i].Target = found
			continue
		}
		r, err := req.Client.GetRun(ctx, req.Repo.API(), t.ID, 0)
		if err != nil {
			outs[i] = Outcome{Target: t, Result: "failed", Err: cmdutil.RunError("", req.Repo.API(), t.ID, err)}
			failed = true
			continue
		}
		outs[i].Target = FromRuns([]api.Run{*r})[0]
		if a.Eligible != nil && !a.Eligible(*r) {
			outs[i].Result, outs[i].Note = "would skip", a.Ineligible
		}
	}
	if err := report(req, a, outs); err != nil {
		return err
	}
	if req.IO.IsStderrTTY() && (len(req.IDs) == 0 || len(outs) > 1) {
		fmt.Fprintf(req.IO.ErrOut, "%s: %s in %s\n", a.would(), output.Plural(len(outs), a.noun()), req.in(targets))
	}
	if failed {
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

func report(req Request, a Action, outs []Outcome) error {
	ios := req.IO
	if req.Exporter.Enabled() {
		rows := make([]map[string]any, len(outs))
		for i, o := range outs {
			errText := any(nil)
			if o.Err != nil {
				errText = o.Err.Error()
			}
			if o.Note != "" {
				errText = o.Note
			}
			repo := req.Repo.String()
			if o.Repo.Name != "" {
				repo = o.Repo.String()
			}
			row := map[string]any{"result": o.Result, "error": errText, "repository": repo}
			if a.Data != nil {
				maps.Copy(row, a.Data(o.Target))
			} else {
				row["databaseId"], row["displayTitle"], row["workflowName"] = o.ID, o.Title, o.Workflow
			}
			rows[i] = output.Pick(row, req.Exporter.Fields())
		}
		return req.Exporter.Write(ios, rows)
	}
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	for _, o := range outs {
		if o.Repo.Name != "" && !ios.IsStdoutTTY() {
			// In a pipe the repository is a column of its own, first.
			fmt.Fprintf(ios.Out, "%s\t", o.Repo)
		}
		// Runs left alone after Ctrl-C: one line each in a pipe, so that a
		// script knows which; on a terminal, one summary line on stderr.
		notAttempted := errors.Is(o.Err, ErrNotAttempted)
		switch {
		case notAttempted && !ios.IsStdoutTTY():
			fmt.Fprintf(ios.Out, "%d\t%s\n", o.ID, o.Result)
		case notAttempted:
		case !ios.IsStdoutTTY() && o.Err != nil:
			fmt.Fprintf(ios.Out, "%d\t%s\t%s\n", o.ID, o.Result, oneLine(o.Err.Error()))
		case !ios.IsStdoutTTY() && o.Note != "":
			fmt.Fprintf(ios.Out, "%d\t%s\t%s\n", o.ID, o.Result, o.Note)
		case !ios.IsStdoutTTY():
			fmt.Fprintf(ios.Out, "%d\t%s\n", o.ID, o.Result)
		case o.Err != nil && o.Repo.Name != "" && !strings.Contains(o.Err.Error(), o.Repo.String()):
			// Across repositories the line names the run's, as a
			// success's does.
			fmt.Fprintf(ios.Out, "%s %s: %s\n", cs.Red("X"), o.Repo, oneLine(o.Err.Error()))
		case o.Err != nil:
			fmt.Fprintf(ios.Out, "%s %s\n", cs.Red("X"), oneLine(o.Err.Error()))
		case o.Note != "":
			fmt.Fprintf(ios.Out, "%s %s: %s: %s\n", cs.Gray("-"), o.Describe(), o.Result, o.Note)
		case strings.HasPrefix(o.Result, "would ") || o.Skipped:
			fmt.Fprintf(ios.Out, "%s %s: %s\n", cs.Gray("-"), o.Describe(), o.Result)
		default:
			fmt.Fprintf(ios.Out, "%s %s: %s\n", cs.Green("✓"), o.Describe(), o.Result)
		}
	}
	return nil
}

// oneLine is the first line of an error's text, safe to print.
func oneLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return output.OneLine(first)
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

// rateLeft is the rate so far and the time left at that rate, once a few
// runs have gone: ", 160/min, about 5m12s left".
func rateLeft(done, total int, elapsed time.Duration) string {
	if done < 3 || done == total || elapsed < time.Second {
		return ""
	}
	perMin := float64(done) / elapsed.Minutes()
	left := time.Duration(float64(total-done) / perMin * float64(time.Minute))
	return fmt.Sprintf(", %.0f/min, about %s left", perMin, left.Round(time.Second))
}
