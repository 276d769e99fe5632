package fakegh

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// route is one endpoint the fake serves.
type route struct {
	method  string
	pattern string // segments after repoPrefix, or after repoRoot when it starts with "/" ("/" alone is repoRoot); {name} matches one segment
	// doc is the operation's documentation URL, which GitHub puts in error bodies.
	doc string
	// inSpec is false for endpoints GitHub has but the subset description lacks,
	// which only get the header and Location checks.
	inSpec bool
	handle func(s *Server, c *call) response
}

// call is one matched request, handled with s.mu held.
type call struct {
	r    *http.Request
	vars map[string]string
	body []byte
	now  time.Time
	doc  string
}

const (
	repoRoot   = "/repos/{owner}/{repo}"
	repoPrefix = repoRoot + "/actions/"
	docRuns    = "https://docs.github.com/rest/actions/workflow-runs#"
	docJobs    = "https://docs.github.com/rest/actions/workflow-jobs#"
	docFlows   = "https://docs.github.com/rest/actions/workflows#"
	docChecks  = "https://docs.github.com/rest/checks/runs#"
)

var routes = []route{
	{"GET", "runs", docRuns + "list-workflow-runs-for-a-repository", true, (*Server).listRuns},
	{"GET", "workflows/{workflow_id}/runs", docRuns + "list-workflow-runs-for-a-workflow", true, (*Server).listRuns},
	{"GET", "runs/{run_id}", docRuns + "get-a-workflow-run", true, (*Server).getRun},
	{"DELETE", "runs/{run_id}", docRuns + "delete-a-workflow-run", true, (*Server).deleteRun},
	{"GET", "runs/{run_id}/attempts/{attempt_number}", docRuns + "get-a-workflow-run-attempt", true, (*Server).getRun},
	{"POST", "runs/{run_id}/cancel", docRuns + "cancel-a-workflow-run", true, (*Server).cancelRun},
	{"POST", "runs/{run_id}/force-cancel", docRuns + "force-cancel-a-workflow-run", true, (*Server).cancelRun},
	{"POST", "runs/{run_id}/rerun", docRuns + "re-run-a-workflow", true, (*Server).rerunRun},
	{"POST", "runs/{run_id}/rerun-failed-jobs", docRuns + "re-run-failed-jobs-from-a-workflow-run", true, (*Server).rerunRun},
	// GitHub has it; the subset description does not include it.
	{"POST", "jobs/{job_id}/rerun", docRuns + "re-run-a-job-from-a-workflow-run", false, (*Server).rerunJob},
	{"GET", "runs/{run_id}/jobs", docJobs + "list-jobs-for-a-workflow-run", true, (*Server).listJobs},
	// Documented by GitHub, but missing from the description the fake checks against.
	{"GET", "runs/{run_id}/attempts/{attempt_number}/jobs", docJobs + "list-jobs-for-a-workflow-run-attempt", false, (*Server).listJobs},
	{"GET", "runs/{run_id}/logs", docRuns + "download-workflow-run-logs", true, (*Server).redirectLogs},
	// GitHub serves attempt logs, but the description this fake checks against
	// does not include the operation.
	{"GET", "runs/{run_id}/attempts/{attempt_number}/logs", docRuns + "download-workflow-run-attempt-logs", false, (*Server).redirectLogs},
	{"DELETE", "runs/{run_id}/logs", docRuns + "delete-workflow-run-logs", true, (*Server).deleteLogs},
	{"GET", "runs/{run_id}/timing", docRuns + "get-workflow-run-usage", true, (*Server).timing},
	// checks.go: GitHub has them; the subset description does not include them.
	{"GET", "jobs/{job_id}", docJobs + "get-a-job-for-a-workflow-run", false, (*Server).getJob},
	{"GET", "/check-runs/{check_run_id}/annotations", docChecks + "list-check-run-annotations", false, (*Server).listAnnotations},
	{"GET", "workflows", docFlows + "list-repository-workflows", true, (*Server).listWorkflows},
	{"GET", "workflows/{workflow_id}", docFlows + "get-a-workflow", true, (*Server).getWorkflow},
}

// match finds the route for r and its path variables, unescaped.
func match(r *http.Request) (*route, map[string]string) {
	got := strings.Split(r.URL.EscapedPath(), "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != r.Method {
			continue
		}
		pattern := repoPrefix + rt.pattern
		switch {
		case rt.pattern == "/":
			pattern = repoRoot // the repository itself
		case strings.HasPrefix(rt.pattern, "/"):
			pattern = repoRoot + rt.pattern
		}
		want := strings.Split(pattern, "/")
		if len(want) != len(got) {
			continue
		}
		vars := map[string]string{}
		ok := true
		for j, w := range want {
			seg, err := url.PathUnescape(got[j])
			if err != nil {
				ok = false
				break
			}
			if strings.HasPrefix(w, "{") {
				// A trailing slash leaves an empty segment, and GitHub answers 404 to it.
				if seg == "" {
					ok = false
					break
				}
				vars[strings.Trim(w, "{}")] = seg
			} else if seg != w {
				ok = false
				break
			}
		}
		if ok {
			return rt, vars
		}
	}
	return nil, nil
}
