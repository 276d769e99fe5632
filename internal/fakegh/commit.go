package fakegh

import "time"

// The commit SeedCommit's runs are for, on the branch CommitBranch, and
// the pull request whose head it is.
const (
	CommitSHA    = "5e1f0c3a9b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f"
	CommitBranch = "feature/retry"
	CommitPull   = 42
	// OlderCommitSHA is the commit before CommitSHA on CommitBranch.
	OlderCommitSHA = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
)

// The runs SeedCommit adds.
const (
	// CommitCIRun is CI#60 on CommitSHA, in progress: build done, test running.
	CommitCIRun = 7000000301
	// CommitLintRun is Lint#31 on CommitSHA, in progress: lint running.
	CommitLintRun = 7000000302
	// CommitDocsRun is Docs#5 on CommitSHA, completed with success.
	CommitDocsRun = 7000000303
	// OlderCommitRun is CI#59 on OlderCommitSHA, failed.
	OlderCommitRun = 7000000300
)

// SeedCommit adds, to a server seeded with Seed or not, the runs of one
// push to a branch that is a pull request's head, and of the push before:
//
//	7000000303 Docs#5   completed/success push  feature/retry  CommitSHA       12:51  job docs ✓
//	7000000302 Lint#31  in_progress       push  feature/retry  CommitSHA       12:50  job lint running
//	7000000301 CI#60    in_progress       push  feature/retry  CommitSHA       12:50  jobs build ✓, test running
//	7000000300 CI#59    completed/failure push  feature/retry  OlderCommitSHA  12:30  job test X
//
// and pull request 42 (feature/retry into main) with CommitSHA at its head.
func SeedCommit(s *Server) {
	at := SeedBase.Add(50 * time.Minute)
	ubuntu := "ubuntu-latest"
	mk := func(id, wf int64, name string, number int, sha string, created time.Time, jobs ...Job) Run {
		r := Run{ID: id, Number: number, Attempt: 1, WorkflowID: wf, Name: name, DisplayTitle: "Retry uploads that time out",
			HeadBranch: CommitBranch, HeadSHA: sha, Event: "push", Status: "in_progress", Actor: "monalisa",
			CreatedAt: created, StartedAt: created.Add(4 * time.Second), UpdatedAt: created.Add(5 * time.Second), Jobs: jobs}
		return r
	}
	job := func(id int64, name, conclusion string, start time.Time, d time.Duration) Job {
		return simpleJob(id, name, conclusion, start, d, ubuntu)
	}
	ci := mk(CommitCIRun, 1, "CI", 60, CommitSHA, at,
		job(8000003011, "build", "success", at.Add(7*time.Second), 90*time.Second),
		job(8000003012, "test", "", at.Add(100*time.Second), 0))
	lint := mk(CommitLintRun, 4, "Lint", 31, CommitSHA, at, job(8000003021, "lint", "", at.Add(8*time.Second), 0))
	docs := mk(CommitDocsRun, 6, "Docs", 5, CommitSHA, at.Add(time.Minute), job(8000003031, "docs", "success", at.Add(time.Minute+6*time.Second), 45*time.Second))
	docs.Status, docs.Conclusion, docs.UpdatedAt = "completed", "success", docs.Jobs[0].CompletedAt.Add(2*time.Second)
	docs.Logs, docs.Usage = logArchive(docs), usageOf(docs)
	older := mk(OlderCommitRun, 1, "CI", 59, OlderCommitSHA, at.Add(-20*time.Minute),
		job(8000003001, "test", "failure", at.Add(-20*time.Minute+7*time.Second), 2*time.Minute))
	older.Status, older.Conclusion, older.UpdatedAt = "completed", "failure", older.Jobs[0].CompletedAt.Add(2*time.Second)
	older.Logs, older.Usage = logArchive(older), usageOf(older)
	s.AddWorkflows(Workflow{ID: 6, Name: "Docs", Path: ".github/workflows/docs.yml"})
	s.AddRuns(ci, lint, docs, older)
	s.AddPullRequests(PullRequest{Number: CommitPull, Title: "Retry uploads that time out", HeadRef: CommitBranch,
		HeadSHA: CommitSHA, Author: "monalisa", CreatedAt: at.Add(-time.Hour)})
}

// Finish ends the run at, for UpdateRun's edit functions: every job not
// completed ends with conclusion, its running step with it and the steps
// after with success (skipped after a failure); the run ends with
// conclusion and gets its log archive and usage, as GitHub's do once a
// run completes.
func (r *Run) Finish(conclusion string, at time.Time) {
	for i := range r.Jobs {
		j := &r.Jobs[i]
		if j.Status == "completed" {
			continue
		}
		if j.StartedAt.IsZero() {
			j.StartedAt = at
		}
		if j.RunnerName == "" {
			j.RunnerName = "GitHub Actions 9"
		}
		after := "success"
		for k := range j.Steps {
			st := &j.Steps[k]
			switch {
			case st.Status == "completed":
				continue
			case st.Status == "in_progress":
				st.Conclusion = conclusion
				if conclusion != "success" {
					after = "skipped"
				}
			default:
				st.Conclusion = after
				if after == "success" {
					st.StartedAt = at
				}
			}
			st.Status, st.CompletedAt = "completed", at
		}
		j.Status, j.Conclusion, j.CompletedAt = "completed", conclusion, at
	}
	r.Status, r.Conclusion, r.UpdatedAt = "completed", conclusion, at
	r.Logs, r.Usage = logArchive(*r), usageOf(*r)
}
