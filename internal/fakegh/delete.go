package fakegh

import "net/http"

// deleteRun serves DELETE …/runs/{id}: the run leaves every listing and
// total_count, and later requests about it answer 404. GitHub's description
// declares only 204; it refuses a run that has not completed (third-party
// cleanup tools skip such runs for that reason), and the fake answers 403
// with a message of its own.
func (s *Server) deleteRun(c *call) response {
	rs, ok := s.lookupRun(c)
	if !ok {
		return notFound(c.doc)
	}
	if rs.Status != "completed" {
		return errorResponse(http.StatusForbidden, "Cannot delete a workflow run that is not completed.", c.doc)
	}
	delete(s.runs, rs.ID)
	// A run's artifacts go with it.
	for id, a := range s.artifacts {
		if a.RunID == rs.ID {
			delete(s.artifacts, id)
		}
	}
	return emptyResponse(http.StatusNoContent)
}
