package stats

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// statsOf runs stats' argv against the fake through the command, with no
// colour, and returns what it printed.
func statsOf(t *testing.T, c *api.Client, tty bool, noteAbove int, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Setenv("NO_COLOR", "1")
	return cmdtest.Run(tty, "", func(env *cmdutil.Env) *cobra.Command {
		return NewCmd(env, func(ctx context.Context, o *Options) error {
			o.Client = c
			if noteAbove > 0 {
				o.NoteAbove = noteAbove
			}
			return run(ctx, o)
		})
	}, args...)
}

// tsv splits a pipe's output into rows of cells, keyed by their first cells.
func tsv(t *testing.T, out string, keyCells int) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		cells := strings.Split(line, "\t")
		rows[strings.Join(cells[:keyCells], "/")] = cells[keyCells:]
	}
	return rows
}

func ms(d time.Duration) string { return fmt.Sprint(d.Milliseconds()) }

// In the seed a run starts 4s after its creation, its jobs 3s after it
// starts, and each job lasts the time the seed gives it; a run lasts 3s
// plus its longest job.
const jobDelay = 3 * time.Second

func TestStatsByWorkflow(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, stderr, err := statsOf(t, c, false, 0)
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	got := tsv(t, stdout, 1)
	// CI: 57 in progress, 56 queued, 55 failed (2nd attempt, test 3m20s),
	// 54 success (longest job 4m30s), 53 success (2m5s), 52 success (2m).
	// Sorted durations 2m3s, 2m8s, 3m23s, 4m33s: p50 is the 2nd, p90 the
	// 4th. Queue: the first attempts started (57, 54, 53, 52), 4s each; the
	// queued run and the rerun (55) have none.
	ci := []string{"6", "75.0", "1", "0",
		ms(jobDelay + 2*time.Minute + 5*time.Second), ms(jobDelay + 4*time.Minute + 30*time.Second), ms(jobDelay + 4*time.Minute + 30*time.Second),
		ms(4 * time.Second), ms(4 * time.Second)}
	// Deploy: 14 success (2m10s), 13 skipped (no job ran: no duration), 12
	// startup failure (no jobs): one success of three, one failure.
	deploy := []string{"3", "33.3", "1", "0",
		ms(jobDelay + 2*time.Minute + 10*time.Second), ms(jobDelay + 2*time.Minute + 10*time.Second), ms(jobDelay + 2*time.Minute + 10*time.Second),
		ms(4 * time.Second), ms(4 * time.Second)}
	// Nightly: 200 cancelled (12m), 199 timed out (60m, a failure).
	nightly := []string{"2", "0.0", "1", "1",
		ms(jobDelay + 12*time.Minute), ms(jobDelay + 60*time.Minute), ms(jobDelay + 60*time.Minute),
		ms(4 * time.Second), ms(4 * time.Second)}
	// Two workflows are named Lint: their files tell them apart.
	lint := []string{"1", "100.0", "0", "0", ms(jobDelay + 40*time.Second), ms(jobDelay + 40*time.Second), ms(jobDelay + 40*time.Second),
		ms(4 * time.Second), ms(4 * time.Second)}
	strict := []string{"1", "0.0", "1", "0", ms(jobDelay + 55*time.Second), ms(jobDelay + 55*time.Second), ms(jobDelay + 55*time.Second),
		ms(4 * time.Second), ms(4 * time.Second)}
	want := map[string][]string{"CI": ci, "Deploy": deploy, "Nightly": nightly, "Lint (lint.yml)": lint, "Lint (lint-strict.yml)": strict}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %d workflows", got, len(want))
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	if strings.Contains(stderr, "reading the jobs") {
		t.Errorf("stderr %q, want no note for 13 requests", stderr)
	}
}

func TestStatsByJob(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, stderr, err := statsOf(t, c, false, 0, "--by", "job", "-w", "ci.yml")
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	got := tsv(t, stdout, 2)
	// build: CI#55 both attempts (95s each), #57 (90s), #53 (80s), #52
	// (75s); p50 is the 3rd of 5, p90 the 5th.
	build := []string{"5", "0", "0", ms(90 * time.Second), ms(95 * time.Second), ms(95 * time.Second)}
	// test: CI#55 failed in both attempts (3m20s), #53 (2m5s), #52 (2m);
	// #57's is still running. Failing twice on one commit is not flaky.
	test := []string{"4", "2", "0", ms(2*time.Minute + 5*time.Second), ms(3*time.Minute + 20*time.Second), ms(3*time.Minute + 20*time.Second)}
	// CI#54's jobs ran once each.
	want := map[string][]string{
		"CI/build": build, "CI/test": test,
		"CI/build-linux":   {"1", "0", "0", ms(2 * time.Minute), ms(2 * time.Minute), ms(2 * time.Minute)},
		"CI/build-macos":   {"1", "0", "0", ms(4*time.Minute + 30*time.Second), ms(4*time.Minute + 30*time.Second), ms(4*time.Minute + 30*time.Second)},
		"CI/build-windows": {"1", "0", "0", ms(3 * time.Minute), ms(3 * time.Minute), ms(3 * time.Minute)},
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %d jobs", got, len(want))
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	// Slowest first, by p90.
	first, _, _ := strings.Cut(stdout, "\n")
	if !strings.HasPrefix(first, "CI\tbuild-macos\t") {
		t.Errorf("first row %q, want the slowest job, build-macos", first)
	}
}

// TestStatsRequests checks that stats reads the jobs of each attempt of
// each run once, and says how many requests it makes above its threshold.
func TestStatsRequests(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	_, stderr, err := statsOf(t, c, false, 3, "-w", "ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Requests() {
		got = append(got, r.Method+" "+r.Path)
	}
	slices.Sort(got)
	want := []string{
		"GET /repos/octo/hello/actions/runs/7000000102/attempts/1/jobs",
		"GET /repos/octo/hello/actions/runs/7000000103/attempts/1/jobs",
		"GET /repos/octo/hello/actions/runs/7000000106/attempts/1/jobs",
		"GET /repos/octo/hello/actions/runs/7000000110/attempts/1/jobs",
		"GET /repos/octo/hello/actions/runs/7000000110/attempts/2/jobs",
		"GET /repos/octo/hello/actions/runs/7000000112/attempts/1/jobs",
		"GET /repos/octo/hello/actions/runs/7000000113/attempts/1/jobs",
		"GET /repos/octo/hello/actions/workflows/ci.yml/runs",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if wantNote := "reading the jobs of 6 runs: 7 requests (-L caps the runs read)\n"; !strings.HasSuffix(stderr, wantNote) {
		t.Errorf("stderr %q, want %q", stderr, wantNote)
	}

	// -L caps the runs read: the two newest.
	s2, c2 := cmdtest.Fake(t, 8)
	if _, _, err := statsOf(t, c2, false, 0, "-w", "ci.yml", "-L", "2"); err != nil {
		t.Fatal(err)
	}
	jobs := 0
	for _, r := range s2.Requests() {
		if strings.HasSuffix(r.Path, "/jobs") {
			jobs++
		}
	}
	if jobs != 2 {
		t.Errorf("-L 2 read the jobs of %d runs, want 2", jobs)
	}
}

// TestStatsDefaultWindow checks that without a time filter only the last
// 30 days count, and that a time filter replaces that window.
func TestStatsDefaultWindow(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	// A CI run 40 days before now, outside the default window.
	old := cmdtest.Now.Add(-40 * 24 * time.Hour)
	s.AddRuns(fakegh.Run{ID: 7000000090, Number: 40, WorkflowID: 1, Name: "CI", HeadBranch: "main", HeadSHA: strings.Repeat("a", 40),
		Event: "push", Status: "completed", Conclusion: "success", Actor: "monalisa", CreatedAt: old, StartedAt: old, UpdatedAt: old.Add(time.Minute)})
	for _, tt := range []struct {
		args []string
		runs string
	}{
		{nil, "6"},
		{[]string{"--newer-than", "60d"}, "7"},
		{[]string{"--created", "<2026-11-01"}, "1"},
	} {
		stdout, _, err := statsOf(t, c, false, 0, append([]string{"-w", "ci.yml"}, tt.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		if got := tsv(t, stdout, 1)["CI"]; len(got) == 0 || got[0] != tt.runs {
			t.Errorf("%v: CI row %q, want %s runs", tt.args, got, tt.runs)
		}
	}
}

// TestStatsFlaky seeds a commit whose test job failed, then passed on a
// second run of the same commit: the job is flaky once.
func TestStatsFlaky(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	sha := strings.Repeat("f", 40)
	at := cmdtest.Now.Add(-3 * time.Hour)
	runOf := func(id int64, created time.Time, conclusion string) fakegh.Run {
		start := created.Add(2 * time.Second)
		return fakegh.Run{ID: id, Number: int(id % 1000), WorkflowID: 1, Name: "CI", HeadBranch: "flaky", HeadSHA: sha, Event: "push",
			Status: "completed", Conclusion: conclusion, Actor: "monalisa", CreatedAt: created, StartedAt: start, UpdatedAt: start.Add(time.Minute),
			Jobs: []fakegh.Job{{ID: 9000000000 + id%1000, Name: "test", Status: "completed", Conclusion: conclusion,
				StartedAt: start, CompletedAt: start.Add(time.Minute), Labels: []string{"ubuntu-latest"}, RunnerName: "GitHub Actions 1"}}}
	}
	s.AddRuns(runOf(7000000091, at, "failure"), runOf(7000000092, at.Add(30*time.Minute), "success"))

	stdout, stderr, err := statsOf(t, c, false, 0, "--by", "job", "-b", "flaky")
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	want := []string{"2", "1", "1", ms(time.Minute), ms(time.Minute), ms(time.Minute)}
	if got := tsv(t, stdout, 2)["CI/test"]; !slices.Equal(got, want) {
		t.Errorf("CI/test %q, want %q", got, want)
	}

	// A success before the failure is no flake: the job broke.
	s.AddRuns(runOf(7000000091, at, "success"), runOf(7000000092, at.Add(30*time.Minute), "failure"))
	stdout, _, err = statsOf(t, c, false, 0, "--by", "job", "-b", "flaky", "--json", "job,runs,failures,flaky")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	wantJSON := []map[string]any{{"job": "test", "runs": 2.0, "failures": 1.0, "flaky": 0.0}}
	if fmt.Sprint(rows) != fmt.Sprint(wantJSON) {
		t.Errorf("json %v, want %v", rows, wantJSON)
	}
}

// TestStatsTTY checks the table a person reads, and the summary lines of
// --by job.
func TestStatsTTY(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, _, err := statsOf(t, c, true, 0, "-w", "ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "WORKFLOW") || strings.Join(strings.Fields(lines[1]), " ") != "CI 6 75% 1 0 2m8s 4m33s 4m33s 4s 4s" {
		t.Errorf("table:\n%s", stdout)
	}
	// Then the steps, from the seed's: each job's middle step lasts the
	// job's time less 3s. Run test: 3m17s twice (CI#55), 2m2s, 1m57s.
	if _, steps, _ := strings.Cut(stdout, "\n\n"); steps != `SLOWEST STEPS                           RUNS  FAILED  P50    P90
CI / build-macos / Run build-macos      1     0       4m27s  4m27s
CI / test / Run test                    4     2       2m2s   3m17s
CI / build-windows / Run build-windows  1     0       2m57s  2m57s
CI / build-linux / Run build-linux      1     0       1m57s  1m57s
CI / build / Run build                  5     0       1m27s  1m32s

MOST OFTEN FAILING STEPS  RUNS  FAILED  P50   P90
CI / test / Run test      4     2       2m2s  3m17s
` {
		t.Errorf("steps:\n%s", steps)
	}
	stdout, _, err = statsOf(t, c, true, 0, "-w", "ci.yml", "--by", "job")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Slowest job: CI / build-macos (p90 4m30s)\n", "Most often failing job: CI / test (2 of 4 runs)\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestStatsStepsLabels: Lint's two workflows are told apart among the
// failing steps, though lint.yml's step is not among them.
func TestStatsStepsLabels(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, _, err := statsOf(t, c, true, 0, "--by", "job")
	if err != nil {
		t.Fatal(err)
	}
	if _, failing, _ := strings.Cut(stdout, "MOST OFTEN FAILING STEPS"); !strings.Contains(failing, "\nLint (lint-strict.yml) / lint-strict / Run") {
		t.Errorf("failing steps:\n%s", failing)
	}
}

func TestStatsFlags(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	if _, _, err := statsOf(t, c, false, 0, "--by", "os"); err == nil || !strings.Contains(err.Error(), `invalid --by "os"`) {
		t.Errorf("--by os: %v, want an invalid --by error", err)
	}
	if _, _, err := statsOf(t, c, false, 0, "123"); err == nil {
		t.Error("a run ID: no error, want a usage error")
	}
}

// TestStatsFitsTerminal: on terminals of 80 and 120 columns no line of
// stats' tables or summary wraps, with a long workflow and job name.
func TestStatsFitsTerminal(t *testing.T) {
	for _, width := range cmdtest.Widths {
		for _, by := range groupings {
			cmdtest.Isolate(t)
			s, c := cmdtest.Fake(t, 8)
			s.UpdateRun(7000000110, func(r *fakegh.Run) {
				r.Name = strings.Repeat("Continuous integration ", 5)
				r.Jobs[1].Name = strings.Repeat("integration tests ", 5)
			})
			stdout, _, err := cmdtest.RunAtWidth(width, func(env *cmdutil.Env) *cobra.Command {
				return NewCmd(env, func(ctx context.Context, o *Options) error {
					o.Client = c
					return run(ctx, o)
				})
			}, "--by", by)
			if err != nil {
				t.Fatal(err)
			}
			cmdtest.CheckFits(t, stdout, width)
			if !strings.Contains(stdout, "Nightly") {
				t.Errorf("%d columns, --by %s: Nightly missing:\n%s", width, by, stdout)
			}
		}
	}
}

// TestStatsFlakyRerun: CI#55's test job failed in its first attempt; made
// to pass in the second, it is flaky once, and the run counts as a success.
func TestStatsFlakyRerun(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	s.UpdateRun(fakegh.FailedRun, func(r *fakegh.Run) {
		r.Conclusion = "success"
		r.Job("test").Conclusion = "success"
	})
	stdout, stderr, err := statsOf(t, c, false, 0, "--by", "job", "-w", "ci.yml")
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	// Test: 3m20s in both attempts of CI#55, 2m5s in #53, 2m in #52; one
	// failure, on CI#55's first attempt.
	want := []string{"4", "1", "1", ms(2*time.Minute + 5*time.Second), ms(3*time.Minute + 20*time.Second), ms(3*time.Minute + 20*time.Second)}
	if got := tsv(t, stdout, 2)["CI/test"]; !slices.Equal(got, want) {
		t.Errorf("CI/test %q, want %q", got, want)
	}
	// Build passed in both attempts: not flaky.
	if got := tsv(t, stdout, 2)["CI/build"]; len(got) < 3 || got[2] != "0" {
		t.Errorf("CI/build %q, want no flake", got)
	}
}
