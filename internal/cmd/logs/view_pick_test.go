package logs

import (
	"os"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// pickFirst is a prompter that records the options and picks the first.
type pickFirst struct{ options []string }

func (p *pickFirst) Select(_, _ string, options []string) (int, error) {
	p.options = options
	return 0, nil
}

// TestViewPicksRunOnTerminal: with no run ID on a terminal, logs view
// offers the recent completed runs and prints the logs of the one chosen.
func TestViewPicksRunOnTerminal(t *testing.T) {
	cmdtest.Serve(t)
	ios, _, out, _ := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	p := &pickFirst{}
	env.Prompter = p
	if err := cmdtest.Exec(env, NewViewCmd(env, nil)); err != nil {
		t.Fatal(err)
	}
	if len(p.options) == 0 || !strings.HasSuffix(p.options[0], "(ID 7000000111)") ||
		strings.Contains(strings.Join(p.options, "\n"), cmdtest.Arg(fakegh.InProgressRun)) {
		t.Errorf("offered %q, want completed runs, 7000000111 first", p.options)
	}
	if !strings.HasPrefix(out.String(), "deploy\tSet up job\t") {
		t.Errorf("printed:\n%s", out.String())
	}
}

// TestDownloadPicksRunOnTerminal: with no run ID on a terminal, logs
// download offers the recent completed runs and saves the archive of the
// one chosen under its default name, which needs the ID picked.
func TestDownloadPicksRunOnTerminal(t *testing.T) {
	cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	ios, _, _, _ := cmdtest.Streams(true)
	env := cmdtest.Env(ios)
	p := &pickFirst{}
	env.Prompter = p
	if err := cmdtest.Exec(env, NewDownloadCmd(env, nil)); err != nil {
		t.Fatal(err)
	}
	if len(p.options) == 0 || !strings.HasSuffix(p.options[0], "(ID 7000000111)") ||
		strings.Contains(strings.Join(p.options, "\n"), "7000000113") {
		t.Errorf("offered %q, want completed runs, 7000000111 first", p.options)
	}
	if _, err := os.Stat("run-7000000111-logs.zip"); err != nil {
		t.Errorf("the picked run's archive is not saved under its default name: %v", err)
	}
}
