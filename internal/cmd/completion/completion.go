// Package completion implements `ghruns completion SHELL`.
package completion

import (
	"bytes"
	"fmt"
	"io"

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

// Files are the completion scripts kept in the repository's completions/
// folder, by file name, each written by its generator.
var Files = map[string]func(root *cobra.Command, w io.Writer) error{
	"ghruns.bash": func(root *cobra.Command, w io.Writer) error { return root.GenBashCompletionV2(w, true) },
	"ghruns.zsh":  func(root *cobra.Command, w io.Writer) error { return root.GenZshCompletion(w) },
	"ghruns.fish": func(root *cobra.Command, w io.Writer) error { return root.GenFishCompletion(w, true) },
	"ghruns.ps1":  func(root *cobra.Command, w io.Writer) error { return root.GenPowerShellCompletionWithDesc(w) },
}

// Generate renders every completion script of root.
func Generate(root *cobra.Command) (map[string][]byte, error) {
	out := map[string][]byte{}
	for name, gen := range Files {
		var b bytes.Buffer
		if err := gen(root, &b); err != nil {
			return nil, fmt.Errorf("generating %s: %w", name, err)
		}
		out[name] = b.Bytes()
	}
	return out, nil
}
