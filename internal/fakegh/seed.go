package fakegh

import (
	"archive/zip"
	"bytes"
	"fmt"
	"time"
)

// SeedBase is the time Seed's dataset is built around.
var SeedBase = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// The runs Seed loads, by what tests use them for. Each is in the table on
// Seed with its workflow, event, branch, actor and time.
const (
	// InProgressRun is CI#57, in progress on main: job build done, job test running.
	InProgressRun = 7000000113
	// QueuedRun is CI#56, queued on a pull request from feature/login: its
	// one job waits for a runner.
	QueuedRun = 7000000112
	// SuccessfulRun is Deploy#14, a successful manual run (workflow_dispatch)
	// on main with one job, deploy.
	SuccessfulRun = 7000000111
	// FailedRun is CI#55 on main, failed at its second attempt (build ✓,
	// test X); its first attempt failed the same way.
	FailedRun = 7000000110
	// LintRun is Lint#30 of lint.yml, successful, on a pull request from feature/login.
	LintRun = 7000000109
	// FailedLintRun is Lint#8 of lint-strict.yml (the other workflow named
	// Lint), failed, created at the same time as LintRun.
	FailedLintRun = 7000000108
	// CancelledRun is Nightly#200, cancelled, a schedule run on main with one
	// job on windows-latest.
	CancelledRun = 7000000107
	// ReleaseRun is CI#54, successful, on release/v1.2, with three jobs on
	// ubuntu, macOS and Windows.
	ReleaseRun = 7000000106
	// SkippedRun is Deploy#13 on main: its one job was skipped; no logs.
	SkippedRun = 7000000105
	// TimedOutRun is Nightly#199 on main, timed out.
	TimedOutRun = 7000000104
	// OlderSuccessfulRun is CI#53, a successful push to main three days before SeedBase.
	OlderSuccessfulRun = 7000000103
	// DependabotRun is CI#52, successful, on a dependabot pull request ten days before SeedBase.
	DependabotRun = 7000000102
	// StartupFailureRun is Deploy#12 on main, a startup failure: no jobs, no logs.
	StartupFailureRun = 7000000101
)

// Seed loads a small, fixed dataset into s, built around SeedBase
// (2026-11-20T12:00:00Z), so that outputs are the same on every run.
//
// Workflows (ID name file):
//
//	1 CI      .github/workflows/ci.yml
//	2 Deploy  .github/workflows/deploy.yml
//	3 Nightly .github/workflows/nightly.yml
//	4 Lint    .github/workflows/lint.yml
//	5 Lint    .github/workflows/lint-strict.yml  (same name: "Lint" is ambiguous)
//
// Runs, newest first (ID workflow#number attempt, status/conclusion, event, branch, actor, created):
//
//	7000000113 CI#57       in_progress         push              main           monalisa         11:55  jobs build ✓, test running
//	7000000112 CI#56       queued              pull_request      feature/login  hubot            11:48  job build waiting for a runner
//	7000000111 Deploy#14   completed/success   workflow_dispatch main           monalisa         11:20
//	7000000110 CI#55 (2nd) completed/failure   push              main           octocat          10:50  jobs build ✓, test X; attempt 1 also failed
//	7000000109 Lint#30     completed/success   pull_request      feature/login  hubot            10:00  (lint.yml)
//	7000000108 Lint#8      completed/failure   pull_request      feature/login  hubot            10:00  (lint-strict.yml; same time, lower ID)
//	7000000107 Nightly#200 completed/cancelled schedule          main           monalisa         03:00  on windows-latest
//	7000000106 CI#54       completed/success   push              release/v1.2   octocat          11-19 12:00  jobs on ubuntu, macOS and Windows
//	7000000105 Deploy#13   completed/skipped   push              main           monalisa         11-19 10:00  job skipped, no logs
//	7000000104 Nightly#199 completed/timed_out schedule          main           monalisa         11-19 03:00
//	7000000103 CI#53       completed/success   push              main           monalisa         11-17 12:00
//	7000000102 CI#52       completed/success   pull_request      dependabot/go_modules/github.com/spf13/cobra-1.10.2  dependabot[bot]  11-10 12:00
//	7000000101 Deploy#12   completed/startup_failure push        main           monalisa         11-08 12:00  no jobs, no logs
//
// IDs are above 2^31 so that a client storing them in 32 bits fails. Jobs have IDs
// 8000000000 + (run ID - 7000000000)*10 + k (k from 1; +5 for the second attempt of
// 7000000110) and steps; completed runs have usage
// (billable per runner OS from the jobs' labels), and those in which a job ran have a
// zip log archive laid out as GitHub's (one <n>_<job>.txt per job plus <job>/<n>_<step>.txt).
//
// Artifacts (ID run name size-reported expired), each made when its run last changed;
// "test-results" and "coverage" recur across CI runs:
//
//	9000001111  Deploy#14   deploy-manifest  2,048
//	9000001101  CI#55       test-results     18,432
//	9000001102  CI#55       coverage         245,760
//	9000001071  Nightly#200 e2e-screenshots  5,242,880
//	9000001061  CI#54       dist-linux       12,582,912
//	9000001062  CI#54       dist-macos       13,107,200
//	9000001063  CI#54       dist-windows     14,155,776
//	9000001064  CI#54       test-results     20,480
//	9000001031  CI#53       test-results     17,920
//	9000001032  CI#53       coverage         240,000
//	9000001021  CI#52       test-results     16,384      expired (kept 7 days)
//	9000001022  CI#52       coverage         230,000     expired
//
// Reported sizes are those of real builds; the archives behind them are small zips of
// one file, <name>.txt.
func Seed(s *Server) {
	s.AddWorkflows(
		Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"},
		Workflow{ID: 2, Name: "Deploy", Path: ".github/workflows/deploy.yml"},
		Workflow{ID: 3, Name: "Nightly", Path: ".github/workflows/nightly.yml"},
		Workflow{ID: 4, Name: "Lint", Path: ".github/workflows/lint.yml"},
		Workflow{ID: 5, Name: "Lint", Path: ".github/workflows/lint-strict.yml"},
	)
	b := SeedBase
	day := 24 * time.Hour
	type jobSpec struct {
		name, conclusion, label string
		d                       time.Duration
	}
	mk := func(id int64, wf int64, name string, number int, title, branch, event, conclusion, actor string, created time.Time, jobs ...jobSpec) Run {
		r := Run{ID: id, Number: number, Attempt: 1, WorkflowID: wf, Name: name, DisplayTitle: title,
			HeadBranch: branch, HeadSHA: hexHash(fmt.Sprint("seed commit ", id)), Event: event,
			Status: "completed", Conclusion: conclusion, Actor: actor, CreatedAt: created, StartedAt: created.Add(4 * time.Second)}
		end := r.StartedAt
		for k, js := range jobs {
			j := simpleJob(8_000_000_000+(id-7_000_000_000)*10+int64(k+1), js.name, js.conclusion, r.StartedAt.Add(3*time.Second), js.d, js.label)
			r.Jobs = append(r.Jobs, j)
			if j.CompletedAt.After(end) {
				end = j.CompletedAt
			}
		}
		r.UpdatedAt = end.Add(2 * time.Second)
		r.Usage = usageOf(r)
		r.Logs = logArchive(r)
		return r
	}
	ubuntu := "ubuntu-latest"
	runs := []Run{
		mk(SuccessfulRun, 2, "Deploy", 14, "Deploy v1.4.0", "main", "workflow_dispatch", "success", "monalisa", b.Add(-40*time.Minute),
			jobSpec{"deploy", "success", ubuntu, 2*time.Minute + 10*time.Second}),
		mk(FailedRun, 1, "CI", 55, "Fix flaky cache test", "main", "push", "failure", "octocat", b.Add(-70*time.Minute),
			jobSpec{"build", "success", ubuntu, 95 * time.Second}, jobSpec{"test", "failure", ubuntu, 3*time.Minute + 20*time.Second}),
		mk(LintRun, 4, "Lint", 30, "Login page: remember me", "feature/login", "pull_request", "success", "hubot", b.Add(-2*time.Hour),
			jobSpec{"lint", "success", ubuntu, 40 * time.Second}),
		mk(FailedLintRun, 5, "Lint", 8, "Login page: remember me", "feature/login", "pull_request", "failure", "hubot", b.Add(-2*time.Hour),
			jobSpec{"lint-strict", "failure", ubuntu, 55 * time.Second}),
		mk(CancelledRun, 3, "Nightly", 200, "Nightly", "main", "schedule", "cancelled", "monalisa", b.Add(-9*time.Hour),
			jobSpec{"e2e", "cancelled", "windows-latest", 12 * time.Minute}),
		mk(ReleaseRun, 1, "CI", 54, "Release v1.2.1", "release/v1.2", "push", "success", "octocat", b.Add(-day),
			jobSpec{"build-linux", "success", ubuntu, 2 * time.Minute}, jobSpec{"build-macos", "success", "macos-14", 4*time.Minute + 30*time.Second},
			jobSpec{"build-windows", "success", "windows-latest", 3 * time.Minute}),
		mk(SkippedRun, 2, "Deploy", 13, "Deploy v1.3.9", "main", "push", "skipped", "monalisa", b.Add(-day-2*time.Hour),
			jobSpec{"deploy", "skipped", ubuntu, 0}),
		mk(TimedOutRun, 3, "Nightly", 199, "Nightly", "main", "schedule", "timed_out", "monalisa", b.Add(-day-9*time.Hour),
			jobSpec{"e2e", "timed_out", ubuntu, 60 * time.Minute}),
		mk(OlderSuccessfulRun, 1, "CI", 53, "Bump golang.org/x/sys", "main", "push", "success", "monalisa", b.Add(-3*day),
			jobSpec{"build", "success", ubuntu, 80 * time.Second}, jobSpec{"test", "success", ubuntu, 2*time.Minute + 5*time.Second}),
		mk(DependabotRun, 1, "CI", 52, "Bump github.com/spf13/cobra from 1.10.1 to 1.10.2", "dependabot/go_modules/github.com/spf13/cobra-1.10.2",
			"pull_request", "success", "dependabot[bot]", b.Add(-10*day),
			jobSpec{"build", "success", ubuntu, 75 * time.Second}, jobSpec{"test", "success", ubuntu, 2 * time.Minute}),
		mk(StartupFailureRun, 2, "Deploy", 12, "Deploy v1.3.8", "main", "push", "startup_failure", "monalisa", b.Add(-12*day)),
	}

	// In progress: build done, test running.
	inProgress := mk(InProgressRun, 1, "CI", 57, "Add retry to the upload step", "main", "push", "", "monalisa", b.Add(-5*time.Minute),
		jobSpec{"build", "success", ubuntu, 90 * time.Second}, jobSpec{"test", "", ubuntu, 0})
	inProgress.Status, inProgress.UpdatedAt, inProgress.Usage, inProgress.Logs = "in_progress", b.Add(-2*time.Minute), nil, nil
	// Queued: its job waits for a runner.
	queued := mk(QueuedRun, 1, "CI", 56, "Login page: remember me", "feature/login", "pull_request", "", "hubot", b.Add(-12*time.Minute))
	queued.Status, queued.Usage, queued.Logs = "queued", nil, nil
	queued.Jobs = []Job{{ID: 8000001121, Name: "build", Status: "queued", Labels: []string{ubuntu}}}
	queued.StartedAt, queued.UpdatedAt = queued.CreatedAt, queued.CreatedAt

	// CI#55's test job says where it failed, as test reporters annotate, and
	// then GitHub's own annotation of the failed step.
	runs[1].Jobs[1].Annotations = []Annotation{
		{Path: "internal/cache/cache_test.go", StartLine: 42, EndLine: 42, Level: "failure", Title: "TestCacheHit",
			Message: "TestCacheHit: expected a cache hit, got a miss"},
		{Path: ".github", StartLine: 1, EndLine: 1, Level: "failure", Message: "Process completed with exit code 1."},
	}

	// A second attempt, whose first attempt failed the same way 20 minutes earlier.
	// Its jobs got new IDs, as rerun jobs do on GitHub.
	second := &runs[1]
	first := cloneRun(*second)
	shift := 20 * time.Minute
	second.Attempt = 2
	second.StartedAt = second.StartedAt.Add(shift)
	second.UpdatedAt = second.UpdatedAt.Add(shift)
	for i := range second.Jobs {
		second.Jobs[i].ID += 5
		moveJob(&second.Jobs[i], shift)
	}
	second.Usage = usageOf(*second)
	second.Logs = logArchive(*second)

	s.AddRuns(append(runs, inProgress, queued)...)
	s.mu.Lock()
	s.runs[second.ID].earlier[1] = first
	s.mu.Unlock()
	seedArtifacts(s)
}

func moveJob(j *Job, d time.Duration) {
	shift := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.Add(d)
		}
	}
	shift(&j.StartedAt)
	shift(&j.CompletedAt)
	for i := range j.Steps {
		shift(&j.Steps[i].StartedAt)
		shift(&j.Steps[i].CompletedAt)
	}
}

// logArchive builds a run's log archive as GitHub lays it out, or nil when no job ran.
func logArchive(r Run) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	ran := false
	seen := map[string]int{}
	for k, j := range r.Jobs {
		if j.RunnerName == "" {
			continue
		}
		ran = true
		// GitHub tells apart jobs of one name by a suffix on the later ones'
		// files and folders: "build", then "build (1)".
		if n := seen[j.Name]; n > 0 {
			seen[j.Name]++
			j.Name = fmt.Sprintf("%s (%d)", j.Name, n)
		} else {
			seen[j.Name] = 1
		}
		var all bytes.Buffer
		for _, st := range j.Steps {
			var text bytes.Buffer
			at := st.StartedAt
			if at.IsZero() {
				continue
			}
			fmt.Fprintf(&text, "%s ##[group]%s\n", logTime(at), st.Name)
			fmt.Fprintf(&text, "%s %s (run %d attempt %d, job %s)\n", logTime(at.Add(time.Millisecond)), st.Name, r.ID, r.Attempt, j.Name)
			if st.Conclusion == "failure" {
				fmt.Fprintf(&text, "%s ##[error]Process completed with exit code 1.\n", logTime(at.Add(2*time.Millisecond)))
			}
			fmt.Fprintf(&text, "%s ##[endgroup]\n", logTime(at.Add(3*time.Millisecond)))
			addFile(zw, fmt.Sprintf("%s/%d_%s.txt", j.Name, st.Number, st.Name), text.Bytes(), r.UpdatedAt)
			all.Write(text.Bytes())
		}
		addFile(zw, fmt.Sprintf("%d_%s.txt", k, j.Name), all.Bytes(), r.UpdatedAt)
	}
	if err := zw.Close(); err != nil {
		panic("fakegh: build a log archive: " + err.Error())
	}
	if !ran {
		return nil
	}
	return buf.Bytes()
}

func addFile(zw *zip.Writer, name string, data []byte, mod time.Time) {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod.UTC()})
	if err == nil {
		_, err = w.Write(data)
	}
	if err != nil {
		panic("fakegh: build a log archive: " + err.Error())
	}
}

func logTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }
