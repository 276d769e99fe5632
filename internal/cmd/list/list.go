// Package list implements `ghruns list`: recent workflow runs, filtered.
package list

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// Options are list's dependencies and flag values.
type Options struct {
	IO       *iostreams.IOStreams
	Client   *api.Client
	Repo     cmdutil.Repository
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

GitHub serves at most 1,000 runs for a filtered listing (any filter but
--workflow). When more are asked for (-L above 1000, or -L 0), the rest are
listed in windows of creation time, each under that cap; only when more than
1,000 runs were created within one second are some left out, and a warning
on stderr says so. GH_DEBUG=1 shows what each window costs.`,
		Example: fmt.Sprintf(`  %[1]s -R cli/cli
  %[1]s -w CI -b main -s failure -L 50
  %[1]s --created '>=2026-01-01' --json databaseId,conclusion -L 0
  %[1]s --older-than 30d -s failure`, env.Command("list")),
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
	opts.Exporter = output.AddJSONFlags(cmd, output.RunFields)
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	list, err := cmdutil.ListRuns(ctx, opts.IO, opts.Client, opts.Repo, opts.Filter)
	if err != nil {
		return err
	}
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(list.Runs))
		for i, r := range list.Runs {
			rows[i] = output.Pick(output.RunData(r), opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	if len(list.Runs) == 0 {
		if opts.IO.IsStdoutTTY() {
			fmt.Fprintln(opts.IO.ErrOut, "no runs found")
		}
		return nil
	}
	return render(opts.IO, list.Runs, opts.Now)
}

// render prints the runs as a table on a terminal, or as tab-separated rows
// (status and conclusion apart, full RFC 3339 times) for scripts.
func render(ios *iostreams.IOStreams, runs []api.Run, now time.Time) error {
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	tty := ios.IsStdoutTTY()
	t := output.NewTable(ios, "STATUS", "TITLE", "WORKFLOW", "BRANCH", "EVENT", "ID", "ELAPSED", "AGE")
	// Titles give way first; IDs, states and times are never cut.
	t.Flex(1, 2, 3, 4)
	for _, r := range runs {
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
			t.AddRow(cs.Symbol(r.Status, r.Conclusion), cs.Bold(title), workflow, cs.Bold(branch),
				event, cs.Cyan(id), elapsed, cs.Gray(output.AgoShort(now, r.CreatedAt)))
			continue
		}
		t.AddRow(output.OneLine(string(r.Status)), output.OneLine(string(r.Conclusion)), title, workflow, branch, event, id, elapsed,
			r.CreatedAt.UTC().Format(time.RFC3339))
	}
	return t.Render()
}
