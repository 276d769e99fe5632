package fakegh

import (
	"fmt"
	"net/http"
	"strconv"
)

// findJob finds a job by ID in every attempt of every run, with the attempt
// that ran it.
func (s *Server) findJob(id string) (Run, Job, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return Run{}, Job{}, false
	}
	for _, rs := range s.runs {
		attempts := []Run{rs.Run}
		for _, r := range rs.earlier {
			attempts = append(attempts, r)
		}
		for _, r := range attempts {
			for _, j := range r.Jobs {
				if j.ID == n {
					return r, j, true
				}
			}
		}
	}
	return Run{}, Job{}, false
}

// getJob serves GET …/actions/jobs/{job_id}: one job, of whichever attempt ran it.
func (s *Server) getJob(c *call) response {
	r, j, ok := s.findJob(c.vars["job_id"])
	if !ok {
		return notFound(c.doc)
	}
	if r.Attempt == 0 {
		r.Attempt = 1
	}
	return jsonResponse(http.StatusOK, s.renderer().job(r, j))
}

// listAnnotations serves GET /repos/{owner}/{repo}/check-runs/{id}/annotations: a
// job is a check run of the same ID. A token that cannot read checks gets 403.
func (s *Server) listAnnotations(c *call) response {
	if s.ChecksDenied {
		return errorResponse(http.StatusForbidden, "Resource not accessible by personal access token", c.doc)
	}
	r, j, ok := s.findJob(c.vars["check_run_id"])
	if !ok {
		return notFound(c.doc)
	}
	as := j.Annotations
	if as == nil && j.Conclusion == "failure" {
		// GitHub annotates each failed step of a failed job this way.
		for _, st := range j.Steps {
			if st.Conclusion == "failure" {
				as = append(as, Annotation{Path: ".github", StartLine: 1, EndLine: 1, Level: "failure",
					Message: "Process completed with exit code 1."})
			}
		}
	}
	items := make([]any, 0, len(as))
	for _, a := range as {
		items = append(items, map[string]any{
			"path":             a.Path,
			"blob_href":        fmt.Sprintf("https://github.com/%s/%s/blob/%s/%s", s.Owner, s.Repo, r.HeadSHA, a.Path),
			"start_line":       a.StartLine,
			"start_column":     nil,
			"end_line":         a.EndLine,
			"end_column":       nil,
			"annotation_level": a.Level,
			"title":            a.Title,
			"message":          a.Message,
			"raw_details":      nil,
		})
	}
	return jsonResponse(http.StatusOK, items)
}
