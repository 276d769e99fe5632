package view

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// runView runs view's argv against the fake through the command, with the
// fixed clock, no colour and no browser, and returns what it printed.
func runView(t *testing.T, c *api.Client, tty bool, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Setenv("NO_COLOR", "1")
	return cmdtest.Run(tty, "", func(env *cmdutil.Env) *cobra.Command {
		return NewCmd(env, func(ctx context.Context, o *Options) error {
			o.Client, o.Now = c, cmdtest.Now
			o.Browse = func(string) error { t.Error("a browser was opened"); return nil }
			return run(ctx, o)
		})
	}, args...)
}

func TestViewGolden(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr error
	}{
		{"success", []string{cmdtest.Arg(fakegh.SuccessfulRun)}, nil},
		{"failure-exit-status", []string{cmdtest.Arg(fakegh.FailedRun), "--exit-status"}, cmdutil.ErrSilent},
		{"verbose", []string{cmdtest.Arg(fakegh.FailedRun), "-v"}, nil},
		{"attempt-1", []string{cmdtest.Arg(fakegh.FailedRun), "--attempt", "1"}, nil},
		{"in-progress-verbose", []string{cmdtest.Arg(fakegh.InProgressRun), "-v"}, nil},
		{"queued", []string{cmdtest.Arg(fakegh.QueuedRun)}, nil},
		{"no-jobs", []string{cmdtest.Arg(fakegh.StartupFailureRun)}, nil},
		{"json", []string{cmdtest.Arg(fakegh.SuccessfulRun), "--json", "status,jobs"}, nil},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + map[bool]string{true: "-tty", false: "-notty"}[tty]
			t.Run(name, func(t *testing.T) {
				cmdtest.Isolate(t)
				_, c := cmdtest.Fake(t, 8)
				stdout, stderr, err := runView(t, c, tty, tt.args...)
				if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				cmdtest.Golden(t, "view-"+name, stdout, stderr)
			})
		}
	}
}

func TestViewRequests(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"latest attempt", []string{cmdtest.Arg(fakegh.FailedRun)}, []string{
			"GET /repos/octo/hello/actions/runs/7000000110?exclude_pull_requests=true",
			"GET /repos/octo/hello/actions/runs/7000000110/jobs?filter=latest&per_page=100",
			"GET /repos/octo/hello/check-runs/8000001107/annotations?per_page=50", // the failed job's
		}},
		{"successful run: no annotations", []string{cmdtest.Arg(fakegh.SuccessfulRun)}, []string{
			"GET /repos/octo/hello/actions/runs/7000000111?exclude_pull_requests=true",
			"GET /repos/octo/hello/actions/runs/7000000111/jobs?filter=latest&per_page=100",
		}},
		{"attempt 1", []string{cmdtest.Arg(fakegh.FailedRun), "-a", "1"}, []string{
			"GET /repos/octo/hello/actions/runs/7000000110/attempts/1?exclude_pull_requests=true",
			"GET /repos/octo/hello/actions/runs/7000000110/attempts/1/jobs?per_page=100",
			"GET /repos/octo/hello/check-runs/8000001102/annotations?per_page=50",
		}},
		{"json without jobs", []string{cmdtest.Arg(fakegh.FailedRun), "--json", "status"}, []string{
			"GET /repos/octo/hello/actions/runs/7000000110?exclude_pull_requests=true",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, c := cmdtest.Fake(t, 8)
			if _, _, err := runView(t, c, false, tt.args...); err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, r := range s.Requests() {
				got[r.Method+" "+r.Path+"?"+r.Query.Encode()] = true
			}
			if len(got) != len(tt.want) {
				t.Errorf("got %d requests, want %d: %v", len(got), len(tt.want), got)
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("missing request %s; got %v", w, got)
				}
			}
		})
	}
}

func TestViewExitStatus(t *testing.T) {
	tests := []struct {
		id     string
		failed bool
	}{
		{cmdtest.Arg(fakegh.SuccessfulRun), false},    // success
		{cmdtest.Arg(fakegh.FailedRun), true},         // failure
		{cmdtest.Arg(fakegh.CancelledRun), false},     // cancelled
		{cmdtest.Arg(fakegh.SkippedRun), false},       // skipped
		{cmdtest.Arg(fakegh.TimedOutRun), true},       // timed_out
		{cmdtest.Arg(fakegh.StartupFailureRun), true}, // startup_failure
		{cmdtest.Arg(fakegh.InProgressRun), false},    // in progress: not concluded yet
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			cmdtest.Isolate(t)
			_, c := cmdtest.Fake(t, 8)
			stdout, stderr, err := runView(t, c, false, tt.id, "--exit-status")
			if tt.failed != errors.Is(err, cmdutil.ErrSilent) || (!tt.failed && err != nil) {
				t.Errorf("error = %v, want ErrSilent: %v", err, tt.failed)
			}
			if !strings.HasPrefix(stdout, "id\t"+tt.id+"\n") || stderr != "" {
				t.Errorf("the run was not reported:\nstdout %q\nstderr %q", stdout, stderr)
			}
		})
	}
}

func TestViewExitStatusWithJSON(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, _, err := runView(t, c, false, cmdtest.Arg(fakegh.FailedRun), "--exit-status", "--json", "conclusion")
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Errorf("error = %v, want ErrSilent", err)
	}
	if stdout != `{"conclusion":"failure"}`+"\n" {
		t.Errorf("stdout = %q", stdout)
	}
}

func TestViewNotFound(t *testing.T) {
	for _, tty := range []bool{true, false} {
		cmdtest.Isolate(t)
		_, c := cmdtest.Fake(t, 8)
		stdout, stderr, err := runView(t, c, tty, "42")
		if err == nil || err.Error() != "run 42 not found in octo/hello (HTTP 404)" {
			t.Errorf("error = %v", err)
		}
		var httpErr *api.HTTPError
		if !errors.As(err, &httpErr) || httpErr.StatusCode != 404 || httpErr.Message != "Not Found" {
			t.Errorf("error does not carry GitHub's answer: %#v", err)
		}
		if got := cmdutil.ExitCode(err); got != 1 {
			t.Errorf("exit code = %d, want 1", got)
		}
		if stdout != "" || stderr != "" {
			t.Errorf("printed stdout %q, stderr %q", stdout, stderr)
		}
	}
}

func TestViewAttemptNotFound(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, stderr, err := runView(t, c, true, cmdtest.Arg(fakegh.FailedRun), "--attempt", "3")
	if err == nil || err.Error() != "attempt 3 of run 7000000110: not found in octo/hello (HTTP 404)\n"+
		"hint: run 7000000110 has 2 attempts; --attempt takes 1 to 2" {
		t.Errorf("error = %v", err)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("printed stdout %q, stderr %q", stdout, stderr)
	}
}

func TestViewJSONAttempt(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, _, err := runView(t, c, false, cmdtest.Arg(fakegh.FailedRun), "-a", "1", "--json", "attempt,conclusion,jobs")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Attempt    int
		Conclusion string
		Jobs       []struct {
			DatabaseID int64
			Name       string
			Conclusion string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Attempt != 1 || got.Conclusion != "failure" || len(got.Jobs) != 2 ||
		got.Jobs[0].DatabaseID != 8000001101 || got.Jobs[1].DatabaseID != 8000001102 {
		t.Errorf("attempt 1 = %+v, want attempt 1, failure, jobs 8000001101 and 8000001102", got)
	}
}

func TestViewWeb(t *testing.T) {
	tests := []struct {
		name    string
		attempt int
		tty     bool
		url     string
		stderr  string
	}{
		{"tty", 0, true, "https://github.com/octo/hello/actions/runs/7000000110",
			"Opening https://github.com/octo/hello/actions/runs/7000000110 in your browser.\n"},
		{"notty", 0, false, "https://github.com/octo/hello/actions/runs/7000000110", ""},
		{"attempt", 1, true, "https://github.com/octo/hello/actions/runs/7000000110/attempts/1",
			"Opening https://github.com/octo/hello/actions/runs/7000000110/attempts/1 in your browser.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, _ := cmdtest.Fake(t, 8)
			ios, _, out, errOut := cmdtest.Streams(tt.tty)
			var opened []string
			opts := &Options{
				IO: ios, Repo: cmdtest.Repo, Now: cmdtest.Now, RunID: fakegh.FailedRun, Attempt: tt.attempt, Web: true,
				Browse: func(url string) error { opened = append(opened, url); return nil },
			}
			if err := run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if len(opened) != 1 || opened[0] != tt.url {
				t.Errorf("opened %q, want %q", opened, tt.url)
			}
			if out.String() != "" || errOut.String() != tt.stderr {
				t.Errorf("stdout %q, stderr %q; want stderr %q", out, errOut, tt.stderr)
			}
			if n := len(s.Requests()); n != 0 {
				t.Errorf("sent %d requests, want none", n)
			}
		})
	}
}

func TestViewWebThroughCommand(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	ios, _, _, _ := cmdtest.Streams(false)
	env := cmdtest.Env(ios)
	var opened string
	cmd := NewCmd(env, func(ctx context.Context, o *Options) error {
		o.Client, o.Now = c, cmdtest.Now
		o.Browse = func(url string) error { opened = url; return nil }
		return run(ctx, o)
	})
	if err := cmdtest.Exec(env, cmd, "-R", "octo/hello", "--web", cmdtest.Arg(fakegh.SuccessfulRun)); err != nil {
		t.Fatal(err)
	}
	if opened != "https://github.com/octo/hello/actions/runs/7000000111" {
		t.Errorf("opened %q", opened)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("sent %d requests, want none", n)
	}
}

// With no browser to open, --web prints the URL, not the launcher's error.
func TestViewWebNoBrowser(t *testing.T) {
	for _, tty := range []bool{true, false} {
		ios, _, out, errOut := cmdtest.Streams(tty)
		opts := &Options{
			IO: ios, Repo: cmdtest.Repo, Now: cmdtest.Now, RunID: fakegh.FailedRun, Web: true,
			Browse: func(string) error { return &exec.Error{Name: "xdg-open", Err: exec.ErrNotFound} },
		}
		if err := run(context.Background(), opts); err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		if out.String() != "https://github.com/octo/hello/actions/runs/7000000110\n" {
			t.Errorf("stdout = %q, want the run's URL", out)
		}
		if strings.Contains(errOut.String(), "xdg-open") || !strings.Contains(errOut.String(), "could not open a browser; open this URL instead:\n") {
			t.Errorf("stderr = %q", errOut)
		}
	}
}
