package watch

import "context"

// Follow watches the run opts.RunID until it completes, as `ghruns watch
// RUN_ID` does, for commands that start a run and then follow it. Under
// opts.ExitStatus it returns cmdutil.ErrSilent when the run does not
// conclude with success.
func Follow(ctx context.Context, opts *Options) error {
	return run(ctx, opts)
}
