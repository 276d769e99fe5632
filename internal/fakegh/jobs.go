package fakegh

import (
	"net/http"
	"slices"
)

// listJobs serves a run's jobs: those of the latest attempt, or with filter=all
// those of every attempt the fake knows, oldest attempt first; at
// …/attempts/{n}/jobs, those of attempt n.
func (s *Server) listJobs(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	if a, ok := c.vars["attempt_number"]; ok {
		r, ok := rs.attempt(a)
		if !ok {
			return notFound(c.doc)
		}
		rs = &runState{Run: r}
	}
	type attemptJob struct {
		run Run
		job Job
	}
	var all []attemptJob
	attempts := []Run{rs.Run}
	if c.r.URL.Query().Get("filter") == "all" {
		attempts = nil
		for n := 1; n < rs.Attempt; n++ {
			if r, ok := rs.earlier[n]; ok {
				attempts = append(attempts, r)
			}
		}
		attempts = append(attempts, rs.Run)
	}
	for _, r := range attempts {
		for _, j := range r.Jobs {
			// rerun-failed-jobs carries jobs that passed into the new attempt; "all"
			// lists each job once, as of the attempt that ran it.
			if slices.ContainsFunc(all, func(a attemptJob) bool { return a.job.ID == j.ID }) {
				continue
			}
			all = append(all, attemptJob{r, j})
		}
	}
	p := pageOf(c.r)
	lo, hi := p.slice(len(all))
	rd := s.renderer()
	items := make([]any, 0, hi-lo)
	for _, aj := range all[lo:hi] {
		items = append(items, rd.job(aj.run, aj.job))
	}
	res := jsonResponse(http.StatusOK, map[string]any{"total_count": len(all), "jobs": items})
	s.setLink(&res, c.r, p, len(all))
	return res
}
