// Package picker lets a person choose a run on a terminal when a command
// that needs one was given no run ID, as gh does.
package picker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cli/go-gh/v2/pkg/text"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
)

// Prompter asks a person to choose one of several options.
type Prompter interface {
	Select(prompt, defaultValue string, options []string) (int, error)
}

// MultiPrompter asks a person to choose any number of several options.
// TerminalPrompter is one.
type MultiPrompter interface {
	MultiSelect(prompt string, options []string) ([]int, error)
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

// Entry is one run in the list, on one line of the terminal's width: the
// list marks the current entry with two columns before it. The widest of
// title, workflow and branch gives way first, down to ten columns, then
// each in that order; the run's ID is never cut.
func Entry(symbol, title, workflow, branch, ago string, id int64, width int) string {
	parts := []string{output.OneLine(title), output.OneLine(workflow), output.OneLine(branch)}
	tail := fmt.Sprintf(" %s (ID %d)", ago, id)
	line := func() string { return fmt.Sprintf("%s %s, %s [%s]%s", symbol, parts[0], parts[1], parts[2], tail) }
	over := text.DisplayWidth(line()) - (width - 2)
	if over <= 0 {
		return line()
	}
	widths := make([]int, len(parts))
	for i, p := range parts {
		widths[i] = text.DisplayWidth(p)
	}
	for ; over > 0; over-- {
		widest := -1
		for i, w := range widths {
			if w > 10 && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		widths[widest]--
	}
	for i := range widths {
		cut := min(over, widths[i]-min(widths[i], 4))
		widths[i] -= max(cut, 0)
		over -= max(cut, 0)
	}
	for i := range parts {
		parts[i] = output.Truncate(widths[i], parts[i])
	}
	return line()
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
		options[i] = Entry(plain.Symbol(r.Status, r.Conclusion), r.DisplayTitle, r.Name, r.HeadBranch,
			output.Ago(o.Now, r.CreatedAt), r.ID, o.IO.TerminalWidth())
	}
	i, err := o.Prompter.Select(o.Prompt, "", options)
	if errors.Is(err, ErrInterrupted) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("choosing a run: %w", err)
	}
	if i < 0 || i >= len(runs) {
		return 0, fmt.Errorf("choosing a run: no such choice %d", i)
	}
	return runs[i].ID, nil
}
