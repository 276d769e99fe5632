package api

import "time"

// MaxRunTime is GitHub's limit on a workflow run, waiting and approvals
// included: "Each workflow run is limited to 35 days"
// (https://docs.github.com/en/actions/reference/limits).
const MaxRunTime = 35 * 24 * time.Hour

// RunElapsed is the run's wall-clock time and whether it is known. A run
// still going counts until now, unless it started longer ago than any run
// may last: GitHub then reports a stuck run (or the answer is stale), and
// the time is unknown. A completed run ends when its last job did,
// when jobs are given; without them, at its updated_at. GitHub moves a
// completed run's updated_at long after the run ended (a 2-minute run read a
// year later showed updated_at 13 months on), so an updated_at further from
// the start than any run may last tells nothing, and the time is unknown.
func RunElapsed(r Run, jobs []Job, now time.Time) (time.Duration, bool) {
	start := r.StartedTime()
	if !r.Completed() {
		d := now.Sub(start)
		if d > MaxRunTime {
			return 0, false
		}
		return max(d, 0).Round(time.Second), true
	}
	var end time.Time
	for _, j := range jobs {
		if j.CompletedAt.After(end) {
			end = j.CompletedAt
		}
	}
	if end.IsZero() || end.Before(start) {
		end = r.UpdatedAt
	}
	d := end.Sub(start)
	if d > MaxRunTime {
		return 0, false
	}
	return max(d, 0).Round(time.Second), true
}
