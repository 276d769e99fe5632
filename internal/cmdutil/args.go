package cmdutil

import (
	"slices"
	"strconv"
	"strings"

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

// ParseRunID parses a run ID argument: a positive whole number that fits
// int64, in decimal digits only.
func ParseRunID(s string) (int64, error) {
	return parseID(s, "run")
}

// ParseRunIDs parses every argument as a run ID, dropping repeats.
func ParseRunIDs(args []string) ([]int64, error) {
	return ParseIDs(args, "run")
}

// ParseIDs parses every argument as the ID of a kind of thing ("run",
// "artifact"), as ParseRunID does, dropping repeats.
func ParseIDs(args []string, kind string) ([]int64, error) {
	var ids []int64
	for _, a := range args {
		id, err := parseID(a, kind)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func parseID(s, kind string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if s == "" || strings.Trim(s, "0123456789") != "" || err != nil || id <= 0 {
		return 0, FlagErrorf("invalid %s ID %q: want a positive whole number", kind, s)
	}
	return id, nil
}
