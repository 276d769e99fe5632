package fakegh

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// cappedFilters are the parameters that make GitHub stop a run listing at 1,000
// results, as its description of the endpoint says:
// https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-repository
var cappedFilters = []string{"actor", "branch", "check_suite_id", "created", "event", "head_sha", "status"}

// runFilter selects runs for a listing.
type runFilter struct {
	workflowID                        int64 // 0: every workflow
	actor, branch, event, status, sha string
	created                           *timeRange
	// capped is set when a filter that GitHub caps at 1,000 results is present.
	capped bool
}

// filterOf reads a listing's filters. check_suite_id only counts toward the cap: the
// fake does not model check suites. exclude_pull_requests changes nothing, since
// pull_requests is always empty. A `created` value that does not parse (reported by
// the contract checks) matches nothing.
func filterOf(r *http.Request, workflowID int64) runFilter {
	q := r.URL.Query()
	f := runFilter{
		workflowID: workflowID,
		actor:      q.Get("actor"),
		branch:     q.Get("branch"),
		event:      q.Get("event"),
		status:     q.Get("status"),
		sha:        q.Get("head_sha"),
	}
	if c := q.Get("created"); c != "" {
		tr, err := parseCreated(c)
		if err != nil {
			tr = timeRange{from: time.Unix(1, 0), to: time.Unix(1, 0)} // empty
		}
		f.created = &tr
	}
	f.capped = slices.ContainsFunc(cappedFilters, func(k string) bool { return q.Get(k) != "" })
	return f
}

func (f runFilter) match(r *Run) bool {
	return (f.workflowID == 0 || r.WorkflowID == f.workflowID) &&
		(f.actor == "" || strings.EqualFold(r.Actor, f.actor)) &&
		(f.branch == "" || r.HeadBranch == f.branch) &&
		(f.event == "" || r.Event == f.event) &&
		// One parameter for both: "the check run status or conclusion that you specify".
		(f.status == "" || r.Status == f.status || r.Conclusion == f.status) &&
		(f.sha == "" || r.HeadSHA == f.sha) &&
		(f.created == nil || f.created.contains(r.CreatedAt))
}
