package cli

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// recordingPrompter picks the first option and keeps the options offered.
type recordingPrompter struct{ options []string }

func (p *recordingPrompter) Select(_, _ string, options []string) (int, error) {
	p.options = options
	return 0, nil
}

// poisoned is one command run against a fake whose newest run carries
// terminal control in every name and whose error messages do too.
type poisoned struct {
	name string
	args []string
	// badToken sends a token the fake refuses: its 401 message is poisoned.
	badToken bool
	code     int
	// want are markers the output must show on a terminal, proof the text
	// got through; in a pipe too when pipe is set (rows for scripts leave
	// some names out).
	want []string
	pipe bool
	// ttyOnly rows print GitHub's text exactly in a pipe, by design.
	ttyOnly bool
}

var poisonedRun = fmt.Sprint(fakegh.PoisonedRunID)

var poisonedCommands = []poisoned{
	{name: "list", pipe: true, args: []string{"list", "-L", "3"}, want: []string{"title", "workflow", "branch"}},
	{name: "list template", pipe: true, args: []string{"list", "-L", "1", "--json", "displayTitle,headBranch,workflowName,actor",
		"--template", `{{range .}}{{.displayTitle}} {{.headBranch}} {{.workflowName}} {{.actor.login}}{{"\n"}}{{end}}`},
		want: []string{"title", "workflow", "branch", "actor"}},
	{name: "list template tablerow", pipe: true, args: []string{"list", "-L", "1", "--json", "displayTitle,headBranch",
		"--template", `{{range .}}{{tablerow .displayTitle .headBranch}}{{end}}`}, want: []string{"title", "branch"}},
	{name: "list jq", ttyOnly: true, args: []string{"list", "-L", "1", "--json", "displayTitle,headBranch", "--jq", ".[].displayTitle, .[0]"},
		want: []string{"title"}},
	{name: "list json", pipe: true, args: []string{"list", "-L", "1", "--json", "displayTitle,headBranch,actor"}, want: []string{"title", "branch", "actor"}},
	{name: "view", pipe: true, args: []string{"view", poisonedRun, "-v"}, want: []string{"title", "workflow", "branch", "actor", "job", "step"}},
	{name: "view template", pipe: true, args: []string{"view", poisonedRun, "--json", "jobs", "--template", `{{range .jobs}}{{.name}}{{end}}`}, want: []string{"job"}},
	{name: "watch", args: []string{"watch", poisonedRun}, want: []string{"title", "job"}},
	{name: "logs view", pipe: true, args: []string{"logs", "view", poisonedRun}, want: []string{"job", "step"}},
	{name: "usage", pipe: true, args: []string{"usage", poisonedRun}, want: []string{"workflow"}},
	{name: "usage by workflow", pipe: true, args: []string{"usage", "-s", "failure"}, want: []string{"workflow"}},
	{name: "usage by actor", pipe: true, args: []string{"usage", "-s", "failure", "--by", "actor"}, want: []string{"actor"}},
	{name: "usage by branch", pipe: true, args: []string{"usage", "-s", "failure", "--by", "branch"}, want: []string{"branch"}},
	{name: "rerun dry run", args: []string{"rerun", "-s", "failure", "--dry-run"}, want: []string{"title", "workflow"}},
	{name: "logs delete dry run", args: []string{"logs", "delete", "-s", "failure", "--dry-run"}, want: []string{"title", "workflow"}},
	{name: "rerun by filter", args: []string{"rerun", "-s", "failure", "--yes"}, want: []string{"title", "workflow"}},
	{name: "server message", args: []string{"list"}, badToken: true, code: 4, pipe: true, want: []string{"Bad credentials"}},
	{name: "server message on view", args: []string{"view", poisonedRun}, badToken: true, code: 4, pipe: true, want: []string{"Bad credentials"}},
	{name: "server message on usage", args: []string{"usage", poisonedRun}, badToken: true, code: 4, pipe: true, want: []string{"Bad credentials"}},
	{name: "server message on bulk", args: []string{"rerun", poisonedRun}, badToken: true, code: 4, pipe: true, want: []string{"Bad credentials"}},
	{name: "server message on bulk by filter", args: []string{"cancel", "-s", "failure", "--yes"}, badToken: true, code: 4, pipe: true, want: []string{"Bad credentials"}},
	{name: "server message on logs", args: []string{"logs", "view", poisonedRun}, badToken: true, code: 4, pipe: true, want: []string{"Bad credentials"}},
}

// ours are the terminal sequences ghruns writes itself: Colors' palette,
// go-gh's JSON colours, the meter's line erase and watch's redraw.
var ours = regexp.MustCompile(`\x1b\[(0|1|31|32|33|36|90|1;3[0-9]|)m|\r\x1b\[K|\x1b\[\d+A\x1b\[J`)

// TestNoTerminalControlFromGitHub: whatever GitHub's names and messages
// carry, no escape, C0 or C1 control or bidi control from them reaches
// stdout or stderr, on a terminal or in a pipe, in tables, tab-separated
// rows, templates, bulk and dry-run lines, usage tables, view, watch, logs,
// the picker's entries and error messages.
func TestNoTerminalControlFromGitHub(t *testing.T) {
	for _, c := range poisonedCommands {
		for _, tty := range []bool{true, false} {
			if c.ttyOnly && !tty {
				continue
			}
			t.Run(fmt.Sprintf("%s tty=%v", c.name, tty), func(t *testing.T) {
				s := cmdtest.Serve(t)
				fakegh.SeedPoisoned(s)
				s.PoisonErrors(fakegh.Poison)
				if c.badToken {
					t.Setenv("GH_TOKEN", "ghp_refused")
				}
				code, out, errOut := executeOn(t, tty, nil, c.args...)
				if code != c.code {
					t.Errorf("exit %d, want %d\nstdout:\n%q\nstderr:\n%q", code, c.code, out, errOut)
				}
				both := out + errOut
				for _, w := range c.want {
					if !tty && !c.pipe {
						continue
					}
					if !strings.Contains(both, w) {
						t.Errorf("output lacks %q:\nstdout:\n%q\nstderr:\n%q", w, out, errOut)
					}
				}
				checkClean(t, "stdout", out)
				checkClean(t, "stderr", errOut)
			})
		}
	}
}

// TestPickerEntriesClean: the picker's entries are printed by the prompter
// on the terminal.
func TestPickerEntriesClean(t *testing.T) {
	s := cmdtest.Serve(t)
	fakegh.SeedPoisoned(s)
	p := &recordingPrompter{}
	code, out, errOut := executeOn(t, true, p, "view")
	if code != 0 || len(p.options) == 0 {
		t.Fatalf("exit %d, %d options\nstdout:\n%s\nstderr:\n%s", code, len(p.options), out, errOut)
	}
	if !strings.Contains(p.options[0], "title") || !strings.Contains(p.options[0], "branch") {
		t.Errorf("first entry %q is not the poisoned run's", p.options[0])
	}
	for _, o := range p.options {
		checkClean(t, "picker entry", o)
	}
	checkClean(t, "stdout", out)
}

// executeOn runs ghruns as Main does, over streams that are terminals when
// tty is set, with p as the prompter, and returns the exit code and output.
func executeOn(t *testing.T, tty bool, p *recordingPrompter, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := cmdtest.Streams(tty)
	// Wide enough that no column is cut: the test looks for every name.
	ios.SetTerminalWidth(400)
	env := &cmdutil.Env{IO: ios, Bin: "ghruns", Version: "test", Now: func() time.Time { return cmdtest.Now }}
	if p != nil {
		env.Prompter = p
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := execute(ctx, env, args)
	return code, out.String(), errOut.String()
}

func checkClean(t *testing.T, what, s string) {
	t.Helper()
	rest := ours.ReplaceAllString(s, "")
	if !utf8.ValidString(rest) {
		t.Errorf("%s is not UTF-8: %q", what, s)
	}
	for i, r := range rest {
		switch {
		case r == '\t' || r == '\n':
		case r < 0x20 || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			t.Errorf("%s carries %U at %d: %q", what, r, i, rest)
			return
		}
	}
}
