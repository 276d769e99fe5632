package bulk

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// stub is a bulk verb, "poke", whose act asks GitHub nothing: it records
// the runs it is given and fails those in fail with their error. The tests
// below cover what Run does for every command; each command's own tests
// cover only its act.
type stub struct {
	fail map[int64]error
	// during, when set, is called with each act's number (from 1).
	during func(n int)
	// eligible is Action.Eligible; Ineligible is "not completed yet".
	eligible func(api.Run) bool
	would    string

	mu    sync.Mutex
	acted []int64
}

func (s *stub) action() Action {
	return Action{
		Verb: "poke", Done: "poked", Would: s.would,
		Eligible: s.eligible, Ineligible: "not completed yet",
		Act: func(_ context.Context, tg Target) error {
			id := tg.ID
			s.mu.Lock()
			s.acted = append(s.acted, id)
			n := len(s.acted)
			s.mu.Unlock()
			if s.during != nil {
				s.during(n)
			}
			return s.fail[id]
		},
	}
}

// actedOn is the runs acted on, sorted.
func (s *stub) actedOn() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(slices.Values(s.acted))
}

func completed(r api.Run) bool { return r.Status == "completed" }

// poke runs `poke` as a command would: Prepare, then Run with the stub's
// action; cancel, when the stub calls it, interrupts the command.
func poke(t *testing.T, st *stub, tty bool, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return cmdtest.Run(tty, stdin, func(env *cmdutil.Env) *cobra.Command {
		var req Request
		cmd := &cobra.Command{
			Use: "poke",
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := Prepare(env, cmd, args, &req, st.eligible, "Select a run to poke"); err != nil {
					return err
				}
				return Run(cmd.Context(), req, st.action())
			},
		}
		AddFlags(cmd, &req)
		return cmd
	}, args...)
}

// meter matches the progress line's draws on a terminal.
var meterLine = regexp.MustCompile(`\r\x1b\[Kpoke \d+/\d+ runs`)

// TestRunByID acts on each run named, in the order given, reports every
// outcome (the first line of an error) and fails silently after the report
// when one failed. Named runs need no listing and no confirmation.
func TestRunByID(t *testing.T) {
	for _, tc := range []struct {
		tty    bool
		stdout string
	}{
		{false, "7000000110\tpoked\n7000000113\tfailed\trun 7000000113 is busy\n999\tpoked\n"},
		{true, "\x1b[32m✓\x1b[0m run 7000000110: poked\n\x1b[31mX\x1b[0m run 7000000113 is busy\n\x1b[32m✓\x1b[0m run 999: poked\n"},
	} {
		t.Run(cmdtest.TTYName(tc.tty), func(t *testing.T) {
			s := cmdtest.Serve(t)
			st := &stub{eligible: completed, fail: map[int64]error{fakegh.InProgressRun: errors.New("run 7000000113 is busy\nmore detail")}}
			stdout, stderr, err := poke(t, st, tc.tty, "", cmdtest.Arg(fakegh.FailedRun), cmdtest.Arg(fakegh.InProgressRun), "999")
			if !errors.Is(err, cmdutil.ErrSilent) || cmdutil.ExitCode(err) != 1 {
				t.Errorf("error = %v (exit %d), want ErrSilent (exit 1)", err, cmdutil.ExitCode(err))
			}
			if stdout != tc.stdout {
				t.Errorf("stdout:\n%q\nwant\n%q", stdout, tc.stdout)
			}
			// On a terminal a meter counts the runs done, then is cleared.
			if drawn := meterLine.ReplaceAllString(stderr, ""); drawn != strings.Repeat("\r\x1b[K", btoi(tc.tty))+"could not poke 1 run of 3 in octo/hello\n" {
				t.Errorf("stderr %q, want the meter on a terminal only, then the count of failures", stderr)
			}
			if tc.tty && !strings.Contains(stderr, "poke 3/3 runs") {
				t.Errorf("stderr %q: the meter never showed all runs done", stderr)
			}
			if got := st.actedOn(); !slices.Equal(got, []int64{999, fakegh.FailedRun, fakegh.InProgressRun}) {
				t.Errorf("acted on %v", got)
			}
			if n := len(s.Requests()); n != 0 {
				t.Errorf("%d requests sent for named runs; the act sends its own", n)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRunJSON reports each outcome as a JSON row, with null for no error.
func TestRunJSON(t *testing.T) {
	cmdtest.Serve(t)
	st := &stub{eligible: completed, fail: map[int64]error{fakegh.InProgressRun: errors.New("run 7000000113 is busy")}}
	stdout, stderr, err := poke(t, st, false, "", cmdtest.Arg(fakegh.FailedRun), cmdtest.Arg(fakegh.InProgressRun), "--json", "databaseId,result,error")
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Errorf("error = %v, want ErrSilent", err)
	}
	want := `[{"databaseId":7000000110,"error":null,"result":"poked"},{"databaseId":7000000113,"error":"run 7000000113 is busy","result":"failed"}]` + "\n"
	if stdout != want || stderr != "could not poke 1 run of 2 in octo/hello\n" {
		t.Errorf("got %q, %q; want %q", stdout, stderr, want)
	}
}

// TestRunByFilter lists the matching runs, leaves out those the action does
// not apply to with a note saying why, and acts on the rest; a dry run
// reports what it would do and acts on none.
func TestRunByFilter(t *testing.T) {
	ciCompleted := []int64{fakegh.DependabotRun, fakegh.OlderSuccessfulRun, fakegh.ReleaseRun, fakegh.FailedRun}
	for _, tc := range []struct {
		name     string
		args     []string
		eligible func(api.Run) bool
		would    string
		tty      bool
		stdout   string
		stderr   string
		acted    []int64
	}{
		{name: "eligible", args: []string{"-w", "CI", "--yes"}, eligible: completed,
			stdout: "7000000110\tpoked\n7000000106\tpoked\n7000000103\tpoked\n7000000102\tpoked\n",
			stderr: "skipping 2 matching runs: not completed yet\n", acted: ciCompleted},
		{name: "eligible on a terminal", args: []string{"-w", "CI", "--yes"}, eligible: completed, tty: true,
			stdout: "\x1b[32m✓\x1b[0m run 7000000110 (CI: Fix flaky cache test): poked\n" +
				"\x1b[32m✓\x1b[0m run 7000000106 (CI: Release v1.2.1): poked\n" +
				"\x1b[32m✓\x1b[0m run 7000000103 (CI: Bump golang.org/x/sys): poked\n" +
				"\x1b[32m✓\x1b[0m run 7000000102 (CI: Bump github.com/spf13/cobra from 1.10.1 to 1.10.2): poked\n",
			stderr: "skipping 2 matching runs: not completed yet\n\r\x1b[Kpoked: 4 runs in octo/hello\n", acted: ciCompleted},
		{name: "every run eligible", args: []string{"-b", "feature/login", "--yes"},
			stdout: "7000000112\tpoked\n7000000109\tpoked\n7000000108\tpoked\n",
			acted:  []int64{fakegh.FailedLintRun, fakegh.LintRun, fakegh.QueuedRun}},
		{name: "none eligible", args: []string{"-s", "queued", "--yes"}, eligible: completed,
			stderr: "skipping 1 matching run: not completed yet\nno runs to poke in octo/hello\n"},
		{name: "none eligible, JSON", args: []string{"-s", "queued", "--yes", "--json", "databaseId"}, eligible: completed,
			stdout: "[]\n", stderr: "skipping 1 matching run: not completed yet\nno runs to poke in octo/hello\n"},
		{name: "dry run", args: []string{"-w", "CI", "--dry-run"}, eligible: completed,
			stdout: "7000000110\twould poke\n7000000106\twould poke\n7000000103\twould poke\n7000000102\twould poke\n",
			stderr: "skipping 2 matching runs: not completed yet\n"},
		{name: "dry run on a terminal, own words", args: []string{"-b", "release/v1.2", "--dry-run"}, eligible: completed,
			would: "would poke gently", tty: true,
			stdout: "\x1b[90m-\x1b[0m run 7000000106 (CI: Release v1.2.1): would poke gently\n",
			stderr: "would poke gently: 1 run in octo/hello\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			st := &stub{eligible: tc.eligible, would: tc.would}
			stdout, stderr, err := poke(t, st, tc.tty, "", tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if stdout != tc.stdout || meterLine.ReplaceAllString(stderr, "") != tc.stderr {
				t.Errorf("got\n%q\n%q\nwant\n%q\n%q", stdout, stderr, tc.stdout, tc.stderr)
			}
			if got := st.actedOn(); !slices.Equal(got, tc.acted) {
				t.Errorf("acted on %v, want %v", got, tc.acted)
			}
			for _, r := range s.Requests() {
				if r.Method != "GET" {
					t.Errorf("sent %s %s: only the act may change anything", r.Method, r.Path)
				}
			}
		})
	}
}

// TestRunConfirm: runs selected by filters without --yes are confirmed on
// a terminal; elsewhere Run refuses before listing, as a usage error.
func TestRunConfirm(t *testing.T) {
	question := "skipping 2 matching runs: not completed yet\n? Poke 4 runs in octo/hello? [y/N] "
	for _, tc := range []struct {
		name    string
		tty     bool
		stdin   string
		exit    int
		stderr  string
		errText string
		acted   int
	}{
		{name: "no terminal", stdin: "y\n", exit: 1,
			errText: "Poke the runs selected by filters in octo/hello? needs confirmation: pass --yes when not running interactively"},
		{name: "yes", tty: true, stdin: "y\n", stderr: question + "\r\x1b[Kpoked: 4 runs in octo/hello\n", acted: 4},
		{name: "no", tty: true, stdin: "n\n", exit: 2, stderr: question},
		{name: "end of input", tty: true, exit: 2, stderr: question + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			st := &stub{eligible: completed}
			stdout, stderr, err := poke(t, st, tc.tty, tc.stdin, "-w", "CI")
			if got := cmdutil.ExitCode(err); got != tc.exit {
				t.Errorf("error %v: exit code %d, want %d", err, got, tc.exit)
			}
			var flagErr *cmdutil.FlagError
			if tc.errText != "" && (!errors.As(err, &flagErr) || err.Error() != tc.errText) {
				t.Errorf("error = %v (%T), want a usage error %q", err, err, tc.errText)
			}
			if tc.exit == 2 && !errors.Is(err, cmdutil.ErrCancel) {
				t.Errorf("error = %v, want ErrCancel", err)
			}
			if got := meterLine.ReplaceAllString(stderr, ""); got != tc.stderr {
				t.Errorf("stderr %q, want %q", got, tc.stderr)
			}
			if n := len(st.actedOn()); n != tc.acted || (n == 0 && stdout != "") {
				t.Errorf("acted on %d runs, want %d; stdout %q", n, tc.acted, stdout)
			}
			if n := len(s.Requests()); !tc.tty && n != 0 {
				t.Errorf("%d requests sent before refusing", n)
			}
		})
	}
}

// TestRunInterrupted: after an interruption no run starts; the runs left
// are reported as not attempted, with how to finish, and the command ends
// with the interruption.
func TestRunInterrupted(t *testing.T) {
	cmdtest.Serve(t)
	t.Setenv("GHRUNS_CONCURRENCY", "1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &stub{during: func(n int) {
		if n == 2 {
			cancel() // a request in flight goes on: this act still succeeds
		}
	}}
	ios, _, out, errOut := cmdtest.Streams(false)
	env := cmdtest.Env(ios)
	var req Request
	cmd := &cobra.Command{Use: "poke", RunE: func(cmd *cobra.Command, args []string) error {
		if err := Prepare(env, cmd, args, &req, nil, ""); err != nil {
			return err
		}
		return Run(ctx, req, st.action())
	}}
	AddFlags(cmd, &req)
	err := cmdtest.Exec(env, cmd, "101", "102", "103", "104", "105")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want the interruption", err)
	}
	want := "101\tpoked\n102\tpoked\n" + strings.Repeat("%d\tnot attempted\n", 3)
	if want = fmt.Sprintf(want, 103, 104, 105); out.String() != want {
		t.Errorf("stdout:\n%s\nwant\n%s", out, want)
	}
	if got, want := errOut.String(), "interrupted: 3 of 5 runs not attempted; run the command again for the rest\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if got := st.actedOn(); !slices.Equal(got, []int64{101, 102}) {
		t.Errorf("acted on %v after the interruption", got)
	}
}

// TestRunWarnsWhenBudgetIsShort: when GitHub's rate limit, as the listing
// left it, allows fewer requests than the job needs, Run says so first.
func TestRunWarnsWhenBudgetIsShort(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Now = time.Now // the client checks the rate limit's reset against the real clock
	s.InjectFaults(fakegh.Faults{RateLimit: 4})
	st := &stub{}
	stdout, stderr, err := poke(t, st, false, "", "-b", "main", "--yes") // 1 listing request, 8 runs
	if err != nil {
		t.Fatal(err)
	}
	warning := regexp.MustCompile(`^warning: this needs 8 requests, but GitHub's rate limit allows 3 more until \d\d:\d\d \S+; the rest would fail until then\n$`)
	if !warning.MatchString(stderr) {
		t.Errorf("stderr %q: want the budget warning", stderr)
	}
	if n := strings.Count(stdout, "\tpoked\n"); n != 8 || len(st.actedOn()) != 8 {
		t.Errorf("stdout:\n%s\nwant all 8 runs acted on: the warning does not stop the job", stdout)
	}
}

// TestRunManyInListingOrder: 200 runs selected by filter are each acted on
// once, by several workers, and reported in the listing's order.
func TestRunManyInListingOrder(t *testing.T) {
	s := cmdtest.Serve(t)
	runs := fakegh.GenerateRuns(200, 9000000001, cmdtest.Now.Add(-time.Minute), func(_ int, r *fakegh.Run) {
		r.HeadBranch = "many"
	})
	s.AddRuns(runs...)
	t.Setenv("GHRUNS_CONCURRENCY", "8")
	st := &stub{}
	stdout, stderr, err := poke(t, st, false, "", "-b", "many", "--yes")
	if err != nil || stderr != "" {
		t.Fatalf("error %v, stderr %q", err, stderr)
	}
	var want strings.Builder
	for _, r := range runs { // GenerateRuns returns them newest first, as listed
		fmt.Fprintf(&want, "%d\tpoked\n", r.ID)
	}
	if stdout != want.String() {
		t.Errorf("outcomes not in the listing's order:\n%s", stdout)
	}
	got := st.actedOn()
	if once := slices.Compact(slices.Clone(got)); len(got) != 200 || len(once) != 200 {
		t.Errorf("acted %d times on %d runs, want each of the 200 once", len(got), len(once))
	}
}

// TestRunNeedsToken: acting changes something, so without a token Prepare
// stops before any request; a dry run only reads, so it goes on,
// unauthenticated, with a warning.
func TestRunNeedsToken(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Setenv("GH_TOKEN", "")
	st := &stub{eligible: completed}

	stdout, stderr, err := poke(t, st, false, "", cmdtest.Arg(fakegh.FailedRun))
	if !errors.Is(err, cmdutil.ErrAuthRequired) || cmdutil.ExitCode(err) != 4 {
		t.Errorf("error = %v (exit %d), want ErrAuthRequired (exit 4)", err, cmdutil.ExitCode(err))
	}
	if n := len(s.Requests()); n != 0 || stdout != "" || stderr != "" || len(st.actedOn()) != 0 {
		t.Errorf("%d requests sent, acted on %v; printed %q, %q", n, st.actedOn(), stdout, stderr)
	}

	stdout, stderr, err = poke(t, st, false, "", "--dry-run", "-b", "release/v1.2")
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "7000000106\twould poke\n" || !strings.HasPrefix(stderr, "warning: no GitHub token for github.com;") {
		t.Errorf("got %q, %q", stdout, stderr)
	}
	for _, r := range s.Requests() {
		if r.Method != "GET" || r.Header.Get("Authorization") != "" {
			t.Errorf("dry run sent %s %s (Authorization %q)", r.Method, r.Path, r.Header.Get("Authorization"))
		}
	}
}
