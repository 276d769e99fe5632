package fakegh

import (
	"fmt"
	"strings"
	"time"
)

// GenerateRuns returns n runs with IDs firstID, firstID+1, ..., run i created i
// minutes before base, so that run 0 is the newest and run numbers grow with time.
// Each is a completed, successful push to main of workflow 1 "CI" by monalisa, with
// one ubuntu-latest job "build" (ID: the run's ID*10+1) of three steps, its usage,
// and no logs. edit, when not nil, may change each run before it is returned.
func GenerateRuns(n int, firstID int64, base time.Time, edit func(i int, r *Run)) []Run {
	runs := make([]Run, n)
	for i := range runs {
		id := firstID + int64(i)
		created := base.Add(-time.Duration(i) * time.Minute)
		started := created.Add(5 * time.Second)
		job := simpleJob(id*10+1, "build", "success", started, 50*time.Second, "ubuntu-latest")
		r := Run{
			ID:           id,
			Number:       n - i,
			Attempt:      1,
			WorkflowID:   1,
			Name:         "CI",
			DisplayTitle: fmt.Sprintf("Generated change %d", n-i),
			HeadBranch:   "main",
			HeadSHA:      hexHash(fmt.Sprint("commit ", id)),
			Event:        "push",
			Status:       "completed",
			Conclusion:   "success",
			Actor:        "monalisa",
			CreatedAt:    created,
			StartedAt:    started,
			UpdatedAt:    job.CompletedAt,
			Jobs:         []Job{job},
		}
		r.Usage = usageOf(r)
		if edit != nil {
			edit(i, &r)
		}
		runs[i] = r
	}
	return runs
}

// simpleJob is a job that ran on a GitHub-hosted runner for d, its middle step
// deciding its conclusion ("" while it runs).
func simpleJob(id int64, name, conclusion string, start time.Time, d time.Duration, label string) Job {
	end := start.Add(d)
	status := "completed"
	if conclusion == "" {
		status = "in_progress"
	}
	steps := []Step{
		{Name: "Set up job", Number: 1, Status: "completed", Conclusion: "success", StartedAt: start, CompletedAt: start.Add(2 * time.Second)},
		{Name: "Run " + name, Number: 2, Status: status, Conclusion: conclusion, StartedAt: start.Add(2 * time.Second), CompletedAt: end.Add(-time.Second)},
		{Name: "Complete job", Number: 3, Status: "completed", Conclusion: "success", StartedAt: end.Add(-time.Second), CompletedAt: end},
	}
	j := Job{ID: id, Name: name, Status: status, Conclusion: conclusion, StartedAt: start, CompletedAt: end,
		Labels: []string{label}, RunnerName: "GitHub Actions " + fmt.Sprint(id%100), Steps: steps}
	switch conclusion {
	case "":
		j.CompletedAt = time.Time{}
		j.Steps[1].CompletedAt = time.Time{}
		j.Steps[2] = Step{Name: "Complete job", Number: 3, Status: "queued"}
	case "skipped", "cancelled":
		j.Steps[1].Conclusion, j.Steps[2].Conclusion = conclusion, "skipped"
		if conclusion == "skipped" {
			j.RunnerName, j.Steps = "", nil
		}
	}
	return j
}

// usageOf computes what GET …/timing reports for a completed run from its jobs:
// each finished job bills its duration rounded up to whole minutes, per runner
// operating system (from the first label: ubuntu-*, macos-*, windows-*; others count
// as Ubuntu), and the run lasted from StartedAt to UpdatedAt. It returns nil for a
// run that is not completed, whose timing GitHub does not have yet.
func usageOf(r Run) *Usage {
	if r.Status != "completed" {
		return nil
	}
	u := &Usage{RunDurationMS: r.UpdatedAt.Sub(r.StartedAt).Milliseconds()}
	for _, j := range r.Jobs {
		if j.StartedAt.IsZero() || j.CompletedAt.IsZero() || j.RunnerName == "" {
			continue
		}
		os := &u.Ubuntu
		if len(j.Labels) > 0 {
			switch l := strings.ToLower(j.Labels[0]); {
			case strings.HasPrefix(l, "macos"):
				os = &u.MacOS
			case strings.HasPrefix(l, "windows"):
				os = &u.Windows
			}
		}
		if *os == nil {
			*os = &UsageOS{}
		}
		ms := j.CompletedAt.Sub(j.StartedAt).Milliseconds()
		ms = (ms + 59_999) / 60_000 * 60_000
		(*os).TotalMS += ms
		(*os).Jobs++
		(*os).JobRuns = append((*os).JobRuns, JobRun{JobID: j.ID, DurationMS: ms})
	}
	return u
}

// slug turns a workflow name into a file name: "Build & Test" → "build-test".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		return "workflow"
	}
	return s
}
