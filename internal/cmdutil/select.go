package cmdutil

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// SelectRuns reads how a command that acts on many runs was told which:
// run IDs in args, or the filter flags, not both. Neither is a usage error
// unless a person at a terminal can pick a run. It validates the filter,
// and sets its clock when --older-than or --newer-than count from now.
// examples names filters for the error message ("--status or --branch").
func (e *Env) SelectRuns(cmd *cobra.Command, args []string, f *runquery.Filter, examples string) (ids []int64, filtered bool, err error) {
	if ids, err = ParseRunIDs(args); err != nil {
		return nil, false, err
	}
	if filtered, err = filterChanged(cmd); err != nil {
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
	return ids, filtered, ValidateFilter(*f)
}

// ListRuns lists the runs that f selects in repo (runquery.List), with its
// notes on stderr and, under GH_DEBUG, how it went past GitHub's cap. A
// workflow name that matches no workflow, or several, is a usage error.
func ListRuns(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repo Repository, f runquery.Filter) (*api.RunList, error) {
	list, err := runquery.List(ctx, c, repo.API(), f, ios.ErrOut, debugWriter(ios))
	var in *runquery.InputError
	if errors.As(err, &in) {
		return nil, &FlagError{Err: err}
	}
	return list, err
}

// debugWriter is where requests and listing decisions are logged: stderr
// when GH_DEBUG is set (to api, 1 or anything but 0 or false), as in gh.
func debugWriter(ios *iostreams.IOStreams) io.Writer {
	switch os.Getenv("GH_DEBUG") {
	case "", "0", "false":
		return nil
	}
	return ios.ErrOut
}
