// Package logs implements `ghruns logs download` and `ghruns logs delete`.
package logs

import (
	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// NewCmd builds the logs command group.
func NewCmd(env *cmdutil.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logs <command>",
		Short: "Download or delete the logs of workflow runs",
		Args:  cmdutil.NoArgs,
	}
	cmd.AddCommand(NewDownloadCmd(env, nil), NewDeleteCmd(env, nil))
	return cmd
}
