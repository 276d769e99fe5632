// Package root assembles the ghruns command tree.
package root

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmd/approve"
	"github.com/ghruns/gh-runs/internal/cmd/artifacts"
	"github.com/ghruns/gh-runs/internal/cmd/cancel"
	"github.com/ghruns/gh-runs/internal/cmd/completion"
	"github.com/ghruns/gh-runs/internal/cmd/delete"
	"github.com/ghruns/gh-runs/internal/cmd/dispatch"
	"github.com/ghruns/gh-runs/internal/cmd/download"
	"github.com/ghruns/gh-runs/internal/cmd/list"
	"github.com/ghruns/gh-runs/internal/cmd/logs"
	"github.com/ghruns/gh-runs/internal/cmd/rerun"
	"github.com/ghruns/gh-runs/internal/cmd/stats"
	"github.com/ghruns/gh-runs/internal/cmd/usage"
	"github.com/ghruns/gh-runs/internal/cmd/version"
	"github.com/ghruns/gh-runs/internal/cmd/view"
	"github.com/ghruns/gh-runs/internal/cmd/watch"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// NewCmd builds the root command with every subcommand.
func NewCmd(env *cmdutil.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ghruns <command>",
		Short: "Manage GitHub Actions workflow runs",
		Long: `Work with GitHub Actions workflow runs from the command line: list, view,
rerun and cancel them, download and delete their logs, and report their
billable usage, one at a time or in bulk by filter.`,
		Example: fmt.Sprintf(`  %[1]s list -R cli/cli
  %[1]s view 123456 --verbose
  %[1]s cancel --status queued --branch main --yes
  %[1]s usage --workflow CI --created '>=2026-11-01'`, env.Bin),
		Version:       env.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Help names the tool as invoked: "gh runs list" as a gh extension.
		Annotations: map[string]string{cobra.CommandDisplayNameAnnotation: env.Bin},
	}
	cmd.SetVersionTemplate(version.Template(env.Bin))
	pf := cmd.PersistentFlags()
	cmdutil.AddRepoFlag(pf)
	pf.Bool("no-color", false, "Disable colour output")
	env.Flags = pf

	cmd.AddCommand(
		list.NewCmd(env, nil),
		view.NewCmd(env, nil),
		watch.NewCmd(env, nil),
		dispatch.NewCmd(env, nil),
		rerun.NewCmd(env, nil),
		cancel.NewCmd(env, nil),
		delete.NewCmd(env, nil),
		approve.NewCmd(env, nil),
		logs.NewCmd(env),
		download.NewCmd(env, nil),
		artifacts.NewCmd(env),
		usage.NewCmd(env, nil),
		stats.NewCmd(env, nil),
		completion.NewCmd(env),
		version.NewCmd(env),
	)
	registerFilterCompletions(cmd, env)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	return cmd
}

// registerFilterCompletions completes -w with the repository's workflows
// and -b with local branches, wherever the filter flags are.
func registerFilterCompletions(cmd *cobra.Command, env *cmdutil.Env) {
	for _, c := range cmd.Commands() {
		registerFilterCompletions(c, env)
	}
	if f := cmd.Flags().Lookup("workflow"); f != nil && f.Value.Type() == "string" {
		_ = cmd.RegisterFlagCompletionFunc("workflow", env.CompleteWorkflows)
	}
	if f := cmd.Flags().Lookup("branch"); f != nil && f.Value.Type() == "string" {
		_ = cmd.RegisterFlagCompletionFunc("branch", cmdutil.CompleteBranches)
	}
}
