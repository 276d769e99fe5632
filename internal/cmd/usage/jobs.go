package usage

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
)

// Where a run's figures came from.
const (
	sourceTiming = "timing" // GitHub's timing endpoint
	sourceJobs   = "jobs"   // computed from the run's jobs
	// sourcePublic is computed from the jobs of a run in a public
	// repository, where GitHub's standard runners are not billed.
	sourcePublic = "public"
)

// empty reports whether the timing endpoint carries no billable time: it
// answers zero under GitHub's newer billing platform, and for public
// repositories zero with job counts.
func empty(u *api.Usage) bool {
	if u == nil {
		return true
	}
	for _, b := range u.Billable {
		if b.TotalMS > 0 {
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

// standardLabel matches the labels of GitHub's standard hosted runners
// (ubuntu-latest, ubuntu-24.04-arm, windows-2025, macos-15, …); larger
// runners carry names of their owners' choosing, or a size suffix
// (macos-15-xlarge), and are billed even for public repositories.
var standardLabel = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(ubuntu|windows|macos)-(latest|[0-9][0-9.]*)(-arm)?$`)
})

// standard reports whether a job ran on one of GitHub's standard runners.
func standard(labels []string) bool {
	return len(labels) > 0 && slices.ContainsFunc(labels, func(l string) bool {
		return standardLabel().MatchString(strings.ToLower(l))
	})
}

// fromJobs computes a run's billable time as GitHub bills it: each finished
// job on a GitHub-hosted runner, rounded up to the whole minute; for a run of
// a public repository, only jobs on larger runners. The run lasted from its
// start to its last job's end.
func fromJobs(r api.Run, jobs []api.Job, public bool, now time.Time) *api.Usage {
	u := &api.Usage{Billable: map[string]api.OSUsage{}}
	for _, j := range jobs {
		os := runnerOS(j.Labels)
		if os == "" || j.StartedAt.IsZero() || j.CompletedAt.IsZero() || public && standard(j.Labels) {
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
	if r.Completed() {
		if d, ok := api.RunElapsed(r, jobs, now); ok {
			u.RunDurationMS = d.Milliseconds()
		}
	}
	return u
}

// cost estimates the price of billable milliseconds on one system.
func cost(os string, ms int64, prices map[string]float64) float64 {
	return float64(ms) / float64(time.Minute/time.Millisecond) * prices[os]
}
