package usage

import (
	"strings"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

// Where a run's figures came from.
const (
	sourceTiming = "timing" // GitHub's timing endpoint
	sourceJobs   = "jobs"   // computed from the run's jobs
)

// multipliers are GitHub's per-minute rates of each runner OS, relative to Linux.
var multipliers = map[string]float64{"UBUNTU": 1, "WINDOWS": 2, "MACOS": 10}

// empty reports whether the timing endpoint said nothing: GitHub's newer
// billing platform answers zero for every run.
func empty(u *api.Usage) bool {
	if u == nil {
		return true
	}
	for _, b := range u.Billable {
		if b.TotalMS > 0 || b.Jobs > 0 {
			return false
		}
	}
	return true
}

// runnerOS is the billed system of a job from its labels, or "" for a
// self-hosted runner, which GitHub does not bill. Other labels (larger
// runners have names of their owners' choosing) count as Linux, the most
// common kind.
func runnerOS(labels []string) string {
	for _, l := range labels {
		if strings.EqualFold(l, "self-hosted") {
			return ""
		}
	}
	for _, l := range labels {
		l = strings.ToLower(l)
		switch {
		case strings.HasPrefix(l, "macos"):
			return "MACOS"
		case strings.HasPrefix(l, "windows"):
			return "WINDOWS"
		}
	}
	return "UBUNTU"
}

// fromJobs computes a run's billable time as GitHub bills it: each finished
// job on a GitHub-hosted runner, rounded up to the whole minute.
func fromJobs(r api.Run, jobs []api.Job) *api.Usage {
	u := &api.Usage{Billable: map[string]api.OSUsage{}}
	for _, j := range jobs {
		os := runnerOS(j.Labels)
		if os == "" || j.StartedAt.IsZero() || j.CompletedAt.IsZero() {
			continue
		}
		d := j.CompletedAt.Sub(j.StartedAt)
		if d <= 0 {
			continue
		}
		ms := (d + time.Minute - time.Nanosecond).Truncate(time.Minute).Milliseconds()
		b := u.Billable[os]
		b.TotalMS += ms
		b.Jobs++
		b.JobRuns = append(b.JobRuns, api.JobRun{JobID: j.ID, DurationMS: ms})
		u.Billable[os] = b
	}
	if r.Completed() && !r.UpdatedAt.IsZero() {
		u.RunDurationMS = r.UpdatedAt.Sub(r.StartedTime()).Milliseconds()
	}
	return u
}

// cost estimates the price of billable milliseconds on one system.
func cost(os string, ms int64, pricePerMinute float64) float64 {
	return float64(ms) / float64(time.Minute/time.Millisecond) * multipliers[os] * pricePerMinute
}
