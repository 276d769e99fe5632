package list

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// runList runs list's argv against the fake through the command, with the
// fixed clock and no colour, and returns what it printed.
func runList(t *testing.T, c *api.Client, tty bool, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Setenv("NO_COLOR", "1")
	return cmdtest.Run(tty, "", func(env *cmdutil.Env) *cobra.Command {
		return NewCmd(env, func(ctx context.Context, o *Options) error {
			o.Client, o.Now = c, cmdtest.Now
			return run(ctx, o)
		})
	}, args...)
}

// listRequests are the run listings the fake received, as "path?query".
func listRequests(s *fakegh.Server) []string {
	var got []string
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/runs") {
			got = append(got, r.Path+"?"+r.Query.Encode())
		}
	}
	return got
}

func TestListGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		tty  bool
	}{
		{"default-tty", nil, true},
		{"default-notty", nil, false},
		{"workflow-name-tty", []string{"-w", "CI"}, true},
		{"status-failure-notty", []string{"-s", "failure"}, false},
		{"status-failure-tty", []string{"-s", "failure"}, true},
		{"json-notty", []string{"--json", "databaseId,status,conclusion", "-L", "3"}, false},
		{"json-tty", []string{"--json", "databaseId,status,conclusion", "-L", "3"}, true},
		{"json-all-fields-tty", []string{"-L", "2", "--json", "databaseId,number,attempt,name,displayTitle,workflowName," +
			"workflowDatabaseId,headBranch,headSha,event,status,conclusion,createdAt,updatedAt,startedAt,url,actor"}, true},
		{"jq-notty", []string{"--json", "databaseId", "--jq", ".[].databaseId"}, false},
		{"template-notty", []string{"--json", "workflowName,status,conclusion,displayTitle", "-L", "4",
			"-t", `{{range .}}{{.workflowName}} {{.status}}/{{.conclusion}}: {{.displayTitle}}{{"\n"}}{{end}}`}, false},
		{"none-tty", []string{"-b", "no-such-branch"}, true},
		{"none-notty", []string{"-b", "no-such-branch"}, false},
		{"none-json-tty", []string{"-b", "no-such-branch", "--json", "databaseId"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			_, c := cmdtest.Fake(t, 8)
			stdout, stderr, err := runList(t, c, tt.tty, tt.args...)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			cmdtest.Golden(t, "list-"+tt.name, stdout, stderr)
		})
	}
}

// TestListByHand runs list with Options built by hand, the way the
// command would build them, and gets the same output as through the command.
func TestListByHand(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	ios, _, out, errOut := cmdtest.Streams(false)
	opts := &Options{IO: ios, Client: c, Repo: cmdtest.Repo, Now: cmdtest.Now, Filter: runquery.Filter{Limit: 20}}
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	cmdtest.Golden(t, "list-default-notty", out.String(), errOut.String())
}

// TestListThroughEnv goes the whole way: the client comes from the
// environment (GHRUNS_API_URL, GH_TOKEN), as for a user.
func TestListThroughEnv(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Now = time.Now
	ios, _, out, errOut := cmdtest.Streams(false)
	env := cmdtest.Env(ios)
	if err := cmdtest.Exec(env, NewCmd(env, nil), []string{}...); err != nil {
		t.Fatal(err)
	}
	cmdtest.Golden(t, "list-default-notty", out.String(), errOut.String())
	for _, r := range s.Requests() {
		if got := r.Header.Get("Authorization"); got != "token "+cmdtest.Token {
			t.Errorf("Authorization = %q", got)
		}
	}
}

func TestListWorkflowByName(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	stdout, _, err := runList(t, c, false, "-w", "CI")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range s.Requests() {
		paths = append(paths, r.Method+" "+r.Path)
	}
	want := []string{
		"GET /repos/octo/hello/actions/workflows",
		"GET /repos/octo/hello/actions/workflows/1/runs",
	}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
	if n := strings.Count(stdout, "\n"); n != 6 {
		t.Errorf("got %d runs of CI, want 6 (57, 56, 55, 54, 53, 52):\n%s", n, stdout)
	}
}

func TestListWorkflowByFileOrID(t *testing.T) {
	tests := []struct{ workflow, path string }{
		{"ci.yml", "workflows/ci.yml/runs"},
		{".github/workflows/ci.yml", "workflows/ci.yml/runs"},
		{"1", "workflows/1/runs"},
	}
	for _, tt := range tests {
		t.Run(tt.workflow, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, c := cmdtest.Fake(t, 8)
			stdout, _, err := runList(t, c, false, "-w", tt.workflow)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"/repos/octo/hello/actions/" + tt.path + "?exclude_pull_requests=true&per_page=20"}
			if got := listRequests(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("requests = %q, want %q", got, want)
			}
			if len(s.Requests()) != 1 {
				t.Errorf("got %d requests, want only the listing (no workflows lookup)", len(s.Requests()))
			}
			if n := strings.Count(stdout, "\n"); n != 6 {
				t.Errorf("got %d runs of CI, want 6:\n%s", n, stdout)
			}
		})
	}
}

func TestListUnknownWorkflowID(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	_, _, err := runList(t, c, false, "-w", "99")
	want := `listing runs of workflow "99" in octo/hello: Not Found (HTTP 404)`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestListWorkflowErrors(t *testing.T) {
	tests := []struct {
		name, workflow, want string
	}{
		{"ambiguous", "Lint", `workflow name "Lint" is ambiguous in octo/hello; use the file name or ID of one of:
  Lint	lint.yml	4
  Lint	lint-strict.yml	5`},
		{"unknown", "Nope", `unknown workflow "Nope" in octo/hello; workflows:
  CI	ci.yml	1
  Deploy	deploy.yml	2
  Nightly	nightly.yml	3
  Lint	lint.yml	4
  Lint	lint-strict.yml	5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, c := cmdtest.Fake(t, 8)
			stdout, stderr, err := runList(t, c, true, "-w", tt.workflow)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
			var flagErr *cmdutil.FlagError
			if !errors.As(err, &flagErr) {
				t.Errorf("error is %T, want *cmdutil.FlagError", err)
			}
			if stdout != "" || stderr != "" {
				t.Errorf("printed stdout %q, stderr %q", stdout, stderr)
			}
			if got := listRequests(s); len(got) != 0 {
				t.Errorf("listed runs after failing to resolve the workflow: %q", got)
			}
		})
	}
}

func TestListCaseInsensitiveWorkflowName(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	if _, _, err := runList(t, c, false, "-w", "nightly"); err != nil {
		t.Fatal(err)
	}
	if got := listRequests(s); len(got) != 1 || !strings.Contains(got[0], "/workflows/3/runs?") {
		t.Errorf("requests = %q, want the listing of workflow 3", got)
	}
}

// ids reads the ID column of list's tab-separated output.
func ids(t *testing.T, stdout string) []string {
	t.Helper()
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 9 {
			t.Fatalf("line has %d fields, want 9: %q", len(f), line)
		}
		got = append(got, f[6])
	}
	return got
}

func TestListPaging(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	// 250 runs older than the seed's, the newest of them an hour before its oldest.
	s.AddRuns(fakegh.GenerateRuns(250, 100000, fakegh.SeedBase.Add(-13*24*time.Hour), nil)...)
	stdout, stderr, err := runList(t, c, false, "-L", "0")
	if err != nil {
		t.Fatal(err)
	}
	if stderr != "" {
		t.Errorf("stderr = %q", stderr)
	}
	got := ids(t, stdout)
	var want []string
	for id := int64(fakegh.InProgressRun); id >= fakegh.StartupFailureRun; id-- {
		want = append(want, fmt.Sprint(id))
	}
	for id := 100000; id < 100250; id++ {
		want = append(want, fmt.Sprint(id))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %d runs, want the 263 in order, newest first:\n got %v\nwant %v", len(got), got, want)
	}
	reqs := listRequests(s)
	if len(reqs) != 3 {
		t.Errorf("got %d list requests, want 3:\n%s", len(reqs), strings.Join(reqs, "\n"))
	}
	for _, r := range reqs {
		if !strings.Contains(r, "per_page=100") {
			t.Errorf("request %q does not ask for pages of 100", r)
		}
	}
}

func TestListLimitAcrossPages(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	s.AddRuns(fakegh.GenerateRuns(250, 100000, fakegh.SeedBase.Add(-13*24*time.Hour), nil)...)
	stdout, _, err := runList(t, c, false, "-L", "150", "--json", "databaseId")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ DatabaseID int64 }
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 150 || rows[0].DatabaseID != fakegh.InProgressRun || rows[149].DatabaseID != 100136 {
		t.Errorf("got %d runs, from %v to %v; want 150, from 7000000113 to 100136", len(rows), rows[0], rows[len(rows)-1])
	}
	if n := len(listRequests(s)); n != 2 {
		t.Errorf("got %d list requests, want 2", n)
	}
}

// TestListPastSearchCap: GitHub serves 1,000 runs of a filtered listing;
// list gets the rest by splitting the created range into windows.
func TestListPastSearchCap(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	// 1,200 runs on main, plus the seed's 8: GitHub serves 1,000 of the 1,208 at a time.
	s.AddRuns(fakegh.GenerateRuns(1200, 100000, fakegh.SeedBase.Add(-13*24*time.Hour), nil)...)
	stdout, stderr, err := runList(t, c, false, "-b", "main", "-L", "0")
	if err != nil {
		t.Fatal(err)
	}
	got := ids(t, stdout)
	if len(got) != 1208 {
		t.Errorf("got %d runs, want 1208", len(got))
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("run %s listed twice", id)
		}
		seen[id] = true
	}
	if got[0] != "7000000113" || got[len(got)-1] != "101199" {
		t.Errorf("runs go from %s to %s, want 7000000113 to 101199", got[0], got[len(got)-1])
	}
	if stderr != "" {
		t.Errorf("stderr %q, want nothing: no run was left out", stderr)
	}
	if n := len(listRequests(s)); n > 16 {
		t.Errorf("got %d list requests, want at most 16 (10 pages, probes, 2 more pages)", n)
	}
}

func TestListColor(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	ios, _, out, _ := cmdtest.Streams(true)
	ios.SetColorEnabled(true)
	opts := &Options{IO: ios, Client: c, Repo: cmdtest.Repo, Now: cmdtest.Now, Filter: runquery.Filter{Limit: 3}}
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\x1b[33m*\x1b[0m", "\x1b[32m✓\x1b[0m", "\x1b[36m7000000111\x1b[0m"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestListTemplateRunID: go-gh's template decodes JSON numbers as float64,
// so {{.databaseId}} alone would print 7.000000113e+09.
func TestListTemplateRunID(t *testing.T) {
	// The README gives printf "%.0f" to print run IDs whole.
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, _, err := runList(t, c, false, "--json", "databaseId", "-L", "1", "-t", `{{range .}}{{printf "%.0f" .databaseId}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "7000000113" {
		t.Errorf("stdout = %q, want 7000000113", stdout)
	}
}
