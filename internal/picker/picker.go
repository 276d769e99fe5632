// Package picker lets a person choose a run on a terminal when a command
// that needs one was given no run ID, as gh does.
package picker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
)

// Prompter asks a person to choose one of several options.
type Prompter interface {
	Select(prompt, defaultValue string, options []string) (int, error)
}

// recent is how many recent runs the picker offers at most.
const recent = 20

// ErrNeedID is returned without a terminal: nobody can pick.
var ErrNeedID = errors.New("a run ID is required when not running interactively")

// Options say what to offer.
type Options struct {
	IO       *iostreams.IOStreams
	Prompter Prompter
	Client   *api.Client
	Repo     api.Repo
	Now      time.Time
	// Prompt is the question, e.g. "Select a run to view".
	Prompt string
	// Want keeps the runs worth offering; nil keeps every run.
	Want func(api.Run) bool
}

// PickRun lists recent runs of the repository and returns the ID of the one
// the person chose.
func PickRun(ctx context.Context, o Options) (int64, error) {
	if !o.IO.CanPrompt() || o.Prompter == nil {
		return 0, ErrNeedID
	}
	list, err := o.Client.ListRuns(ctx, o.Repo, api.RunFilter{}, recent)
	if err != nil {
		return 0, fmt.Errorf("listing recent runs in %s: %w", o.Repo, err)
	}
	var runs []api.Run
	for _, r := range list.Runs {
		if o.Want == nil || o.Want(r) {
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return 0, fmt.Errorf("no recent runs in %s to choose from", o.Repo)
	}
	plain := output.Colors{}
	options := make([]string, len(runs))
	for i, r := range runs {
		options[i] = fmt.Sprintf("%s %s, %s [%s] %s (ID %d)", plain.Symbol(r.Status, r.Conclusion), output.OneLine(r.DisplayTitle),
			output.OneLine(r.Name), output.OneLine(r.HeadBranch), output.Ago(o.Now, r.CreatedAt), r.ID)
	}
	i, err := o.Prompter.Select(o.Prompt, "", options)
	if err != nil {
		return 0, fmt.Errorf("choosing a run: %w", err)
	}
	if i < 0 || i >= len(runs) {
		return 0, fmt.Errorf("choosing a run: no such choice %d", i)
	}
	return runs[i].ID, nil
}
