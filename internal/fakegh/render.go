package fakegh

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"maps"
	"net/url"
	"strings"
	"sync"
	"time"
)

// templates are the official example bodies the fake writes its state over, so that
// every field GitHub sends is present even where the fake has nothing to say.
type templates struct {
	run, job, workflow, user map[string]any
}

var loadTemplates = sync.OnceValue(func() *templates {
	get := func(name string) map[string]any {
		v, err := example(name)
		if err != nil {
			panic("fakegh: example " + name + ": " + err.Error())
		}
		return v.(map[string]any)
	}
	run := get("workflow-run.json")
	jobs := get("job-paginated.json")["jobs"].([]any)
	return &templates{
		run:      run,
		job:      jobs[0].(map[string]any),
		workflow: get("workflow.json"),
		user:     run["actor"].(map[string]any),
	}
})

// renderer renders the fake's state for one request, with the server's URLs and
// repository fixed for its duration.
type renderer struct {
	t    *templates
	api  string // s.URL
	base string // API URL of the repository
	web  string // github.com URL of the repository
	repo map[string]any
	// users caches rendered users: a page of runs names few people. Bodies share
	// them, which is fine since they are only marshalled.
	users map[string]map[string]any
}

// workflowTime is what workflows report as created and updated: the fake keeps no
// times for workflows, and a fixed one keeps outputs stable.
var workflowTime = time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)

func (s *Server) renderer() *renderer {
	t := loadTemplates()
	full := s.Owner + "/" + s.Repo
	rd := &renderer{
		t:     t,
		api:   s.URL,
		base:  s.URL + "/repos/" + full,
		web:   "https://github.com/" + full,
		users: map[string]map[string]any{},
	}
	// The example repository is octocat/Hello-World on api.github.com; rewriting its
	// strings keeps every URL template GitHub sends, pointed at the fake.
	repl := strings.NewReplacer(
		"https://api.github.com", s.URL,
		"http://api.github.com", s.URL,
		"octocat/Hello-World", full,
		"octocat", s.Owner,
	)
	repo := rewriteStrings(deepCopy(t.run["repository"]), repl).(map[string]any)
	repo["name"] = s.Repo
	repo["owner"] = rd.user(s.Owner)
	repo["id"] = s.RepoID
	repo["private"] = !s.Public
	rd.repo = repo
	return rd
}

// run renders attempt n of a run (schema workflow-run).
func (rd *renderer) run(r Run, w Workflow) map[string]any {
	// Every nested value of the template is replaced below, so a shallow copy is enough.
	m := maps.Clone(rd.t.run)
	runURL := fmt.Sprintf("%s/actions/runs/%d", rd.base, r.ID)
	checkSuite := r.ID + 10_000_000_000
	m["id"] = r.ID
	m["name"] = r.Name
	m["node_id"] = nodeID("WFR_", r.ID)
	m["check_suite_id"] = checkSuite
	m["check_suite_node_id"] = nodeID("CS_", checkSuite)
	m["head_branch"] = nullIfEmpty(r.HeadBranch)
	m["head_sha"] = r.HeadSHA
	// The example's path carries "@main"; runs of a repository's own workflows report
	// the file's path, which is what the CLI matches against.
	m["path"] = w.Path
	m["run_number"] = r.Number
	m["run_attempt"] = r.Attempt
	m["event"] = r.Event
	m["display_title"] = r.DisplayTitle
	m["status"] = r.Status
	m["conclusion"] = nullIfEmpty(r.Conclusion)
	m["workflow_id"] = r.WorkflowID
	m["url"] = runURL
	m["html_url"] = fmt.Sprintf("%s/actions/runs/%d", rd.web, r.ID)
	m["pull_requests"] = []any{}
	m["referenced_workflows"] = []any{}
	m["created_at"] = rfc3339(r.CreatedAt)
	m["updated_at"] = rfc3339(r.UpdatedAt)
	m["run_started_at"] = rfc3339(r.StartedAt)
	m["actor"] = rd.user(r.Actor)
	m["triggering_actor"] = rd.user(r.Actor)
	m["jobs_url"] = runURL + "/jobs"
	m["logs_url"] = runURL + "/logs"
	m["check_suite_url"] = fmt.Sprintf("%s/check-suites/%d", rd.base, checkSuite)
	m["artifacts_url"] = runURL + "/artifacts"
	m["cancel_url"] = runURL + "/cancel"
	m["rerun_url"] = runURL + "/rerun"
	m["previous_attempt_url"] = nil
	if r.Attempt > 1 {
		m["previous_attempt_url"] = fmt.Sprintf("%s/attempts/%d", runURL, r.Attempt-1)
	}
	m["workflow_url"] = fmt.Sprintf("%s/actions/workflows/%d", rd.base, r.WorkflowID)
	message := r.CommitMessage
	if message == "" {
		message = r.DisplayTitle
	}
	m["head_commit"] = map[string]any{
		"id":        r.HeadSHA,
		"tree_id":   hexHash("tree " + r.HeadSHA),
		"message":   message,
		"timestamp": rfc3339(r.CreatedAt.Add(-time.Minute)),
		"author":    map[string]any{"name": r.Actor, "email": r.Actor + "@users.noreply.github.com"},
		"committer": map[string]any{"name": "GitHub", "email": "noreply@github.com"},
	}
	m["repository"] = rd.repo
	m["head_repository"] = rd.repo
	m["head_repository_id"] = rd.repo["id"]
	if r.Legacy {
		for _, k := range legacyMissing {
			delete(m, k)
		}
	}
	return m
}

// legacyMissing are the run fields GitHub's answers lacked before 2021
// (PyGithub's recordings of 2020 show them absent).
var legacyMissing = []string{"name", "display_title", "run_attempt", "run_started_at", "actor", "triggering_actor",
	"previous_attempt_url", "referenced_workflows", "head_repository_id"}

// legacyViolation is how the contract check reports the one required field among them.
const legacyViolation = `"display_title"`

// job renders a job of attempt r (schema job).
func (rd *renderer) job(r Run, j Job) map[string]any {
	m := maps.Clone(rd.t.job) // steps and labels are replaced, not changed
	started := j.StartedAt
	if started.IsZero() {
		// started_at is required and not nullable: a queued job reports when it was queued.
		started = r.StartedAt
	}
	m["id"] = j.ID
	m["run_id"] = r.ID
	m["run_url"] = fmt.Sprintf("%s/actions/runs/%d", rd.base, r.ID)
	m["run_attempt"] = r.Attempt
	m["node_id"] = nodeID("CR_", j.ID)
	m["head_sha"] = r.HeadSHA
	m["url"] = fmt.Sprintf("%s/actions/jobs/%d", rd.base, j.ID)
	m["html_url"] = fmt.Sprintf("%s/actions/runs/%d/job/%d", rd.web, r.ID, j.ID)
	m["status"] = j.Status
	m["conclusion"] = nullIfEmpty(j.Conclusion)
	m["created_at"] = rfc3339(r.StartedAt)
	m["started_at"] = rfc3339(started)
	m["completed_at"] = nullTime(j.CompletedAt)
	m["name"] = j.Name
	steps := make([]any, len(j.Steps))
	for i, st := range j.Steps {
		steps[i] = map[string]any{
			"name":         st.Name,
			"status":       st.Status,
			"conclusion":   nullIfEmpty(st.Conclusion),
			"number":       st.Number,
			"started_at":   nullTime(st.StartedAt),
			"completed_at": nullTime(st.CompletedAt),
		}
	}
	m["steps"] = steps
	m["check_run_url"] = fmt.Sprintf("%s/check-runs/%d", rd.base, j.ID)
	labels := make([]any, len(j.Labels))
	for i, l := range j.Labels {
		labels[i] = l
	}
	m["labels"] = labels
	if j.RunnerName == "" {
		// A job waiting for a runner has none of these yet.
		m["runner_id"], m["runner_name"], m["runner_group_id"], m["runner_group_name"] = nil, nil, nil, nil
	} else {
		m["runner_id"] = int64(smallHash(j.RunnerName))
		m["runner_name"] = j.RunnerName
		m["runner_group_id"] = 0
		m["runner_group_name"] = "GitHub Actions"
	}
	m["workflow_name"] = r.Name
	m["head_branch"] = nullIfEmpty(r.HeadBranch)
	if r.Legacy {
		// Jobs of 2021 carried no run_attempt (hub4j/github-api's recordings).
		delete(m, "run_attempt")
	}
	return m
}

// workflow renders a workflow (schema workflow).
func (rd *renderer) workflow(w Workflow) map[string]any {
	m := maps.Clone(rd.t.workflow)
	m["id"] = w.ID
	m["node_id"] = nodeID("W_", w.ID)
	m["name"] = w.Name
	m["path"] = w.Path
	m["state"] = w.State
	m["created_at"] = rfc3339(workflowTime)
	m["updated_at"] = rfc3339(workflowTime)
	m["url"] = fmt.Sprintf("%s/actions/workflows/%d", rd.base, w.ID)
	m["html_url"] = rd.web + "/blob/main/" + w.Path
	m["badge_url"] = rd.web + "/workflows/" + url.PathEscape(w.Name) + "/badge.svg"
	return m
}

// usageBody renders a run's timing (schema workflow-run-usage).
func usageBody(u *Usage) map[string]any {
	billable := map[string]any{}
	if u == nil {
		return map[string]any{"billable": billable}
	}
	for key, os := range map[string]*UsageOS{"UBUNTU": u.Ubuntu, "MACOS": u.MacOS, "WINDOWS": u.Windows} {
		if os == nil {
			continue
		}
		runs := make([]any, len(os.JobRuns))
		for i, jr := range os.JobRuns {
			runs[i] = map[string]any{"job_id": jr.JobID, "duration_ms": jr.DurationMS}
		}
		billable[key] = map[string]any{"total_ms": os.TotalMS, "jobs": os.Jobs, "job_runs": runs}
	}
	return map[string]any{"billable": billable, "run_duration_ms": u.RunDurationMS}
}

// user renders a user (schema simple-user) for a login; logins ending in [bot] are bots.
func (rd *renderer) user(login string) map[string]any {
	if m, ok := rd.users[login]; ok {
		return m
	}
	m := maps.Clone(rd.t.user)
	rd.users[login] = m
	id := int64(smallHash(login))
	users := rd.api + "/users/" + login
	m["login"] = login
	m["id"] = id
	m["node_id"] = nodeID("U_", id)
	m["avatar_url"] = fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id)
	m["url"] = users
	m["html_url"] = "https://github.com/" + login
	m["followers_url"] = users + "/followers"
	m["following_url"] = users + "/following{/other_user}"
	m["gists_url"] = users + "/gists{/gist_id}"
	m["starred_url"] = users + "/starred{/owner}{/repo}"
	m["subscriptions_url"] = users + "/subscriptions"
	m["organizations_url"] = users + "/orgs"
	m["repos_url"] = users + "/repos"
	m["events_url"] = users + "/events{/privacy}"
	m["received_events_url"] = users + "/received_events"
	m["type"] = "User"
	if strings.HasSuffix(login, "[bot]") {
		m["type"] = "Bot"
	}
	return m
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return rfc3339(t)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nodeID makes a GraphQL-style node ID; clients treat it as opaque.
func nodeID(prefix string, id int64) string {
	return prefix + base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d", id))
}

func hexHash(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// smallHash gives stable small IDs for logins and runner names.
func smallHash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()%9_000_000 + 1_000_000
}

// deepCopy copies a decoded JSON value, so that a template is never changed.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// rewriteStrings applies repl to every string in a decoded JSON value, in place.
func rewriteStrings(v any, repl *strings.Replacer) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = rewriteStrings(e, repl)
		}
	case []any:
		for i, e := range v {
			v[i] = rewriteStrings(e, repl)
		}
	case string:
		return repl.Replace(v)
	}
	return v
}
