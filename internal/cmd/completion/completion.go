// Package completion implements `ghruns completion SHELL`.
package completion

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// NewCmd builds the completion command.
func NewCmd(env *cmdutil.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "completion {bash|zsh|fish|powershell}",
		Short: "Generate a shell completion script",
		Long: fmt.Sprintf(`Generate the completion script for a shell.

  bash:        source <(%[1]s completion bash)
  zsh:         %[1]s completion zsh > "${fpath[1]}/_ghruns"
  fish:        %[1]s completion fish > ~/.config/fish/completions/ghruns.fish
  powershell:  %[1]s completion powershell | Out-String | Invoke-Expression`, env.Bin),
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      cmdutil.ExactArgs(1, "the shell: bash, zsh, fish or powershell"),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			out := env.IO.Out
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return cmdutil.FlagErrorf("unsupported shell %q: want bash, zsh, fish or powershell", args[0])
		},
	}
}
