package stats

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// stepSpec is a step of a seeded job: its name, conclusion ("" while it
// runs) and seconds.
type stepSpec struct {
	name, conclusion string
	secs             int
}

// jobWithSteps is a job whose steps run one after the other from start.
func jobWithSteps(id int64, name string, start time.Time, steps ...stepSpec) fakegh.Job {
	j := fakegh.Job{ID: id, Name: name, Status: "completed", Conclusion: "success", StartedAt: start,
		Labels: []string{"ubuntu-latest"}, RunnerName: "GitHub Actions 1"}
	at := start
	for i, st := range steps {
		s := fakegh.Step{Name: st.name, Number: i + 1, Status: "completed", Conclusion: st.conclusion, StartedAt: at}
		switch st.conclusion {
		case "":
			s.Status = "in_progress"
			j.Status, j.Conclusion = "in_progress", ""
		case "skipped":
			s.CompletedAt = at
		default:
			at = at.Add(time.Duration(st.secs) * time.Second)
			s.CompletedAt = at
		}
		if st.conclusion == "failure" {
			j.Conclusion = "failure"
		}
		j.Steps = append(j.Steps, s)
	}
	if j.Status == "completed" {
		j.CompletedAt = at
	}
	return j
}

// seedSteps adds four completed CI runs and one still running on branch
// "steps", whose jobs' steps are these (seconds; X failed, - skipped):
//
//	run  test: Set up job, Run tests, Upload   lint: Set up job, Run lint   docs: Build docs
//	81   2, 100, 10                            1, 30                        1
//	82   4, 300 X, -
//	83   3, 200, 20 X                          2, 40 X
//	84   5, 150 X, -
//	85   6, (running)
func seedSteps(s *fakegh.Server) {
	at := cmdtest.Now.Add(-5 * time.Hour)
	run := func(id int64, conclusion string, jobs ...fakegh.Job) fakegh.Run {
		created := at.Add(time.Duration(id%100) * time.Minute)
		r := fakegh.Run{ID: id, Number: int(id % 100), WorkflowID: 1, Name: "CI", HeadBranch: "steps", HeadSHA: strings.Repeat("5", 40),
			Event: "push", Status: "completed", Conclusion: conclusion, Actor: "monalisa", CreatedAt: created, StartedAt: created, UpdatedAt: created.Add(10 * time.Minute)}
		for i, j := range jobs {
			j.ID = 9100000000 + id%100*10 + int64(i)
			r.Jobs = append(r.Jobs, j)
		}
		if conclusion == "" {
			r.Status = "in_progress"
		}
		return r
	}
	start := func(id int64) time.Time { return at.Add(time.Duration(id%100) * time.Minute) }
	s.AddRuns(
		run(7000000081, "success",
			jobWithSteps(0, "test", start(81), stepSpec{"Set up job", "success", 2}, stepSpec{"Run tests", "success", 100}, stepSpec{"Upload", "success", 10}),
			jobWithSteps(0, "lint", start(81), stepSpec{"Set up job", "success", 1}, stepSpec{"Run lint", "success", 30}),
			jobWithSteps(0, "docs", start(81), stepSpec{"Build docs", "success", 1})),
		run(7000000082, "failure",
			jobWithSteps(0, "test", start(82), stepSpec{"Set up job", "success", 4}, stepSpec{"Run tests", "failure", 300}, stepSpec{"Upload", "skipped", 0})),
		run(7000000083, "failure",
			jobWithSteps(0, "test", start(83), stepSpec{"Set up job", "success", 3}, stepSpec{"Run tests", "success", 200}, stepSpec{"Upload", "failure", 20}),
			jobWithSteps(0, "lint", start(83), stepSpec{"Set up job", "success", 2}, stepSpec{"Run lint", "failure", 40})),
		run(7000000084, "failure",
			jobWithSteps(0, "test", start(84), stepSpec{"Set up job", "success", 5}, stepSpec{"Run tests", "failure", 150}, stepSpec{"Upload", "skipped", 0})),
		run(7000000085, "",
			jobWithSteps(0, "test", start(85), stepSpec{"Set up job", "success", 6}, stepSpec{"Run tests", "", 0})),
	)
}

// TestStatsSteps checks the slowest and most failing steps, computed from
// the jobs already read, against figures worked out by hand over seedSteps.
func TestStatsSteps(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	seedSteps(s)

	// By hand (nearest rank: p50 of n is the ceil(n/2)-th shortest, p90
	// the ceil(0.9n)-th); skipped and unfinished steps do not count:
	//   test / Run tests    100 150 200 300      4 runs, 2 failed: p50 150s (2nd), p90 300s (4th)
	//   lint / Run lint     30 40                2 runs, 1 failed: p50 30s, p90 40s
	//   test / Upload       10 20                2 runs, 1 failed: p50 10s, p90 20s
	//   test / Set up job   2 3 4 5 6            5 runs: p50 4s (3rd), p90 6s (5th)
	//   lint / Set up job   1 2                  2 runs: p50 1s, p90 2s
	//   docs / Build docs   1                    1 run: 1s
	// Slowest by p90 in that order; the terminal shows the first 5. Most
	// failing: Run tests (2), then Run lint and Upload (1 each), the
	// slower first.
	stdout, stderr, err := statsOf(t, c, true, 0, "-b", "steps")
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	want := `
SLOWEST STEPS            RUNS  FAILED  P50   P90
CI / test / Run tests    4     2       2m30s 5m0s
CI / lint / Run lint     2     1       30s   40s
CI / test / Upload       2     1       10s   20s
CI / test / Set up job   5     0       4s    6s
CI / lint / Set up job   2     0       1s    2s

MOST OFTEN FAILING STEPS  RUNS  FAILED  P50   P90
CI / test / Run tests     4     2       2m30s 5m0s
CI / lint / Run lint      2     1       30s   40s
CI / test / Upload        2     1       10s   20s
`
	_, got, _ := strings.Cut(stdout, "\n")
	_, got, _ = strings.Cut(got, "\n")
	if squeeze(got) != squeeze(want) {
		t.Errorf("steps:\n%s\nwant:\n%s", got, want)
	}

	// JSON: every step of the workflow, slowest first, in milliseconds.
	stdout, _, err = statsOf(t, c, false, 0, "-b", "steps", "--json", "workflow,steps")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Workflow string
		Steps    []struct {
			Job, Step                                   string
			Runs, Failures                              int
			DurationP50Ms, DurationP90Ms, DurationMaxMs int64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	type row struct {
		job, step         string
		runs, failures    int
		p50, p90, maxSecs int64
	}
	wantSteps := []row{
		{"test", "Run tests", 4, 2, 150, 300, 300},
		{"lint", "Run lint", 2, 1, 30, 40, 40},
		{"test", "Upload", 2, 1, 10, 20, 20},
		{"test", "Set up job", 5, 0, 4, 6, 6},
		{"lint", "Set up job", 2, 0, 1, 2, 2},
		{"docs", "Build docs", 1, 0, 1, 1, 1},
	}
	if len(rows) != 1 || rows[0].Workflow != "CI" || len(rows[0].Steps) != len(wantSteps) {
		t.Fatalf("json: %s", stdout)
	}
	for i, w := range wantSteps {
		g := rows[0].Steps[i]
		got := row{g.Job, g.Step, g.Runs, g.Failures, g.DurationP50Ms / 1000, g.DurationP90Ms / 1000, g.DurationMaxMs / 1000}
		if got != w {
			t.Errorf("step %d: %+v, want %+v", i, got, w)
		}
	}
}

// TestStatsStepsNoFailure: with no failed step the terminal says so, and
// a pipe gets the workflow rows alone.
func TestStatsStepsNoFailure(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, _, err := statsOf(t, c, true, 0, "-w", "deploy.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "Deploy / deploy / Run deploy") || !strings.HasSuffix(stdout, "\nNo step failed.\n") {
		t.Errorf("stdout:\n%s", stdout)
	}
	stdout, _, err = statsOf(t, c, false, 0, "-w", "deploy.yml")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(stdout, "\n") != 1 || !strings.HasPrefix(stdout, "Deploy\t") {
		t.Errorf("pipe: %q, want the one workflow row", stdout)
	}
}

// squeeze collapses runs of spaces, so that a table compares by its cells.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}
