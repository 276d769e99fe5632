package cmdutil

import "github.com/spf13/cobra"

// SelectRuns reads how a command that acts on many runs was told which:
// run IDs in args, or the filter flags, not both. Neither is a usage error
// unless a person at a terminal can pick a run. It validates the filter,
// and sets its clock when --older-than or --newer-than count from now.
// examples names filters for the error message ("--status or --branch").
func (e *Env) SelectRuns(cmd *cobra.Command, args []string, f *Filter, examples string) (ids []int64, filtered bool, err error) {
	if ids, err = ParseRunIDs(args); err != nil {
		return nil, false, err
	}
	if filtered, err = f.Changed(cmd); err != nil {
		return nil, false, err
	}
	if f.Relative() {
		f.Now = e.Clock()
	}
	switch {
	case len(ids) > 0 && (filtered || cmd.Flags().Changed("limit")):
		return nil, false, FlagErrorf("specify run IDs or filters, not both")
	case len(ids) == 0 && !filtered && !e.IO.CanPrompt():
		return nil, false, FlagErrorf("specify one or more run IDs, or filters such as %s to select runs", examples)
	}
	return ids, filtered, f.Validate()
}
