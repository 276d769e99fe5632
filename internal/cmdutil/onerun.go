package cmdutil

import (
	"context"

	"github.com/ghruns/gh-runs/internal/api"
)

// The commands that act on one run (view, logs view, logs download, watch,
// and usage when it picks) share one set-up, in this order: ParseRunArg,
// their own flag checks, Env.Repo, their runF test hook, then ResolveRun.
// Argument tests stop at runF, before any client is made.

// ParseRunArg reads the argument of a command that takes one run: its ID,
// or 0 when none was given, which RunIDArg allows only where a person at
// the terminal can pick a run (ResolveRun).
func ParseRunArg(args []string) (int64, error) {
	if len(args) == 0 {
		return 0, nil
	}
	return ParseRunID(args[0])
}

// ResolveRun makes the client of a command that acts on one run of repo
// and, when id is 0, asks the person at the terminal to pick the run among
// the recent runs that want keeps (nil: every one), with prompt. It returns
// the client and the run's ID.
func (e *Env) ResolveRun(ctx context.Context, repo Repository, id int64, prompt string, want func(api.Run) bool) (*api.Client, int64, error) {
	c, err := e.Client(repo, false)
	if err != nil {
		return nil, 0, err
	}
	if id == 0 {
		if id, err = e.PickRun(ctx, c, repo, prompt, want); err != nil {
			return nil, 0, err
		}
	}
	return c, id, nil
}
