package fakegh

import (
	"cmp"
	"net/http"
	"path"
	"slices"
	"strconv"
)

// listWorkflows serves the repository's workflows by ascending ID.
func (s *Server) listWorkflows(c *call) response {
	ws := s.sortedWorkflows()
	p := pageOf(c.r)
	lo, hi := p.slice(len(ws))
	rd := s.renderer()
	items := make([]any, 0, hi-lo)
	for _, w := range ws[lo:hi] {
		items = append(items, rd.workflow(w))
	}
	res := jsonResponse(http.StatusOK, map[string]any{"total_count": len(ws), "workflows": items})
	s.setLink(&res, c.r, p, len(ws))
	return res
}

// getWorkflow serves one workflow, named by ID or file name.
func (s *Server) getWorkflow(c *call) response {
	w, ok := s.findWorkflow(c.vars["workflow_id"])
	if !ok {
		return notFound(c.doc)
	}
	return jsonResponse(http.StatusOK, s.renderer().workflow(w))
}

// findWorkflow resolves a workflow_id path parameter: an ID, or a file name such as
// ci.yml. The fake also accepts the file's whole path.
func (s *Server) findWorkflow(ref string) (Workflow, bool) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		w, ok := s.workflows[id]
		return w, ok
	}
	for _, w := range s.sortedWorkflows() {
		if w.Path == ref || path.Base(w.Path) == ref {
			return w, true
		}
	}
	return Workflow{}, false
}

// workflowOf returns a run's workflow; AddRuns registers one for every run.
func (s *Server) workflowOf(r Run) Workflow {
	return s.workflows[r.WorkflowID]
}

func (s *Server) sortedWorkflows() []Workflow {
	ws := make([]Workflow, 0, len(s.workflows))
	for _, w := range s.workflows {
		ws = append(ws, w)
	}
	slices.SortFunc(ws, func(a, b Workflow) int { return cmp.Compare(a.ID, b.ID) })
	return ws
}
