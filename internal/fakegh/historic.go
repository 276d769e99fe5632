package fakegh

import (
	"fmt"
	"time"
)

// SeedHistoric adds runs in the shapes the real GitHub serves but Seed's do
// not have, each built from the fake's own data (IDs workflow, what it shows):
//
//	6000000001 Build (11)   a run from 2020: no name, display_title, run_attempt, run_started_at or actor; its job has no run_attempt
//	6000000002 Release (12) startup_failure whose name is its workflow's file path; no jobs
//	6000000003 CI (1)       a 2m27s run whose updated_at GitHub moved 400 days on
//	6000000004 CI (1)       timing answers zero billable time with job counts, as for a public repository
//	6000000005 CI (1)       two jobs both named "build"; the archive names the second "build (1)"
//	6000000006 CI (1)       stuck: still in progress 40 days after it started, past GitHub's 35-day limit
//
// They are older than Seed's runs, so the two datasets can be loaded together.
func SeedHistoric(s *Server) {
	s.AddWorkflows(
		Workflow{ID: 11, Name: "Build", Path: ".github/workflows/build.yml"},
		Workflow{ID: 12, Name: "Release", Path: ".github/workflows/release.yml"},
	)
	if _, ok := s.workflowByID(1); !ok {
		s.AddWorkflows(Workflow{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"})
	}
	run := func(id, wf int64, name, title string, created time.Time, jobs ...Job) Run {
		r := Run{ID: id, Number: int(id % 100), Attempt: 1, WorkflowID: wf, Name: name, DisplayTitle: title,
			HeadBranch: "main", HeadSHA: hexHash(fmt.Sprint("historic commit ", id)), Event: "push",
			Status: "completed", Conclusion: "success", Actor: "monalisa",
			CreatedAt: created, StartedAt: created.Add(3 * time.Second), Jobs: jobs}
		end := r.StartedAt
		for _, j := range jobs {
			if j.CompletedAt.After(end) {
				end = j.CompletedAt
			}
		}
		r.UpdatedAt = end.Add(time.Second)
		r.Usage = usageOf(r)
		r.Logs = logArchive(r)
		return r
	}
	job := func(id int64, name string, start time.Time, d time.Duration, label string) Job {
		return simpleJob(id, name, "success", start, d, label)
	}

	t1 := time.Date(2020, 5, 21, 2, 10, 0, 0, time.UTC)
	legacy := run(6000000001, 11, "Build", "", t1, job(6000000011, "build", t1.Add(5*time.Second), 2*time.Minute+20*time.Second, "ubuntu-latest"))
	legacy.Legacy = true
	legacy.Actor = "Mona Lisa Octocat" // only the head commit's author names someone
	legacy.CommitMessage = "Speed up the parser\n\nIt read every file twice."

	t2 := SeedBase.Add(-40 * 24 * time.Hour)
	startup := run(6000000002, 12, ".github/workflows/release.yml", "Release v2.0.0", t2)
	startup.Conclusion = "startup_failure"
	startup.Usage, startup.Logs = &Usage{}, nil

	t3 := SeedBase.Add(-406 * 24 * time.Hour)
	stale := run(6000000003, 1, "CI", "Tidy the README", t3, job(6000000031, "build", t3.Add(5*time.Second), 2*time.Minute+20*time.Second, "ubuntu-latest"))
	stale.UpdatedAt = stale.StartedAt.Add(400 * 24 * time.Hour)

	t4 := SeedBase.Add(-30 * 24 * time.Hour)
	zero := run(6000000004, 1, "CI", "Test on macOS too", t4,
		job(6000000041, "test-linux", t4.Add(5*time.Second), 90*time.Second, "ubuntu-latest"),
		job(6000000042, "test-macos", t4.Add(5*time.Second), 3*time.Minute+10*time.Second, "macos-14"))
	zero.Usage = &Usage{Ubuntu: &UsageOS{Jobs: 1}, MacOS: &UsageOS{Jobs: 1}, RunDurationMS: zero.UpdatedAt.Sub(zero.StartedAt).Milliseconds()}

	t5 := SeedBase.Add(-35 * 24 * time.Hour)
	twins := run(6000000005, 1, "CI", "Build on two Go versions", t5,
		job(6000000051, "build", t5.Add(5*time.Second), 70*time.Second, "ubuntu-latest"),
		job(6000000052, "build", t5.Add(6*time.Second), 80*time.Second, "ubuntu-latest"))

	// GitHub ends a run after 35 days, yet runs stuck as in progress (or
	// queued) for weeks are a common report; an old answer replayed later
	// reads the same.
	t6 := SeedBase.Add(-40 * 24 * time.Hour)
	stuck := run(6000000006, 1, "CI", "Wait for the deploy lock", t6)
	stuck.Status, stuck.Conclusion = "in_progress", ""
	stuck.UpdatedAt = stuck.StartedAt
	stuck.Usage, stuck.Logs = &Usage{}, nil

	s.AddRuns(legacy, startup, stale, zero, twins, stuck)
}

// workflowByID returns a workflow the server knows.
func (s *Server) workflowByID(id int64) (Workflow, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.workflows[id]
	return w, ok
}
