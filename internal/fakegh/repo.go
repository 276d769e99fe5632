package fakegh

import (
	"maps"
	"net/http"
)

// repoRoutes are served by this file. GitHub has them; the description the
// fake checks against lacks them, so they get the header checks only.
var repoRoutes = []route{
	{"GET", "/", "https://docs.github.com/rest/repos/repos#get-a-repository", false, (*Server).getRepo},
}

func init() { routes = append(routes, repoRoutes...) }

// getRepo serves GET /repos/{owner}/{repo}: the repository as a run names
// it, with the fields of a full repository that ghruns reads, such as its
// default branch (DefaultBranch, "main" unless a test set another).
func (s *Server) getRepo(c *call) response {
	rd := s.renderer()
	m := maps.Clone(rd.repo)
	visibility := "private"
	if s.Public {
		visibility = "public"
	}
	m["visibility"] = visibility
	m["default_branch"] = s.DefaultBranch
	m["created_at"] = rfc3339(workflowTime)
	m["updated_at"] = rfc3339(workflowTime)
	m["pushed_at"] = rfc3339(SeedBase)
	return jsonResponse(http.StatusOK, m)
}
