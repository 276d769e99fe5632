package logs

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func viewCmd(env *cmdutil.Env) *cobra.Command { return NewViewCmd(env, nil) }

func TestNewViewCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ViewOptions
		wantErr string
	}{
		{name: "run only", args: []string{"42"}, want: ViewOptions{RunID: 42}},
		{name: "job by name", args: []string{"42", "--job", "build"}, want: ViewOptions{RunID: 42, Job: "build"}},
		{name: "job by ID, short", args: []string{"-j", "8000001107", "42"}, want: ViewOptions{RunID: 42, Job: "8000001107"}},
		{name: "failed", args: []string{"42", "--failed"}, want: ViewOptions{RunID: 42, Failed: true}},
		{name: "everything", args: []string{"42", "--failed", "-j", "test", "-a", "1"}, want: ViewOptions{RunID: 42, Job: "test", Failed: true, Attempt: 1}},

		{name: "no run, no terminal", args: []string{}, wantErr: "view: missing the run ID"},
		{name: "two runs", args: []string{"1", "2"}, wantErr: `view: unexpected argument "2"`},
		{name: "not a number", args: []string{"abc"}, wantErr: `invalid run ID "abc": want a positive whole number`},
		{name: "empty job", args: []string{"42", "--job", " "}, wantErr: "--job needs a job name or ID"},
		{name: "negative attempt", args: []string{"42", "-a", "-1"}, wantErr: "invalid --attempt -1"},
		{name: "unknown flag", args: []string{"42", "--log-failed"}, wantErr: "unknown flag: --log-failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, out, errOut := cmdtest.Streams(false)
			got, err := cmdtest.Parse(ios, NewViewCmd, tt.args...)
			if out.Len()+errOut.Len() > 0 {
				t.Errorf("printed %q, %q before any work", out, errOut)
			}
			if tt.wantErr != "" {
				cmdtest.WantFlagError(t, err, tt.wantErr, got != nil)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Client != nil {
				t.Error("a client was made before runF")
			}
			g := *got
			g.IO, g.Repo = nil, cmdutil.Repository{}
			if g != tt.want {
				t.Errorf("options = %+v, want %+v", g, tt.want)
			}
			if got.Repo != cmdtest.Repo {
				t.Errorf("repo = %+v", got.Repo)
			}
		})
	}
}

// TestViewGolden prints seeded runs' logs; the seed's archives hold, per
// step, "##[group]STEP", "STEP (run ID attempt N, job JOB)", an error line
// for a failed step, and "##[endgroup]".
func TestViewGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"all", []string{cmdtest.Arg(fakegh.FailedRun)}},
		{"failed", []string{cmdtest.Arg(fakegh.FailedRun), "--failed"}},
		{"job-by-name", []string{cmdtest.Arg(fakegh.FailedRun), "--job", "build"}},
		{"three-jobs", []string{cmdtest.Arg(fakegh.ReleaseRun)}},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := "view-" + tt.name + "-" + cmdtest.TTYName(tty)
			t.Run(name, func(t *testing.T) {
				cmdtest.Serve(t)
				r := execCmd(t, viewCmd, tty, "", tt.args...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				cmdtest.Golden(t, name, r.out, r.errOut)
			})
		}
	}
}

// TestViewJobByID selects the same job by ID as by name, and an earlier
// attempt's job by its own ID.
func TestViewJobByID(t *testing.T) {
	cmdtest.Serve(t)
	byName := execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.FailedRun), "--job", "test")
	byID := execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.FailedRun), "--job", "8000001107")
	if byName.err != nil || byID.err != nil || byName.out != byID.out || byID.out == "" {
		t.Errorf("--job test: %v\n%s\n--job 8000001107: %v\n%s", byName.err, byName.out, byID.err, byID.out)
	}
	first := execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.FailedRun), "--attempt", "1", "--job", "8000001102")
	if first.err != nil || !strings.HasPrefix(first.out, "test\tSet up job\t2026-11-20T10:50:07.0000000Z ##[group]Set up job\n") ||
		!strings.Contains(first.out, "(run 7000000110 attempt 1, job test)") {
		t.Errorf("attempt 1: %v\n%s", first.err, first.out)
	}
}

// TestViewRequests: the jobs and the archive together, one round trip to
// the API; a bad --job costs no download.
func TestViewRequests(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Latency = 50 * time.Millisecond
	if r := execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.FailedRun)); r.err != nil {
		t.Fatal(r.err)
	}
	var got []string
	for _, r := range s.Requests() {
		got = append(got, r.Method+" "+r.Path+"?"+r.Query.Encode())
	}
	slices.Sort(got)
	if rt := s.RoundTrips(); rt != 1 {
		t.Errorf("%d round trips to the API, want 1", rt)
	}
	want := []string{
		"GET /repos/octo/hello/actions/runs/7000000110/jobs?filter=latest&per_page=100",
		"GET /repos/octo/hello/actions/runs/7000000110/logs?",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(s.LogRequests()); n != 1 {
		t.Errorf("%d requests to the log host, want 1", n)
	}

	s.ResetRequests()
	if r := execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.FailedRun), "--job", "nope"); r.err == nil {
		t.Fatal("no error for an unknown job")
	}
	if n := len(s.Requests()); n != 1 || len(s.LogRequests()) != 0 {
		t.Errorf("%d API requests and %d downloads for an unknown job, want the jobs list only", n, len(s.LogRequests()))
	}
}

func TestViewErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown job", []string{cmdtest.Arg(fakegh.FailedRun), "--job", "lint"},
			`no job "lint" in run 7000000110; its jobs: build (ID 8000001106), test (ID 8000001107)`},
		{"unknown job ID", []string{cmdtest.Arg(fakegh.FailedRun), "--job", "8000001101"},
			`no job "8000001101" in run 7000000110; its jobs: build (ID 8000001106), test (ID 8000001107)` +
				"\nhint: job 8000001101 ran in attempt 1 of run 7000000110; add --attempt 1"},
		{"job ID of no attempt", []string{cmdtest.Arg(fakegh.FailedRun), "--job", "8000001111"},
			`no job "8000001111" in run 7000000110; its jobs: build (ID 8000001106), test (ID 8000001107)`},
		{"attempt that did not happen", []string{cmdtest.Arg(fakegh.FailedRun), "--attempt", "9"},
			"list the jobs of run 7000000110: not found in octo/hello (HTTP 404)\nhint: run 7000000110 has 2 attempts; --attempt takes 1 to 2"},
		{"job is case-sensitive", []string{cmdtest.Arg(fakegh.FailedRun), "--job", "Build"},
			`no job "Build" in run 7000000110; its jobs: build (ID 8000001106), test (ID 8000001107)`},
		{"run without jobs", []string{cmdtest.Arg(fakegh.StartupFailureRun), "--job", "deploy"}, `no job "deploy" in run 7000000101: the run has no jobs`},
		{"skipped run: no archive", []string{cmdtest.Arg(fakegh.SkippedRun)},
			"download logs of run 7000000105: run 7000000105 has no logs: no job of it ran"},
		{"run in progress", []string{cmdtest.Arg(fakegh.InProgressRun)},
			"download logs of run 7000000113: Failed to generate URL to download logs (HTTP 500, request ID C33A:BCB4:2791:52FA:00000032)\n" +
				"hint: run 7000000113 is not completed yet; GitHub serves its logs once it is"},
		{"unknown run", []string{"42"}, "list the jobs of run 42: not found in octo/hello (HTTP 404)"},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			t.Run(tt.name+"-"+cmdtest.TTYName(tty), func(t *testing.T) {
				cmdtest.Serve(t)
				r := execCmd(t, viewCmd, tty, "", tt.args...)
				if r.err == nil || r.err.Error() != tt.wantErr {
					t.Errorf("error = %v\nwant %s", r.err, tt.wantErr)
				}
				if cmdutil.ExitCode(r.err) != 1 {
					t.Errorf("exit code %d", cmdutil.ExitCode(r.err))
				}
				if r.out != "" || r.errOut != "" {
					t.Errorf("printed %q, %q", r.out, r.errOut)
				}
			})
		}
	}
}

// TestViewJobWithoutLog: a job GitHub lists but the archive lacks (one
// skipped, say) is an error, not empty output.
func TestViewJobWithoutLog(t *testing.T) {
	s := cmdtest.Serve(t)
	s.UpdateRun(fakegh.SuccessfulRun, func(r *fakegh.Run) {
		r.Jobs = append(r.Jobs, fakegh.Job{ID: 8000001112, Name: "notify", Status: "completed", Conclusion: "skipped"})
	})
	r := execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.SuccessfulRun), "--job", "notify")
	want := "job notify (ID 8000001112) of run 7000000111 has no log in the run's log archive (it was skipped)"
	if r.err == nil || r.err.Error() != want || r.out != "" {
		t.Errorf("error = %v, stdout %q; want %s", r.err, r.out, want)
	}
	// Without --job, the jobs that have logs are printed.
	r = execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.SuccessfulRun))
	if r.err != nil || !strings.HasPrefix(r.out, "deploy\tSet up job\t") || strings.Contains(r.out, "notify") {
		t.Errorf("error = %v, stdout:\n%s", r.err, r.out)
	}
}

func TestViewNothingFailed(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{[]string{cmdtest.Arg(fakegh.SuccessfulRun), "--failed"}, "run 7000000111 has no failed jobs\n"},
		{[]string{cmdtest.Arg(fakegh.FailedRun), "--failed", "--job", "build"}, "job build of run 7000000110 did not fail (completed, success)\n"},
	} {
		s := cmdtest.Serve(t)
		r := execCmd(t, viewCmd, true, "", tt.args...)
		if r.err != nil || r.out != "" || r.errOut != tt.stderr {
			t.Errorf("%v: error %v, stdout %q, stderr %q; want stderr %q", tt.args, r.err, r.out, r.errOut, tt.stderr)
		}
		if len(s.LogRequests()) != 0 {
			t.Errorf("%v: downloaded the archive for nothing", tt.args)
		}
	}
}

// craftedRun is a completed run whose archive shows what real archives
// hold: a byte-order mark, colours, CRLF line ends, steps numbered past 9,
// a job with no step logs, a job name GitHub shortens for the file name,
// and text that tries to take over the terminal.
func craftedRun(t *testing.T, s *fakegh.Server) {
	t.Helper()
	at := cmdtest.Now.Add(-time.Hour)
	steps := func(conclusions ...string) []fakegh.Step {
		var out []fakegh.Step
		for i, c := range conclusions {
			out = append(out, fakegh.Step{Name: "step " + string(rune('A'+i)), Number: i + 1, Status: "completed", Conclusion: c, StartedAt: at, CompletedAt: at})
		}
		return out
	}
	many := steps("success", "success", "success", "success", "success", "success", "success", "success", "success", "failure")
	s.AddRuns(fakegh.Run{ID: 7000000200, Number: 1, WorkflowID: 1, Name: "CI", Event: "push", HeadBranch: "main",
		Conclusion: "failure", Actor: "monalisa", CreatedAt: at,
		Jobs: []fakegh.Job{
			{ID: 8000002001, Name: "lint", Status: "completed", Conclusion: "success", StartedAt: at, CompletedAt: at, RunnerName: "r1", Steps: steps("success")},
			{ID: 8000002002, Name: "build / linux: amd64", Status: "completed", Conclusion: "failure", StartedAt: at, CompletedAt: at, RunnerName: "r2", Steps: many},
			{ID: 8000002003, Name: "pack", Status: "completed", Conclusion: "timed_out", StartedAt: at, CompletedAt: at, RunnerName: "r3", Steps: steps("success", "cancelled")},
		},
	})
	files := map[string][]byte{
		"lint/1_step A.txt":                []byte("\ufeff2026-11-20T11:00:00Z plain line\r\n2026-11-20T11:00:01Z \x1b[31mred\x1b[0m and \x1b[1;32mbold green\x1b[m\r\n"),
		"build  linux amd64/2_step B.txt":  []byte("second\n"),
		"build  linux amd64/10_step J.txt": []byte("tenth: \x1b]0;pwned title\x07title gone, \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ kept\n\x1b[2J\x1b[Hcleared? no\nbell\a, backspace\b, nul\x00, DEL\x7f, C1 \u009b31mCSI, tab\tkept\nno newline at the end"),
		"build  linux amd64/1_step A.txt":  []byte("first\n\nafter an empty line\n"),
		"build  linux amd64/system.txt":    []byte("not a step\n"),
		"0_lint.txt":                       []byte("whole lint log\n"),
		"1_build  linux amd64.txt":         []byte("whole build log\n"),
		"2_pack.txt":                       []byte("\ufeffpack: only the whole job\rprogress 50%\rprogress 100%\n\x1b]0;unterminated title\nnext line survives\n"),
	}
	setLogs(s, 7000000200, zipOf(t, files,
		"lint/1_step A.txt", "0_lint.txt",
		"build  linux amd64/2_step B.txt", "build  linux amd64/10_step J.txt", "build  linux amd64/1_step A.txt",
		"build  linux amd64/system.txt", "1_build  linux amd64.txt", "2_pack.txt"))
}

func TestViewCrafted(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"crafted", []string{"7000000200"}},
		{"crafted-failed", []string{"7000000200", "--failed"}},
	} {
		for _, tty := range []bool{true, false} {
			name := "view-" + tt.name + "-" + cmdtest.TTYName(tty)
			t.Run(name, func(t *testing.T) {
				s := cmdtest.Serve(t)
				craftedRun(t, s)
				r := execCmd(t, viewCmd, tty, "", tt.args...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				for _, bad := range []string{"\x1b", "\r", "\a", "\b", "\x00", "\x7f", "\u009b", "\ufeff"} {
					if strings.Contains(r.out, bad) {
						t.Errorf("stdout holds %q", bad)
					}
				}
				cmdtest.Golden(t, name, r.out, r.errOut)
			})
		}
	}
}

// TestViewLongLine prints a line of several megabytes whole: a
// bufio.Scanner would stop at 64 KiB.
func TestViewLongLine(t *testing.T) {
	s := cmdtest.Serve(t)
	long := bytes.Repeat([]byte("0123456789abcdé"), 300_000) // 4.8 MB, é cut across buffers
	files := map[string][]byte{"build/1_Set up job.txt": append(append([]byte("short\n"), long...), "\nlast\n"...)}
	setLogs(s, fakegh.FailedRun, zipOf(t, files, "build/1_Set up job.txt"))
	r := execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.FailedRun))
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := "build\tSet up job\tshort\nbuild\tSet up job\t" + string(long) + "\nbuild\tSet up job\tlast\n"
	if r.out != want {
		t.Errorf("got %d bytes, want %d", len(r.out), len(want))
	}
}

// TestViewTempFile: the archive's temporary file is gone afterwards, on
// success and on failure.
func TestViewTempFile(t *testing.T) {
	cmdtest.Serve(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.FailedRun))
	execCmd(t, viewCmd, false, "", cmdtest.Arg(fakegh.SkippedRun))
	if names := dirList(t, tmp); len(names) != 0 {
		t.Errorf("left behind %v", names)
	}
}

// TestViewWriteError stops at a closed pipe instead of reading on.
func TestViewWriteError(t *testing.T) {
	cmdtest.Serve(t)
	ios, _, _, _ := cmdtest.Streams(false)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	ios.Out = w
	defer w.Close()
	env := cmdtest.Env(ios)
	err = cmdtest.Exec(env, NewViewCmd(env, nil), cmdtest.Arg(fakegh.FailedRun))
	if err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Errorf("error = %v, want a broken pipe", err)
	}
}
