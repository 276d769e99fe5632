package cmdutil

import (
	"context"
	"errors"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/picker"
)

// PickRun asks the person at the terminal to choose one of the recent runs
// that want keeps; without a terminal it is a usage error naming what was
// missing.
func (e *Env) PickRun(ctx context.Context, c *api.Client, repo Repository, prompt string, want func(api.Run) bool) (int64, error) {
	id, err := picker.PickRun(ctx, picker.Options{
		IO: e.IO, Prompter: e.Prompter, Client: c, Repo: repo.API(), Now: e.Clock(), Prompt: prompt, Want: want,
	})
	switch {
	case errors.Is(err, picker.ErrNeedID):
		return 0, &FlagError{Err: err}
	case errors.Is(err, picker.ErrInterrupted):
		// Ctrl-C at the list: the person changed their mind, as at [y/N].
		return 0, ErrCancel
	}
	return id, err
}
