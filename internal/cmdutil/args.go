package cmdutil

import (
	"github.com/spf13/cobra"
)

// NoArgs refuses positional arguments as a usage error.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("unexpected argument %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// ExactArgs wants n positional arguments, named by what, as a usage error otherwise.
func ExactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < n:
			return FlagErrorf("%s: missing %s", cmd.CommandPath(), what)
		case len(args) > n:
			return FlagErrorf("%s: unexpected argument %q", cmd.CommandPath(), args[n])
		}
		return nil
	}
}

// RunIDArg takes one run ID, or none on a terminal, where the command then
// offers a choice of recent runs.
func RunIDArg(canPrompt func() bool) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) > 1:
			return FlagErrorf("%s: unexpected argument %q", cmd.CommandPath(), args[1])
		case len(args) == 0 && !canPrompt():
			return FlagErrorf("%s: missing the run ID", cmd.CommandPath())
		}
		return nil
	}
}
