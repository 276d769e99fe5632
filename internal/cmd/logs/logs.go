// Package logs implements `ghruns logs download`, `logs view` and `logs delete`.
package logs

import (
	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// NewCmd builds the logs command group.
func NewCmd(env *cmdutil.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logs <command>",
		Short: "Download, view or delete the logs of workflow runs",
		// A group that runs: without it cobra prints help and exits 0 for
		// a subcommand it does not know.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(NewDownloadCmd(env, nil), NewViewCmd(env, nil), NewDeleteCmd(env, nil))
	return cmd
}
