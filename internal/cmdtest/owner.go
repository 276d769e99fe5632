package cmdtest

import (
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

// OwnerLogin is the organisation ServeOwner serves.
const OwnerLogin = "acme"

// ServeOwner isolates the environment (Isolate, with no GH_REPO), starts a
// fake organisation "acme" and points ghruns at it. Its repositories, and
// their runs newest first (ID repo, minutes before Now, workflow, branch):
//
//	api     runs 9101 (10m, CI, main, failure), 9102 (40m, CI, main, success, a 3-minute job on Linux),
//	        9103 (70m, Deploy, main, success)
//	web     runs 9201 (5m, CI, main, queued), 9202 (50m, CI, dev, success, a 5-minute job on Windows)
//	secret  run 9501 (20m, CI, main, in_progress)
//	empty   public; no runs
//	locked  Actions disabled: its runs answer 404
//	old     archived; run 9301 (1m, CI, main, success)
//	fork    a fork; run 9401 (2m, CI, main, failure)
func ServeOwner(t testing.TB) *fakegh.Owner {
	t.Helper()
	Isolate(t)
	t.Setenv("GH_REPO", "")
	o := fakegh.StartOwner(t, OwnerLogin)
	run := func(id int64, wf int64, name, branch, status, conclusion string, ago time.Duration) fakegh.Run {
		return fakegh.Run{ID: id, Number: int(id % 100), WorkflowID: wf, Name: name, DisplayTitle: name + " run",
			HeadBranch: branch, HeadSHA: "0123456789abcdef0123456789abcdef01234567", Event: "push", Actor: "monalisa",
			Status: status, Conclusion: conclusion, CreatedAt: Now.Add(-ago)}
	}
	job := func(r fakegh.Run, id int64, label string, d time.Duration) fakegh.Run {
		r.Jobs = []fakegh.Job{{ID: id, Name: "build", Status: "completed", Conclusion: "success", Labels: []string{label},
			RunnerName: "GitHub Actions 1", StartedAt: r.CreatedAt, CompletedAt: r.CreatedAt.Add(d)}}
		return r
	}
	add := func(name string, runs ...fakegh.Run) *fakegh.OwnedRepo {
		r := o.AddRepo(name)
		r.Now = func() time.Time { return Now }
		r.AddRuns(runs...)
		return r
	}
	add("api",
		run(9101, 1, "CI", "main", "completed", "failure", 10*time.Minute),
		job(run(9102, 1, "CI", "main", "completed", "success", 40*time.Minute), 99102, "ubuntu-latest", 3*time.Minute),
		run(9103, 2, "Deploy", "main", "completed", "success", 70*time.Minute))
	add("web",
		run(9201, 1, "CI", "main", "queued", "", 5*time.Minute),
		job(run(9202, 1, "CI", "dev", "completed", "success", 50*time.Minute), 99202, "windows-latest", 5*time.Minute))
	add("secret", run(9501, 1, "CI", "main", "in_progress", "", 20*time.Minute))
	add("empty").Public = true
	add("locked").ActionsDisabled = true
	add("old", run(9301, 1, "CI", "main", "completed", "success", time.Minute)).Archived = true
	add("fork", run(9401, 1, "CI", "main", "completed", "failure", 2*time.Minute)).Fork = true
	t.Setenv("GHRUNS_API_URL", o.URL)
	return o
}
