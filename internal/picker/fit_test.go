package picker_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cli/go-gh/v2/pkg/text"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/picker"
)

// offer records the options and answers with err.
type offer struct {
	options []string
	err     error
}

func (o *offer) Select(_, _ string, options []string) (int, error) {
	o.options = options
	return 0, o.err
}

// TestPickEntriesFitTerminal: each run offered is one line that fits the
// terminal beside the list's two-column marker, long title and branch
// included, with its ID whole.
func TestPickEntriesFitTerminal(t *testing.T) {
	for _, width := range cmdtest.Widths {
		cmdtest.Isolate(t)
		s, c := cmdtest.Fake(t, 4)
		s.UpdateRun(7000000113, func(r *fakegh.Run) {
			r.DisplayTitle = strings.Repeat("A very long pull request title ", 5)
			r.HeadBranch = "dependabot/github_actions/actions/checkout-5\nsecond line"
		})
		ios, _, _, _ := cmdtest.Streams(true)
		ios.SetTerminalWidth(width)
		p := &offer{}
		if _, err := picker.PickRun(context.Background(), picker.Options{
			IO: ios, Prompter: p, Client: c, Repo: cmdtest.Repo.API(), Now: cmdtest.Now, Prompt: "Select a run",
		}); err != nil {
			t.Fatal(err)
		}
		if len(p.options) == 0 {
			t.Fatal("nothing offered")
		}
		for _, o := range p.options {
			if w := text.DisplayWidth(o); w > width-2 || strings.Contains(o, "\n") {
				t.Errorf("%d columns: entry of %d columns (or several lines): %q", width, w, o)
			}
		}
		if first := p.options[0]; !strings.HasSuffix(first, "(ID 7000000113)") || !strings.Contains(first, "A very") {
			t.Errorf("%d columns: first entry %q", width, first)
		}
	}
}

// TestPickInterrupted: Ctrl-C in the list ends the command quietly as a
// declined prompt, exit 2.
func TestPickInterrupted(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 4)
	ios, _, _, _ := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	env.Prompter = &offer{err: picker.ErrInterrupted}
	_, err := env.PickRun(context.Background(), c, cmdtest.Repo, "Select a run", nil)
	if !errors.Is(err, cmdutil.ErrCancel) || cmdutil.ExitCode(err) != 2 {
		t.Errorf("error %v (exit %d), want the cancel of exit 2", err, cmdutil.ExitCode(err))
	}
}
