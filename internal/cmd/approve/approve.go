// Package approve implements `ghruns approve`: approve the runs that wait
// on a person, by ID or by filter: fork pull requests' runs held in
// action_required, and deployments waiting on an environment's reviewers.
package approve

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// Options are approve's dependencies and flag values.
type Options struct {
	bulk.Request
	// Reject is --reject: reject the pending deployments instead.
	Reject bool
	// Comment is --comment, the review's comment, which GitHub requires.
	Comment string
	// Envs are --env: the environments to review; empty reviews all the
	// run waits on.
	Envs []string
}

// NewCmd builds the approve command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "approve [<run-id>...]",
		Short: "Approve runs from forks and pending deployments",
		Long: `Approve the runs that wait on a person, named by ID or selected by filters.

A run of a pull request from a fork (by a first-time or outside
contributor, as the repository's settings say) waits in action_required
until a maintainer approves it. A run whose job deploys to a protected
environment waits until a reviewer approves or rejects the deployment:
--reject rejects it, which fails the run; --env picks the environments,
and --comment says why (GitHub keeps the comment with the review).
Runs that wait on neither are skipped.

Across repositories (--owner, --repos, several -R) the runs are selected
by filters, and each is reviewed in its own repository.

--dry-run lists what each run waits on and changes nothing. Writes are
paced to stay under GitHub's secondary rate limit; an interrupted job
continues when run again, since approved runs wait no longer.`,
		Example: fmt.Sprintf(`  %[1]s 123456 123457
  %[1]s -s action_required -e pull_request --dry-run
  %[1]s -s action_required -e pull_request --yes
  %[1]s -s waiting -w Deploy --env production --comment "release 1.5" --yes
  %[1]s 123458 --reject --comment "not during the freeze"
  %[1]s --owner my-org -s action_required -e pull_request --dry-run`, env.Command("approve")),
		ValidArgsFunction: env.CompleteRunIDs(waits),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, e := range opts.Envs {
				if strings.TrimSpace(e) == "" {
					return cmdutil.FlagErrorf("invalid --env %q: name an environment", e)
				}
			}
			if cmd.Flags().Changed("comment") && strings.TrimSpace(opts.Comment) == "" {
				return cmdutil.FlagErrorf("invalid --comment: GitHub needs a comment with a review; leave the flag out for the default")
			}
			if !cmd.Flags().Changed("comment") {
				opts.Comment = defaultComment(opts.Reject)
			}
			if err := bulk.Prepare(env, cmd, args, &opts.Request, waits, "Select a run to approve"); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	bulk.AddFlags(cmd, &opts.Request)
	cmd.Flags().BoolVar(&opts.Reject, "reject", false, "Reject the pending deployments instead of approving them")
	cmd.Flags().StringVar(&opts.Comment, "comment", "", "Comment on the deployment review (default \"Approved with ghruns\" or \"Rejected with ghruns\")")
	cmd.Flags().StringArrayVar(&opts.Envs, "env", nil, "Review only the deployments to environment `name` (repeatable)")
	return cmd
}

// defaultComment is the review's comment when --comment is not given:
// GitHub refuses a review without one.
func defaultComment(reject bool) string {
	if reject {
		return "Rejected with ghruns"
	}
	return "Approved with ghruns"
}

// waits reports whether a run waits on a person: the runs approve acts on.
func waits(r api.Run) bool { return r.AwaitsApproval() || r.AwaitsReview() }

func run(ctx context.Context, opts *Options) error {
	j := &job{opts: opts, listed: map[int64]api.Run{},
		envs: map[int64][]api.PendingDeployment{}, asked: map[int64]bool{}}
	a := bulk.Action{
		Verb:       "approve",
		Done:       "approved",
		Eligible:   func(r api.Run) bool { return waits(r) && j.reviewable(r) },
		Ineligible: "not waiting on an approval",
		Act:        j.act,
		Choose:     j.choose,
		Plan:       j.plan,
	}
	if opts.Reject {
		// GitHub has no rejection for a fork run: it is cancelled instead.
		a.Verb, a.Done = "reject", "rejected"
		a.Eligible = func(r api.Run) bool { return r.AwaitsReview() && j.reviewable(r) }
		a.Ineligible = "not waiting on an environment (cancel fork runs instead)"
	}
	if len(opts.Envs) > 0 {
		a.Ineligible += ", or not on --env " + strings.Join(opts.Envs, ", ")
	}
	if opts.DryRun && len(opts.IDs) > 0 {
		// bulk's dry run fetches runs named by ID to tell those that wait
		// from those that do not; what they wait on is said here.
		repo := opts.Repo.API()
		runs, _ := j.choose(ctx, repo, j.fetch(ctx, opts.IDs))
		if runs = slices.DeleteFunc(runs, func(r api.Run) bool { return !a.Eligible(r) }); len(runs) > 0 {
			inRepo := make([]sweep.Run, len(runs))
			for i, r := range runs {
				inRepo[i] = sweep.Run{Repo: opts.Repo, Run: r}
			}
			j.plan(opts.IO.ErrOut, inRepo)
		}
	}
	return bulk.Run(ctx, opts.Request, a)
}

// job remembers, for the runs it met, what each waits on. Runs are known
// by ID alone: a run's ID is unique across GitHub, not only in its
// repository.
type job struct {
	opts *Options
	// mu guards the maps while choose runs for several repositories at
	// once; acting only reads them, once every choice is made.
	mu sync.Mutex
	// listed are the runs selected by filter, as listed.
	listed map[int64]api.Run
	// envs are the deployments each waiting run waits on, among --env.
	envs map[int64][]api.PendingDeployment
	// asked are the runs whose pending deployments GitHub listed.
	asked map[int64]bool
}

// reviewable is false for a waiting run found to wait on no environment
// among --env.
func (j *job) reviewable(r api.Run) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return !j.asked[r.ID] || len(j.envs[r.ID]) > 0
}

// fetch gets the runs named by ID that exist; bulk's dry run reports the
// others as not found.
func (j *job) fetch(ctx context.Context, ids []int64) []api.Run {
	var runs []api.Run
	for _, id := range ids {
		if r, err := j.opts.Client.GetRun(ctx, j.opts.Repo.API(), id, 0); err == nil {
			runs = append(runs, *r)
		}
	}
	return runs
}

// choose keeps the runs of repo that wait on something approve can act
// on: it asks GitHub what each waiting run waits on, and leaves out, with a
// note, those that wait on no environment named by --env. It never fails.
func (j *job) choose(ctx context.Context, repo api.Repo, runs []api.Run) ([]api.Run, error) {
	var kept []api.Run
	for _, r := range runs {
		if len(j.opts.IDs) == 0 {
			j.mu.Lock()
			j.listed[r.ID] = r
			j.mu.Unlock()
		}
		if !r.AwaitsReview() {
			kept = append(kept, r)
			continue
		}
		pds, all, err := j.pending(ctx, repo, r.ID)
		if err != nil {
			// One run's failure does not stop the rest: the run stays, and
			// acting on it asks again, and reports the failure as its own.
			fmt.Fprintf(j.opts.IO.ErrOut, "warning: %s\n", output.OneLine(cmdutil.RunError("list pending deployments of", repo, r.ID, err).Error()))
			kept = append(kept, r)
			continue
		}
		j.mu.Lock()
		j.asked[r.ID] = true
		if len(pds) > 0 {
			j.envs[r.ID] = pds
		}
		j.mu.Unlock()
		if len(pds) == 0 {
			fmt.Fprintf(j.opts.IO.ErrOut, "skipping %s: %s\n", j.describe(repo, r), notWaiting(all, j.opts.Envs))
			continue
		}
		kept = append(kept, r)
	}
	return kept, nil
}

// pending lists the deployments run id waits on among --env, and every
// environment it waits on.
func (j *job) pending(ctx context.Context, repo api.Repo, id int64) (picked []api.PendingDeployment, all []string, err error) {
	pds, err := j.opts.Client.PendingDeployments(ctx, repo, id)
	if err != nil {
		return nil, nil, err
	}
	for _, pd := range pds {
		all = append(all, pd.Environment.Name)
		if len(j.opts.Envs) == 0 || slices.ContainsFunc(j.opts.Envs, func(e string) bool { return strings.EqualFold(e, pd.Environment.Name) }) {
			picked = append(picked, pd)
		}
	}
	return picked, all, nil
}

// notWaiting says why a waiting run has nothing to review.
func notWaiting(all, envs []string) string {
	if len(all) == 0 {
		return "waiting on no environment's review"
	}
	return fmt.Sprintf("waiting on %s, not on --env %s", names(all), strings.Join(envs, ", "))
}

// plan says what each run waits on, before the confirmation or a dry
// run's report.
func (j *job) plan(w io.Writer, runs []sweep.Run) {
	for _, rr := range runs {
		r := rr.Run
		why := "approval of a run from a fork"
		if pds, ok := j.envs[r.ID]; r.AwaitsReview() {
			envs := make([]string, len(pds))
			for i, pd := range pds {
				envs[i] = pd.Environment.Name
			}
			why = "review of deployments to " + names(envs)
			if !ok {
				why = "review of deployments to environments GitHub did not list"
			}
		}
		fmt.Fprintf(w, "%s waits on %s\n", j.describe(rr.Repo.API(), r), why)
	}
}

// act approves a fork run, or reviews a waiting run's deployments. A run
// named by ID is fetched first, to know which it is.
func (j *job) act(ctx context.Context, t bulk.Target) error {
	verb := "approve"
	if j.opts.Reject {
		verb = "reject"
	}
	repo := j.opts.RepoOf(t)
	r, ok := j.listed[t.ID]
	if !ok {
		got, err := j.opts.Client.GetRun(ctx, repo, t.ID, 0)
		if err != nil {
			return cmdutil.RunError(verb, repo, t.ID, err)
		}
		r = *got
	}
	switch {
	case r.AwaitsApproval() && j.opts.Reject:
		return &bulk.Skip{Reason: "a run from a fork is approved or cancelled, not rejected"}
	case r.AwaitsApproval():
		if err := j.opts.Client.Approve(ctx, repo, t.ID); err != nil {
			return cmdutil.RunError(verb, repo, t.ID, err)
		}
		return nil
	case !r.AwaitsReview():
		return &bulk.Skip{Reason: fmt.Sprintf("not waiting on an approval (%s)", state(r))}
	}
	pds, ok := j.envs[t.ID]
	if !ok {
		var all []string
		var err error
		if pds, all, err = j.pending(ctx, repo, t.ID); err != nil {
			return cmdutil.RunError("list pending deployments of", repo, t.ID, err)
		}
		if len(pds) == 0 {
			return &bulk.Skip{Reason: notWaiting(all, j.opts.Envs)}
		}
	}
	rv := api.Review{State: api.ReviewApproved, Comment: j.opts.Comment}
	if j.opts.Reject {
		rv.State = api.ReviewRejected
	}
	for _, pd := range pds {
		rv.EnvironmentIDs = append(rv.EnvironmentIDs, pd.Environment.ID)
	}
	if err := j.opts.Client.ReviewDeployments(ctx, repo, t.ID, rv); err != nil {
		return cmdutil.RunError(verb, repo, t.ID, err)
	}
	return nil
}

// describe names a run of repo as bulk's report does: with its
// repository across several.
func (j *job) describe(repo api.Repo, r api.Run) string {
	t := bulk.FromRuns([]api.Run{r})[0]
	if len(j.opts.Repos) > 1 {
		t.Repo = repo
	}
	return t.Describe()
}

// names lists environment names for a person: "staging, production".
func names(envs []string) string {
	safe := make([]string, len(envs))
	for i, e := range envs {
		safe[i] = output.OneLine(e)
	}
	return strings.Join(safe, ", ")
}

// state is a run's status, and its conclusion once completed.
func state(r api.Run) string {
	if r.Completed() {
		return string(r.Status) + "/" + string(r.Conclusion)
	}
	return string(r.Status)
}
