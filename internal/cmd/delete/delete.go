// Package delete implements `ghruns delete`: delete runs by ID, or by
// filter and retention policy (--keep, --older-than, --workflow-state).
package delete

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/runquery"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// Options are delete's dependencies and flag values.
type Options struct {
	bulk.Request
	// Keep is --keep: the newest runs of each workflow to keep.
	Keep int
	// States is --workflow-state, parsed; nil selects runs of any workflow.
	States []string
	// All is --all: a filtered delete with no filter deletes every run.
	All bool
}

// selectors are the flags that narrow a filtered delete.
var selectors = []string{"workflow", "branch", "user", "event", "status", "commit", "created", "older-than", "newer-than", "keep", "workflow-state"}

// NewCmd builds the delete command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{}
	var state string
	cmd := &cobra.Command{
		Use:   "delete [<run-id>...]",
		Short: "Delete workflow runs",
		Long: `Delete runs named by ID, or every completed run that matches filters,
with their logs and artifacts. This cannot be undone.

--keep N keeps the newest N runs of each workflow among those selected;
with --older-than, a run goes only when it is both that old and outside the
newest N. Across repositories (--owner, --repos, several -R) every
repository keeps its own newest N of each workflow. --workflow-state deleted selects the runs of workflows whose file
is gone. A filtered delete needs at least one filter, or --all.

Runs still active are skipped: GitHub refuses to delete them. Writes are
paced to stay under GitHub's secondary rate limit; an interrupted job
continues when run again, since deleted runs are gone from the listing.`,
		Example: fmt.Sprintf(`  %[1]s 123456 123457
  %[1]s --workflow CI --keep 10 --older-than 30d --dry-run
  %[1]s --workflow CI --keep 10 --older-than 30d --yes
  %[1]s --workflow-state deleted --yes
  %[1]s --owner my-org --keep 20 --older-than 90d --dry-run`, env.Command("delete")),
		ValidArgsFunction: env.CompleteRunIDs(api.Run.Completed),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Keep < 0 {
				return cmdutil.FlagErrorf("invalid --keep %d: must be 0 or more", opts.Keep)
			}
			if cmd.Flags().Changed("workflow-state") {
				var err error
				if opts.States, err = runquery.ParseWorkflowStates(state); err != nil {
					return &cmdutil.FlagError{Err: err}
				}
			}
			if err := refuseEverything(env, cmd, args, opts); err != nil {
				return err
			}
			if err := bulk.Prepare(env, cmd, args, &opts.Request, api.Run.Completed, "Select a run to delete"); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	bulk.AddFlags(cmd, &opts.Request)
	cmd.Flags().IntVar(&opts.Keep, "keep", 0, "Keep the newest `n` runs of each workflow among those selected")
	cmd.Flags().StringVar(&state, "workflow-state", "", "Select runs of workflows in `state`: {active|deleted|disabled|disabled_manually|disabled_inactivity|disabled_fork}")
	cmd.Flags().BoolVar(&opts.All, "all", false, "Allow a filtered delete with no filter: every run of the repository")
	_ = cmd.RegisterFlagCompletionFunc("workflow-state", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return append(slices.Clone(runquery.WorkflowStates), "disabled"), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// refuseEverything stops, before any request, a filtered delete that
// names no filter: it would delete every run of the repository. --all
// says that is meant. With nothing at all on a terminal, Prepare offers a
// run to pick instead.
func refuseEverything(env *cmdutil.Env, cmd *cobra.Command, args []string, opts *Options) error {
	if len(args) > 0 || opts.All {
		return nil
	}
	for _, name := range selectors {
		if cmd.Flags().Changed(name) {
			return nil
		}
	}
	if opts.Select.Multi(env) {
		return cmdutil.FlagErrorf("refusing to delete every run of every selected repository: select runs with filters such as --older-than, --workflow or --keep, or say --all")
	}
	if env.IO.CanPrompt() && !opts.Yes && !opts.DryRun && !cmd.Flags().Changed("limit") {
		return nil
	}
	return cmdutil.FlagErrorf("refusing to delete every run of the repository: select runs with filters such as --older-than, --workflow or --keep, or say --all")
}

func run(ctx context.Context, opts *Options) error {
	sel := &selection{opts: opts, workflows: map[api.Repo][]api.Workflow{}, stay: map[stayKey]int{}}
	if len(opts.IDs) == 0 {
		if err := sel.prepare(ctx); err != nil {
			return err
		}
	}
	a := bulk.Action{
		Verb:       "delete",
		Done:       "deleted",
		Eligible:   api.Run.Completed,
		Ineligible: "still active (GitHub deletes only completed runs; cancel them first)",
		Choose:     sel.choose,
		Plan:       sel.plan,
		Act: func(ctx context.Context, t bulk.Target) error {
			repo, id := opts.RepoOf(t), t.ID
			err := opts.Client.DeleteRun(ctx, repo, id)
			if api.IsNotFound(err) {
				// Deleted meanwhile, by someone else or by a repeat.
				return &bulk.AlreadyDone{Result: "already deleted"}
			}
			if err != nil {
				return cmdutil.RunError("delete", repo, id, err)
			}
			return nil
		},
	}
	if sel.across() && opts.States != nil {
		// Each repository's workflows are listed to know their states.
		a.ChooseCost = 1
	}
	return bulk.Run(ctx, opts.Request, a)
}

// selection applies delete's retention policy to the listed runs, in each
// repository on its own, and remembers what it kept for the plan.
type selection struct {
	opts *Options
	// cut is --older-than's instant when --keep is set: the listing then
	// takes runs of every age, for the newest to be counted.
	cut time.Time
	// mu guards workflows and stay: across repositories, choose runs for
	// several at once.
	mu sync.Mutex
	// workflows are each repository's, listed for --workflow-state.
	workflows map[api.Repo][]api.Workflow
	// stay counts the runs kept of each workflow of each repository.
	stay map[stayKey]int
}

// stayKey names a workflow of a repository: workflow IDs are the
// repository's own.
type stayKey struct {
	repo     api.Repo
	workflow int64
}

func (s *selection) across() bool { return len(s.opts.Repos) > 1 }

// prepare adjusts the listing's filter before bulk.Run lists: --keep needs
// the newest runs too, and in one repository -w with the file name of a
// deleted workflow is sent as its ID, which GitHub still knows. Across
// repositories each repository's workflows are listed by choose, when
// --workflow-state needs them, and -w is sent as given.
func (s *selection) prepare(ctx context.Context) error {
	f := &s.opts.Filter
	if s.opts.Keep > 0 && f.OlderThan > 0 {
		s.cut = f.Now.Add(-f.OlderThan)
		each := "each workflow"
		if s.across() {
			each = "each workflow of each repository"
		}
		fmt.Fprintf(s.opts.IO.ErrOut, "selecting runs created before %s, outside the newest %d of %s\n",
			s.cut.UTC().Format(time.RFC3339), s.opts.Keep, each)
		f.OlderThan = 0
	}
	file := strings.HasSuffix(f.Workflow, ".yml") || strings.HasSuffix(f.Workflow, ".yaml")
	if s.across() || !file && s.opts.States == nil {
		return nil
	}
	repo := s.opts.Repo.API()
	ws, err := s.listWorkflows(ctx, repo)
	if err != nil {
		return err
	}
	if file {
		name := path.Base(f.Workflow)
		for _, w := range ws {
			if path.Base(w.Path) == name {
				f.Workflow = fmt.Sprint(w.ID)
				break
			}
		}
	}
	return nil
}

// listWorkflows lists repo's workflows, once.
func (s *selection) listWorkflows(ctx context.Context, repo api.Repo) ([]api.Workflow, error) {
	s.mu.Lock()
	ws, ok := s.workflows[repo]
	s.mu.Unlock()
	if ok {
		return ws, nil
	}
	ws, err := s.opts.Client.ListWorkflows(ctx, repo)
	if err != nil {
		return nil, fmt.Errorf("listing workflows of %s: %w", repo, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.workflows[repo] = ws
	return ws, nil
}

// choose applies --workflow-state and --keep to the runs listed in repo.
func (s *selection) choose(ctx context.Context, repo api.Repo, runs []api.Run) ([]api.Run, error) {
	if s.opts.States != nil {
		ws, err := s.listWorkflows(ctx, repo)
		if err != nil {
			return nil, err
		}
		runs = slices.DeleteFunc(slices.Clone(runs), func(r api.Run) bool {
			return !slices.Contains(s.opts.States, runquery.WorkflowState(ws, r.WorkflowID))
		})
	}
	var gone []api.Run
	groups := runquery.Retain(runs, s.opts.Keep, s.cut)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range groups {
		s.stay[stayKey{repo, g.WorkflowID}] = g.Stay
		gone = append(gone, g.Go...)
	}
	return gone, nil
}

// plan tells, per workflow (of each repository, across several), how many
// runs go and stay, and the creation dates of the oldest and newest to go.
func (s *selection) plan(w io.Writer, runs []sweep.Run) {
	order, byRepo := sweep.ByRepo(runs)
	if s.across() {
		fmt.Fprintf(w, "%-30s ", "REPOSITORY")
	}
	fmt.Fprintf(w, "%-40s %8s %8s  %-10s  %-10s\n", "WORKFLOW", "DELETE", "KEEP", "OLDEST", "NEWEST")
	for _, repo := range order {
		for _, g := range runquery.Retain(byRepo[repo], 0, time.Time{}) {
			name := output.OneLine(g.Name)
			if file := path.Base(g.Path); file != "." && file != "" {
				name += " (" + output.OneLine(file) + ")"
			}
			if s.across() {
				fmt.Fprintf(w, "%-30s ", repo)
			}
			oldest, newest := g.Go[len(g.Go)-1].CreatedAt, g.Go[0].CreatedAt
			fmt.Fprintf(w, "%-40s %8d %8d  %s  %s\n", name, len(g.Go), s.stay[stayKey{repo.API(), g.WorkflowID}],
				oldest.UTC().Format(time.DateOnly), newest.UTC().Format(time.DateOnly))
		}
	}
}
