package fakegh

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// listRuns serves both run listings, newest first (created_at, then id, descending).
func (s *Server) listRuns(c *call) response {
	var wid int64
	if ref, ok := c.vars["workflow_id"]; ok {
		w, found := s.findWorkflow(ref)
		if !found {
			return notFound(c.doc)
		}
		wid = w.ID
	}
	f := filterOf(c.r, wid)
	var matched []*runState
	for _, rs := range s.runs {
		if f.match(&rs.Run) {
			matched = append(matched, rs)
		}
	}
	slices.SortFunc(matched, func(a, b *runState) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})

	// Past the cap GitHub serves nothing more, and its docs do not say what
	// total_count is there: the fake reports the true count, so that a client can
	// say how many runs it could not reach.
	reachable := len(matched)
	if f.capped {
		reachable = min(reachable, searchCap)
	}
	p := pageOf(c.r)
	lo, hi := p.slice(reachable)
	rd := s.renderer()
	items := make([]any, 0, hi-lo)
	for _, rs := range matched[lo:hi] {
		items = append(items, rd.run(rs.Run, s.workflowOf(rs.Run)))
	}
	res := jsonResponse(http.StatusOK, map[string]any{"total_count": len(matched), "workflow_runs": items})
	s.setLink(&res, c.r, p, reachable)
	for _, rs := range matched[lo:hi] {
		if rs.Legacy {
			res.expected = []string{legacyViolation}
		}
	}
	return res
}

// getRun serves a run, or one of its attempts.
func (s *Server) getRun(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	r := rs.Run
	if a, ok := c.vars["attempt_number"]; ok {
		if r, ok = rs.attempt(a); !ok {
			return notFound(c.doc)
		}
	}
	res := jsonResponse(http.StatusOK, s.renderer().run(r, s.workflowOf(r)))
	if r.Legacy {
		res.expected = []string{legacyViolation}
	}
	return res
}

// cancelRun serves cancel and force-cancel, which the fake does not tell apart:
// it has no always() jobs to keep running. A run that was not completed becomes
// completed/cancelled at once, with its unfinished jobs and steps.
func (s *Server) cancelRun(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	if rs.Status == "completed" {
		return errorResponse(http.StatusConflict, "Cannot cancel a workflow run that is completed.", c.doc)
	}
	rs.Status, rs.Conclusion, rs.UpdatedAt = "completed", "cancelled", c.now
	for i := range rs.Jobs {
		j := &rs.Jobs[i]
		if j.Status == "completed" {
			continue
		}
		j.Status, j.Conclusion, j.CompletedAt = "completed", "cancelled", c.now
		for k := range j.Steps {
			st := &j.Steps[k]
			if st.Status != "completed" {
				st.Status, st.Conclusion, st.CompletedAt = "completed", "cancelled", c.now
			}
		}
	}
	return jsonResponse(http.StatusAccepted, struct{}{})
}

// rerunRun serves rerun and rerun-failed-jobs: the current attempt is kept for
// GET …/attempts/{n}, and a new queued attempt starts with no logs and no usage.
func (s *Server) rerunRun(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	if len(c.body) > 0 {
		var opts map[string]any
		if err := json.Unmarshal(c.body, &opts); err != nil {
			return errorResponse(http.StatusBadRequest, "Problems parsing JSON", c.doc)
		}
		if v, ok := opts["enable_debug_logging"]; ok {
			if _, isBool := v.(bool); !isBool {
				return errorResponse(http.StatusUnprocessableEntity,
					fmt.Sprintf("Invalid request.\n\nFor 'properties/enable_debug_logging', %s is not a boolean.", jsonText(v)), c.doc)
			}
		}
	}
	if rs.Status != "completed" {
		// GitHub answers 403 to a rerun of an unfinished run (cli/cli#9221); the
		// message is the fake's.
		return errorResponse(http.StatusForbidden, "This workflow is already running", c.doc)
	}
	failedOnly := strings.HasSuffix(c.r.URL.Path, "/rerun-failed-jobs")
	if failedOnly && !slices.ContainsFunc(rs.Jobs, failedJob) {
		// Undocumented; GitHub only offers "Re-run failed jobs" when a job failed.
		return errorResponse(http.StatusForbidden, "This workflow run has no failed jobs to re-run", c.doc)
	}

	rs.earlier[rs.Attempt] = cloneRun(rs.Run)
	nextJobID := s.maxJobID() + 1
	for i := range rs.Jobs {
		j := &rs.Jobs[i]
		if failedOnly && !failedJob(*j) {
			continue // kept, with its result, in the new attempt
		}
		*j = Job{ID: nextJobID, Name: j.Name, Status: "queued", Labels: j.Labels}
		nextJobID++
	}
	rs.Attempt++
	rs.Status, rs.Conclusion = "queued", ""
	rs.StartedAt, rs.UpdatedAt = c.now, c.now
	rs.Usage, rs.Logs = nil, nil
	return jsonResponse(http.StatusCreated, struct{}{})
}

// rerunJob starts a new attempt of the run that holds the job, in which
// that job alone runs again; the others keep their results, as on GitHub.
func (s *Server) rerunJob(c *call) response {
	id, err := strconv.ParseInt(c.vars["job_id"], 10, 64)
	if err != nil {
		return notFound(c.doc)
	}
	for _, rs := range s.runs {
		for i := range rs.Jobs {
			if rs.Jobs[i].ID != id {
				continue
			}
			if rs.Status != "completed" {
				return errorResponse(http.StatusForbidden, "This workflow is already running", c.doc)
			}
			rs.earlier[rs.Attempt] = cloneRun(rs.Run)
			j := &rs.Jobs[i]
			*j = Job{ID: s.maxJobID() + 1, Name: j.Name, Status: "queued", Labels: j.Labels}
			rs.Attempt++
			rs.Status, rs.Conclusion = "queued", ""
			rs.StartedAt, rs.UpdatedAt = c.now, c.now
			rs.Usage, rs.Logs = nil, nil
			return jsonResponse(http.StatusCreated, struct{}{})
		}
	}
	return notFound(c.doc)
}

// timing serves a run's billable time.
func (s *Server) timing(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	return jsonResponse(http.StatusOK, usageBody(rs.Usage))
}

// lookupRun finds the run named by the path. A run ID that is not a number gets
// 404, as on GitHub.
func (s *Server) lookupRun(c *call) (*runState, bool) {
	id, err := strconv.ParseInt(c.vars["run_id"], 10, 64)
	if err != nil {
		return nil, false
	}
	rs, ok := s.runs[id]
	return rs, ok
}

// attempt returns attempt a ("1", "2", ...) of the run, if it has happened.
func (rs *runState) attempt(a string) (Run, bool) {
	n, err := strconv.Atoi(a)
	if err != nil || n < 1 || n > rs.Attempt {
		return Run{}, false
	}
	if n == rs.Attempt {
		return rs.Run, true
	}
	if r, ok := rs.earlier[n]; ok {
		return r, true
	}
	// An attempt from before the run was added: the fake knows nothing of it but that
	// it finished, so it is the current run, completed.
	r := rs.Run
	r.Attempt = n
	if r.Status != "completed" {
		r.Status, r.Conclusion = "completed", "failure"
	}
	return r, true
}

// failedJob reports whether rerun-failed-jobs runs j again.
func failedJob(j Job) bool {
	switch j.Conclusion {
	case "failure", "cancelled", "timed_out", "startup_failure":
		return true
	}
	return false
}

// maxJobID is the highest job ID of any attempt, so that rerun jobs get new IDs as on GitHub.
func (s *Server) maxJobID() int64 {
	var m int64
	for _, rs := range s.runs {
		for _, j := range rs.Jobs {
			m = max(m, j.ID)
		}
		for _, r := range rs.earlier {
			for _, j := range r.Jobs {
				m = max(m, j.ID)
			}
		}
	}
	return m
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
