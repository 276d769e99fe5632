// Package list implements `ghruns list`: recent workflow runs, filtered.
package list

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
	"github.com/ghruns/gh-runs/internal/runquery"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// Fields are list's --json fields: a run's, its repository's OWNER/NAME,
// and the environments a waiting run waits on.
var Fields = append(slices.Clone(output.RunFields), "repository", "pendingDeployments")

// Options are list's dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Repos, when more than one, are listed across instead of Repo.
	Repos    []cmdutil.Repository
	Select   reposet.Selection
	Now      time.Time
	Filter   runquery.Filter
	Exporter *output.Exporter
}

// NewCmd builds the list command; runF replaces the work in tests.
func NewCmd(env *cmdutil.Env, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: env.IO}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List recent workflow runs",
		Long: `List recent workflow runs, newest first.

A run that waits on a person says why, under it on a terminal: a fork pull
request's run held for a maintainer's approval, or a deployment waiting on
environments' reviewers, which costs one request per such run (--json
pendingDeployments gives those environments).

GitHub serves at most 1,000 runs for a filtered listing (any filter but
--workflow). When more are asked for (-L above 1000, or -L 0), the rest are
listed in windows of creation time, each under that cap; only when more than
1,000 runs were created within one second are some left out, and a warning
on stderr says so. GH_DEBUG=1 shows what each window costs.`,
		Example: fmt.Sprintf(`  %[1]s -R cli/cli
  %[1]s -w CI -b main -s failure -L 50
  %[1]s --created '>=2026-01-01' --json databaseId,conclusion -L 0
  %[1]s --older-than 30d -s failure
  %[1]s --owner my-org -s failure -L 50
  %[1]s -R octo/api -R octo/web -b main`, env.Command("list")),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.ValidateFilter(opts.Filter); err != nil {
				return err
			}
			if err := cmdutil.RefuseEmptyFilters(cmd); err != nil {
				return err
			}
			if err := opts.Exporter.Validate(); err != nil {
				return cmdutil.FlagErrorf("%s", err)
			}
			if opts.Select.Multi(env) {
				return listAcross(cmd.Context(), env, opts, runF)
			}
			repo, err := env.Repo()
			if err != nil {
				return err
			}
			opts.Repo = repo
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Client, err = env.Client(repo, false); err != nil {
				return err
			}
			opts.Now = env.Clock()
			opts.Filter.Now = opts.Now // --older-than and --newer-than count from it
			return run(cmd.Context(), opts)
		},
	}
	cmdutil.AddFilterFlags(cmd, &opts.Filter, 20)
	reposet.AddFlags(cmd, &opts.Select)
	opts.Exporter = output.AddJSONFlags(cmd, Fields)
	return cmd
}

// listAcross selects the repositories (checked before any request) and,
// when more than one remains, lists across them.
func listAcross(ctx context.Context, env *cmdutil.Env, opts *Options, runF func(context.Context, *Options) error) error {
	plan, err := opts.Select.Prepare(env)
	if err != nil {
		return err
	}
	opts.Repos = plan.Named
	if runF != nil {
		return runF(ctx, opts)
	}
	if opts.Client, opts.Repos, err = plan.Open(ctx, env); err != nil {
		return err
	}
	opts.Repo = opts.Repos[0]
	opts.Now = env.Clock()
	opts.Filter.Now = opts.Now
	return run(ctx, opts)
}

func run(ctx context.Context, opts *Options) error {
	var runs []sweep.Run
	var failed error
	if len(opts.Repos) > 1 {
		res, err := sweep.CheckedList(ctx, opts.IO, opts.Client, opts.Repos, opts.Filter, opts.Select.Yes)
		if res == nil {
			return err
		}
		runs, failed = res.Runs, err
	} else {
		list, err := cmdutil.ListRuns(ctx, opts.IO, opts.Client, opts.Repo, opts.Filter)
		if err != nil {
			return err
		}
		for _, r := range list.Runs {
			runs = append(runs, sweep.Run{Repo: opts.Repo, Run: r})
		}
	}
	if err := show(ctx, opts, runs); err != nil {
		return err
	}
	if failed != nil {
		return cmdutil.ErrSilent
	}
	return nil
}

func show(ctx context.Context, opts *Options, runs []sweep.Run) error {
	// What a waiting run waits on costs a request per run: asked only
	// when the table or the --json fields show it.
	var pending waits
	if opts.Exporter.Enabled() && opts.Exporter.Has("pendingDeployments") || !opts.Exporter.Enabled() && opts.IO.IsStdoutTTY() {
		pending = pendingDeployments(ctx, opts.IO, opts.Client, runs)
	}
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(runs))
		for i, r := range runs {
			data := output.RunData(r.Run)
			data["repository"] = r.Repo.String()
			// [] for a run that waits on no environment, null when GitHub
			// could not say (a warning said why).
			data["pendingDeployments"] = []any{}
			if r.AwaitsReview() {
				data["pendingDeployments"] = nil
				if pds, ok := pending.of(r); ok {
					data["pendingDeployments"] = output.PendingDeploymentData(pds)
				}
			}
			rows[i] = output.Pick(data, opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	if len(runs) == 0 {
		if opts.IO.IsStdoutTTY() {
			fmt.Fprintln(opts.IO.ErrOut, "no runs found")
		}
		return nil
	}
	return render(opts.IO, runs, pending, len(opts.Repos) > 1, opts.Now)
}

// render prints the runs as a table on a terminal, or as tab-separated rows
// (status and conclusion apart, full RFC 3339 times) for scripts; across
// repositories, the repository comes first. On a terminal, a run that
// waits on a person has a line under it that says why, under its title.
func render(ios *iostreams.IOStreams, runs []sweep.Run, pending waits, across bool, now time.Time) error {
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	tty := ios.IsStdoutTTY()
	header := []string{"STATUS", "TITLE", "WORKFLOW", "BRANCH", "EVENT", "ID", "ELAPSED", "AGE"}
	if across {
		header = append([]string{"REPO"}, header...)
	}
	t := output.NewTable(ios, header...)
	// Titles give way first; IDs, states and times are never cut.
	titleCol := 1
	if across {
		titleCol = 2
	}
	t.Flex(titleCol, titleCol+1, titleCol+2, titleCol+3)
	for _, sr := range runs {
		r := sr.Run
		var lead []string
		if across {
			lead = []string{sr.Repo.String()}
		}
		// No request per run here: a completed run's time comes from its
		// updated_at, and is left out when GitHub has moved that too far.
		elapsed := ""
		if d, ok := api.RunElapsed(r, nil, now); ok {
			elapsed = output.Duration(d)
		} else if tty {
			elapsed = "-"
		}
		id := fmt.Sprint(r.ID)
		title, workflow, branch, event := output.OneLine(r.DisplayTitle), output.OneLine(r.Name), output.OneLine(r.HeadBranch), output.OneLine(r.Event)
		if tty {
			t.AddRow(append(lead, cs.Symbol(r.Status, r.Conclusion), cs.Bold(title), workflow, cs.Bold(branch),
				event, cs.Cyan(id), elapsed, cs.Gray(output.AgoShort(now, r.CreatedAt)))...)
			pds, listed := pending.of(sr)
			if why := output.WaitReason(r, pds, listed); why != "" {
				t.AddNote(titleCol, cs.Yellow(why))
			}
			continue
		}
		t.AddRow(append(lead, output.OneLine(string(r.Status)), output.OneLine(string(r.Conclusion)), title, workflow, branch, event, id, elapsed,
			r.CreatedAt.UTC().Format(time.RFC3339))...)
	}
	return t.Render()
}
