package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cli"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/replay"
)

// The replay tests run ghruns against answers recorded from the real
// api.github.com by other projects' test suites. The recordings are not in
// the repository: the maintainers keep them in shared/replay-fixtures beside
// the checkout, and the tests read them there. Every expectation is worked
// out from the recordings as the test runs.

// replayDir is where the recordings are, from this package's folder.
const replayDir = "../../../shared/replay-fixtures"

func recordings(t *testing.T) []replay.Exchange {
	t.Helper()
	if _, err := os.Stat(replayDir); err != nil {
		t.Skip("../shared/replay-fixtures is not beside the checkout: no recordings to replay")
	}
	all, err := replay.Load(replayDir)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// replayed runs ghruns in-process, its settings isolated as in the other
// command tests, against a server answering with exchanges, the first of
// them preferred.
func replayed(t *testing.T, exchanges []replay.Exchange, args ...string) (stdout, stderr string, code int, srv *replay.Server) {
	t.Helper()
	cmdtest.Isolate(t)
	srv = replay.New(exchanges)
	t.Cleanup(srv.Close)
	t.Setenv("GHRUNS_API_URL", srv.URL)
	var out, errOut bytes.Buffer
	code = cli.Main(context.Background(), append([]string{"ghruns"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code, srv
}

// first puts e before the other exchanges, so it answers what it recorded.
func first(all []replay.Exchange, e replay.Exchange) []replay.Exchange {
	out := []replay.Exchange{e}
	for _, o := range all {
		if o.Name != e.Name {
			out = append(out, o)
		}
	}
	return out
}

// recordedRun is what the test reads of a run, independently of ghruns.
type recordedRun struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	DisplayTitle string    `json:"display_title"`
	Path         string    `json:"path"`
	WorkflowID   int64     `json:"workflow_id"`
	Status       string    `json:"status"`
	RunAttempt   int       `json:"run_attempt"`
	CreatedAt    time.Time `json:"created_at"`
	StartedAt    time.Time `json:"run_started_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	HeadCommit   *struct {
		Message string `json:"message"`
	} `json:"head_commit"`
	Repository *struct {
		FullName string `json:"full_name"`
		Private  bool   `json:"private"`
	} `json:"repository"`
}

func (r recordedRun) start() time.Time {
	if !r.StartedAt.IsZero() {
		return r.StartedAt
	}
	return r.CreatedAt
}

// title is what GitHub would show as the run's title: display_title, else
// the head commit's first line.
func (r recordedRun) title() string {
	if r.DisplayTitle != "" {
		return r.DisplayTitle
	}
	if r.HeadCommit == nil {
		return ""
	}
	line, _, _ := strings.Cut(r.HeadCommit.Message, "\n")
	return strings.TrimSpace(line)
}

type recordedJob struct {
	ID          int64     `json:"id"`
	StartedAt   time.Time `json:"started_at"`
	CompletedAt time.Time `json:"completed_at"`
	Labels      []string  `json:"labels"`
}

var (
	listPathRE = regexp.MustCompile(`^/(?:repos/([^/]+/[^/]+)|repositories/[0-9]+)/actions/(?:runs|workflows/([^/]+)/runs)$`)
	runPathRE  = regexp.MustCompile(`^/repos/([^/]+/[^/]+)/actions/runs/([0-9]+)(/.*)?$`)
	filePathRE = regexp.MustCompile(`(^\.github/|\.ya?ml$)`)
)

// workflowNames maps workflow IDs to names over every recorded workflow answer.
func workflowNames(all []replay.Exchange) map[int64]string {
	names := map[int64]string{}
	type wf struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	for _, e := range all {
		if e.Status != 200 || !strings.Contains(e.Path, "/actions/workflows") || strings.HasSuffix(e.Path, "/runs") {
			continue
		}
		var list struct {
			Workflows []wf `json:"workflows"`
		}
		var one wf
		if json.Unmarshal(e.Body, &list) == nil {
			for _, w := range list.Workflows {
				names[w.ID] = w.Name
			}
		}
		if json.Unmarshal(e.Body, &one) == nil && one.ID != 0 {
			names[one.ID] = one.Name
		}
	}
	return names
}

// wantWorkflow is the workflow name a run should show: its name, unless
// that is missing or its file path, then the workflow's recorded name.
func wantWorkflow(r recordedRun, names map[int64]string) string {
	if r.Name != "" && !filePathRE.MatchString(r.Name) {
		return r.Name
	}
	return names[r.WorkflowID]
}

// checkElapsed checks an elapsed time as printed: never beyond GitHub's
// limit on a run, and for a completed run from updated_at when that is
// within it; end, when set, is the run's last job's end.
func checkElapsed(t *testing.T, r recordedRun, printed string, end time.Time) {
	t.Helper()
	if printed == "" {
		if r.Status == "completed" && end.IsZero() && r.UpdatedAt.Sub(r.start()) <= api.MaxRunTime {
			t.Errorf("run %d: no elapsed time, though updated_at is %s after the start", r.ID, r.UpdatedAt.Sub(r.start()))
		}
		return
	}
	d, err := time.ParseDuration(printed)
	if err != nil {
		t.Errorf("run %d: elapsed %q: %v", r.ID, printed, err)
		return
	}
	if d < 0 || d > api.MaxRunTime {
		t.Errorf("run %d: elapsed %s, beyond the 35 days a run may last", r.ID, d)
	}
	switch {
	case !end.IsZero():
		if want := end.Sub(r.start()).Round(time.Second); d != want {
			t.Errorf("run %d: elapsed %s, want %s (start to the last job's end)", r.ID, d, want)
		}
	case r.Status == "completed":
		if want := r.UpdatedAt.Sub(r.start()).Round(time.Second); d != want {
			t.Errorf("run %d: elapsed %s, want %s (start to updated_at)", r.ID, d, want)
		}
	}
}

// listFlags turns a recorded listing's query into ghruns's filters.
func listFlags(e replay.Exchange, workflow string) []string {
	var args []string
	if workflow != "" {
		args = append(args, "-w", workflow)
	}
	flags := map[string]string{"branch": "-b", "status": "-s", "event": "-e", "actor": "-u", "head_sha": "-c", "created": "--created"}
	for _, k := range slices.Sorted(maps.Keys(e.Query)) {
		if f, ok := flags[k]; ok {
			args = append(args, f, e.Query.Get(k))
		}
	}
	return args
}

// TestReplayList lists the runs of every recorded listing with the filters
// it was made with, and checks each run's title, workflow, elapsed time and
// attempt against the recording.
func TestReplayList(t *testing.T) {
	all := recordings(t)
	names := workflowNames(all)
	checked := 0
	for _, e := range all {
		m := listPathRE.FindStringSubmatch(e.Path)
		if m == nil || m[1] == "" || e.Method != "GET" || e.Status != 200 || e.Written() {
			continue
		}
		var page struct {
			Runs []recordedRun `json:"workflow_runs"`
		}
		if err := json.Unmarshal(e.Body, &page); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if len(page.Runs) == 0 {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			// Exactly the recorded page: GitHub's pages are asked for by
			// ghruns's own page size, and the recording holds one page.
			args := append([]string{"list", "-R", m[1], "-L", fmt.Sprint(len(page.Runs))}, listFlags(e, m[2])...)
			out, errOut, code, srv := replayed(t, first(all, e), args...)
			if code != 0 {
				t.Fatalf("ghruns %s: exit %d\n%s\nunrecorded: %q", strings.Join(args, " "), code, errOut, srv.Missed())
			}
			rows := map[int64][]string{}
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				f := strings.Split(line, "\t")
				if len(f) != 9 {
					t.Fatalf("row %q: %d columns, want 9", line, len(f))
				}
				id, _ := strconv.ParseInt(f[6], 10, 64)
				rows[id] = f
			}
			if len(rows) != len(page.Runs) {
				t.Errorf("%d rows for %d recorded runs", len(rows), len(page.Runs))
			}
			for _, r := range page.Runs {
				f := rows[r.ID]
				if f == nil {
					t.Errorf("run %d not listed", r.ID)
					continue
				}
				checkRunShown(t, r, f[2], f[3], names)
				checkElapsed(t, r, f[7], time.Time{})
			}

			// The attempt is not in the table: ask for it as JSON.
			out, errOut, code, _ = replayed(t, first(all, e), append(args, "--json", "databaseId,attempt")...)
			if code != 0 {
				t.Fatalf("--json: exit %d\n%s", code, errOut)
			}
			var attempts []struct {
				ID      int64 `json:"databaseId"`
				Attempt int   `json:"attempt"`
			}
			if err := json.Unmarshal([]byte(out), &attempts); err != nil {
				t.Fatalf("--json: %v\n%s", err, out)
			}
			for i, a := range attempts {
				checkAttempt(t, page.Runs[i], a.Attempt)
			}
		})
		checked += len(page.Runs)
	}
	if checked == 0 {
		t.Fatal("no recorded listing holds a run")
	}
	t.Logf("%d recorded runs listed", checked)
}

func checkRunShown(t *testing.T, r recordedRun, title, workflow string, names map[int64]string) {
	t.Helper()
	if want := r.title(); title == "" || title != want {
		t.Errorf("run %d: title %q, want %q", r.ID, title, want)
	}
	if workflow == "" || filePathRE.MatchString(workflow) {
		t.Errorf("run %d: workflow %q, want a name", r.ID, workflow)
	} else if want := wantWorkflow(r, names); want != "" && workflow != want {
		t.Errorf("run %d: workflow %q, want %q", r.ID, workflow, want)
	}
}

func checkAttempt(t *testing.T, r recordedRun, attempt int) {
	t.Helper()
	want := max(r.RunAttempt, 1)
	if attempt != want {
		t.Errorf("run %d: attempt %d, want %d", r.ID, attempt, want)
	}
}

// jobsOf finds the jobs recorded for a run's latest attempt.
func jobsOf(all []replay.Exchange, repo, id string) ([]recordedJob, bool) {
	for _, e := range all {
		if e.Method != "GET" || e.Status != 200 || e.Path != "/repos/"+repo+"/actions/runs/"+id+"/jobs" ||
			e.Query.Get("filter") == "all" || e.Query.Get("page") != "" {
			continue
		}
		var page struct {
			Jobs []recordedJob `json:"jobs"`
		}
		if json.Unmarshal(e.Body, &page) == nil && len(page.Jobs) > 0 {
			return page.Jobs, true
		}
	}
	return nil, false
}

// runEnd is when the run's last job ended, or zero when the jobs ended
// before the run started: then they are another run's (a recording whose
// run was edited by hand, its jobs not).
func runEnd(r recordedRun, jobs []recordedJob) time.Time {
	var end time.Time
	for _, j := range jobs {
		if j.CompletedAt.After(end) {
			end = j.CompletedAt
		}
	}
	if end.Before(r.start()) {
		return time.Time{}
	}
	return end
}

// TestReplayView views every recorded run answer: title, workflow, attempt
// and elapsed time, which ends with the last job when the jobs are recorded.
func TestReplayView(t *testing.T) {
	all := recordings(t)
	names := workflowNames(all)
	checked := 0
	for _, e := range all {
		m := runPathRE.FindStringSubmatch(e.Path)
		if m == nil || m[3] != "" || e.Method != "GET" || e.Status != 200 || e.Written() {
			continue
		}
		var r recordedRun
		if err := json.Unmarshal(e.Body, &r); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		jobs, withJobs := jobsOf(all, m[1], m[2])
		t.Run(e.Name, func(t *testing.T) {
			if !withJobs {
				// view lists the jobs, which are not recorded: ask for the
				// run's fields alone, which needs no jobs.
				out, errOut, code, srv := replayed(t, first(all, e), "view", m[2], "-R", m[1], "--json", "displayTitle,workflowName,attempt")
				if code != 0 {
					t.Fatalf("exit %d\n%s\nunrecorded: %q", code, errOut, srv.Missed())
				}
				var got struct {
					Title    string `json:"displayTitle"`
					Workflow string `json:"workflowName"`
					Attempt  int    `json:"attempt"`
				}
				if err := json.Unmarshal([]byte(out), &got); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				checkRunShown(t, r, got.Title, got.Workflow, names)
				checkAttempt(t, r, got.Attempt)
				return
			}
			out, errOut, code, srv := replayed(t, first(all, e), "view", m[2], "-R", m[1])
			if code != 0 {
				t.Fatalf("exit %d\n%s\nunrecorded: %q", code, errOut, srv.Missed())
			}
			fields := map[string]string{}
			for _, line := range strings.Split(out, "\n") {
				k, v, _ := strings.Cut(line, "\t")
				if _, seen := fields[k]; !seen {
					fields[k] = v
				}
			}
			checkRunShown(t, r, fields["title"], fields["workflow"], names)
			attempt, _ := strconv.Atoi(fields["attempt"])
			checkAttempt(t, r, attempt)
			var end time.Time
			if r.Status == "completed" {
				end = runEnd(r, jobs)
			}
			checkElapsed(t, r, fields["elapsed"], end)
		})
		checked++
	}
	if checked == 0 {
		t.Fatal("no run answer recorded")
	}
}

// standardLabel is a label of GitHub's standard hosted runners, free for
// public repositories.
var standardLabel = regexp.MustCompile(`^(ubuntu|windows|macos)-(latest|[0-9.]+)$`)

// TestReplayUsage asks the usage of every recorded run whose jobs are
// recorded: a public repository's run on standard runners is not billed,
// and the duration runs from the start to the last job's end.
func TestReplayUsage(t *testing.T) {
	all := recordings(t)
	checked, public := 0, 0
	for _, e := range all {
		m := runPathRE.FindStringSubmatch(e.Path)
		if m == nil || m[3] != "" || e.Method != "GET" || e.Status != 200 || e.Written() {
			continue
		}
		jobs, ok := jobsOf(all, m[1], m[2])
		if !ok {
			continue
		}
		var r recordedRun
		if err := json.Unmarshal(e.Body, &r); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if r.Repository == nil || r.Status != "completed" {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			out, errOut, code, srv := replayed(t, first(all, e), "usage", m[2], "-R", m[1])
			if code != 0 {
				t.Fatalf("exit %d\n%s\nunrecorded: %q", code, errOut, srv.Missed())
			}
			// run ID WORKFLOW UBUNTU MACOS WINDOWS BILLABLE JOBS DURATION SOURCE
			f := strings.Split(strings.TrimSuffix(out, "\n"), "\t")
			if len(f) != 10 || f[0] != "run" || f[1] != m[2] {
				t.Fatalf("usage row %q", out)
			}
			if end := runEnd(r, jobs); !end.IsZero() {
				if ms, err := strconv.ParseInt(f[8], 10, 64); err != nil || time.Duration(ms)*time.Millisecond != end.Sub(r.start()) {
					t.Errorf("duration %s ms, want %s (start to the last job's end)", f[8], end.Sub(r.start()))
				}
			}
			standard := true
			for _, j := range jobs {
				standard = standard && len(j.Labels) > 0 && slices.ContainsFunc(j.Labels, standardLabel.MatchString)
			}
			if !r.Repository.Private && standard {
				public++
				if f[6] != "0" || f[7] != "0" || !strings.Contains(f[9], "public") {
					t.Errorf("a public repository's run on standard runners: billable %s ms in %s jobs, source %q; want none, public", f[6], f[7], f[9])
				}
			}
			if r.Repository.Private {
				if jobsBilled, _ := strconv.Atoi(f[7]); jobsBilled != len(jobs) {
					t.Errorf("a private repository's run: %s jobs billed, %d recorded", f[7], len(jobs))
				}
			}
			if r.Repository.Private && strings.Contains(f[9], "public") {
				t.Errorf("a private repository's run reported as %q", f[9])
			}
		})
		checked++
	}
	if checked == 0 || public == 0 {
		t.Fatalf("%d runs with recorded jobs, %d of them public on standard runners: nothing to check", checked, public)
	}
}

// TestReplayErrors runs the command that makes each recorded refusal of a
// rerun, cancel or log request, and checks that GitHub's message reaches
// the user, with each of its errors.
func TestReplayErrors(t *testing.T) {
	all := recordings(t)
	checked := 0
	for _, e := range all {
		m := runPathRE.FindStringSubmatch(e.Path)
		if m == nil || e.Status < 400 || e.Written() {
			continue
		}
		var args []string
		switch e.Method + " " + m[3] {
		case "POST /rerun":
			args = []string{"rerun", m[2]}
		case "POST /rerun-failed-jobs":
			args = []string{"rerun", m[2], "--failed"}
		case "POST /cancel":
			args = []string{"cancel", m[2]}
		case "POST /force-cancel":
			args = []string{"cancel", m[2], "--force"}
		case "DELETE /logs":
			args = []string{"logs", "delete", m[2]}
		case "GET /logs":
			args = []string{"logs", "download", m[2], "-o", filepath.Join(t.TempDir(), "logs.zip")}
		default:
			continue
		}
		var body struct {
			Message string            `json:"message"`
			Errors  []json.RawMessage `json:"errors"`
		}
		if err := json.Unmarshal(e.Body, &body); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		t.Run(e.Name, func(t *testing.T) {
			out, errOut, code, _ := replayed(t, first(all, e), append(args, "-R", m[1])...)
			if code == 0 {
				t.Fatalf("ghruns %s succeeded on a recorded %d", strings.Join(args, " "), e.Status)
			}
			// A bulk command reports each run's outcome on stdout, the rest
			// goes to stderr: the user reads both.
			said := out + errOut
			if e.Method == "GET" && m[3] == "/logs" && checkLogsGone(t, all, m[1], m[2], said) {
				return
			}
			if !strings.Contains(said, body.Message) {
				t.Errorf("the output lacks GitHub's message %q:\n%s", body.Message, said)
			}
			for _, raw := range body.Errors {
				var text string
				if json.Unmarshal(raw, &text) == nil && !strings.Contains(said, text) {
					t.Errorf("the output lacks GitHub's error %q:\n%s", text, said)
				}
			}
			if !strings.Contains(said, fmt.Sprintf("HTTP %d", e.Status)) {
				t.Errorf("the output does not give the status %d:\n%s", e.Status, said)
			}
		})
		checked++
	}
	if checked == 0 {
		t.Fatal("no refusal recorded")
	}
}

// checkLogsGone checks what a user reads when GitHub refuses a completed
// run's logs: that they are deleted or expired. It reports whether the run
// is recorded as completed; otherwise GitHub's own refusal is what to show.
func checkLogsGone(t *testing.T, all []replay.Exchange, repo, id, said string) bool {
	t.Helper()
	for _, e := range all {
		var r recordedRun
		if e.Method == "GET" && e.Status == 200 && e.Path == "/repos/"+repo+"/actions/runs/"+id &&
			json.Unmarshal(e.Body, &r) == nil && r.Status == "completed" {
			if !strings.Contains(said, "logs of run "+id+" are deleted or expired") {
				t.Errorf("the run is there and completed, yet ghruns says:\n%s", said)
			}
			return true
		}
	}
	return false
}
