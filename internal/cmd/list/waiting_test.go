package list

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// pendingAsked are the pending-deployments requests the fake received, by path.
func pendingAsked(reqs []fakegh.Request) []string {
	var got []string
	for _, r := range reqs {
		if strings.HasSuffix(r.Path, "/pending_deployments") {
			got = append(got, r.Method+" "+r.Path)
		}
	}
	return got
}

// TestListWaitingGolden: on a terminal, the fork runs held for approval
// and the deployment waiting on two environments each say why under
// their title, and the other rows are as before.
func TestListWaitingGolden(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	fakegh.SeedApprovals(s)
	stdout, stderr, err := runList(t, c, true, "-L", "6")
	if err != nil {
		t.Fatal(err)
	}
	cmdtest.Golden(t, "list-waiting-tty", stdout, stderr)
	if got, want := pendingAsked(s.Requests()), "GET /repos/octo/hello/actions/runs/7000000201/pending_deployments"; strings.Join(got, "\n") != want {
		t.Errorf("pending deployments asked: %q, want %q only", got, want)
	}
}

// TestListWaitingCost: only a run that waits on an environment costs a
// request, and only when the output shows what it waits on (the table, or
// --json pendingDeployments). A listing with no such run costs what it
// did: the one listing request.
func TestListWaitingCost(t *testing.T) {
	for _, tt := range []struct {
		name      string
		approvals bool
		tty       bool
		args      []string
		want      int
	}{
		{"no waiting run, table", false, true, nil, 0},
		{"no waiting run, json", false, false, []string{"--json", "databaseId,pendingDeployments"}, 0},
		{"waiting run, table", true, true, nil, 1},
		{"waiting run, json field", true, false, []string{"--json", "databaseId,pendingDeployments"}, 1},
		{"waiting run, jq on the field", true, false, []string{"--json", "pendingDeployments", "--jq", ".[].pendingDeployments[].name"}, 1},
		{"waiting run, rows for scripts", true, false, nil, 0},
		{"waiting run, json without the field", true, true, []string{"--json", "databaseId,status"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, c := cmdtest.Fake(t, 8)
			if tt.approvals {
				fakegh.SeedApprovals(s)
			}
			if _, stderr, err := runList(t, c, tt.tty, tt.args...); err != nil || stderr != "" {
				t.Fatalf("error %v, stderr %q", err, stderr)
			}
			reqs := s.Requests()
			if got := len(pendingAsked(reqs)); got != tt.want {
				t.Errorf("%d pending-deployments requests, want %d", got, tt.want)
			}
			if got := len(reqs); got != 1+tt.want {
				t.Errorf("%d requests, want the listing and %d more", got, tt.want)
			}
		})
	}
}

// TestListPendingDeploymentsJSON: --json pendingDeployments gives the
// environments a waiting run waits on, with GitHub's values under gh's
// names and each reviewer as GitHub gave it; [] for every other run.
func TestListPendingDeploymentsJSON(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	fakegh.SeedApprovals(s)
	prod := fakegh.ProductionEnvironment
	prod.WaitTimer = 30
	s.AddRuns(fakegh.Run{ID: 7000000204, Number: 16, WorkflowID: 2, Name: "Deploy", HeadBranch: "main", Event: "push",
		Status: "waiting", Actor: "monalisa", CreatedAt: fakegh.SeedBase.Add(-time.Minute)})
	s.AddPendingDeployments(7000000204, prod)
	stdout, _, err := runList(t, c, false, "-L", "5", "--json", "databaseId,pendingDeployments")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		DatabaseID         int64 `json:"databaseId"`
		PendingDeployments []struct {
			ID                    int64   `json:"id"`
			Name                  string  `json:"name"`
			WaitTimer             int     `json:"waitTimer"`
			WaitTimerStartedAt    *string `json:"waitTimerStartedAt"`
			CurrentUserCanApprove bool    `json:"currentUserCanApprove"`
			Reviewers             []struct {
				Type     string `json:"type"`
				Reviewer struct {
					Login string `json:"login"`
					ID    int64  `json:"id"`
				} `json:"reviewer"`
			} `json:"reviewers"`
		} `json:"pendingDeployments"`
	}
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5:\n%s", len(rows), stdout)
	}
	waits := map[int64]string{}
	for _, r := range rows {
		var envs []string
		for _, pd := range r.PendingDeployments {
			if pd.WaitTimerStartedAt == nil || !pd.CurrentUserCanApprove || len(pd.Reviewers) != 1 ||
				pd.Reviewers[0].Type != "User" || pd.Reviewers[0].Reviewer.Login != "monalisa" || pd.Reviewers[0].Reviewer.ID == 0 {
				t.Errorf("run %d: environment %+v", r.DatabaseID, pd)
			}
			envs = append(envs, fmt.Sprintf("%s#%d/%dm", pd.Name, pd.ID, pd.WaitTimer))
		}
		waits[r.DatabaseID] = strings.Join(envs, " ")
	}
	want := map[int64]string{
		7000000204: "production#161171788/30m",
		7000000203: "",
		7000000202: "",
		7000000201: "staging#161171787/0m production#161171788/0m",
		7000000113: "",
	}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("environments by run:\n%v\nwant:\n%v", waits, want)
	}
	// A run that waits on nothing has [], never null.
	if n := strings.Count(stdout, `"pendingDeployments":[]`); n != 3 {
		t.Errorf("%d runs with pendingDeployments [], want 3:\n%s", n, stdout)
	}
}

// TestListWaitingSanitised: an environment's name is text from GitHub;
// the table shows it with no escape sequence, --json keeps it exact.
func TestListWaitingSanitised(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	s.AddRuns(fakegh.Run{ID: 7000000204, Number: 16, WorkflowID: 2, Name: "Deploy", HeadBranch: "main", Event: "push",
		Status: "waiting", Actor: "monalisa", CreatedAt: fakegh.SeedBase.Add(-time.Minute)})
	s.AddPendingDeployments(7000000204, fakegh.Environment{ID: 5, Name: "prod\x1b]8;;https://evil.example\x07\x1b[2Jnext\nline"})
	stdout, _, err := runList(t, c, true, "-L", "1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(stdout, "\x1b\x07") || !strings.Contains(stdout, "waiting for review: prodnext line\n") {
		t.Errorf("table:\n%q", stdout)
	}
	stdout, _, err = runList(t, c, false, "-L", "1", "--json", "pendingDeployments", "--jq", ".[0].pendingDeployments[0].name")
	if err != nil {
		t.Fatal(err)
	}
	if want := "prod\x1b]8;;https://evil.example\x07\x1b[2Jnext\nline\n"; stdout != want {
		t.Errorf("--jq in a pipe gave %q, want the name exact, %q", stdout, want)
	}
}

// TestListWaitingRefused: when GitHub does not say what a run waits on,
// the listing is still shown, with a warning; --json gives null for that
// run, and the table says the environments are unknown.
func TestListWaitingRefused(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	fakegh.SeedApprovals(s)
	s.Refuse(fakegh.Refusal{Method: "GET", Path: "runs/7000000201/pending_deployments", Status: http.StatusForbidden,
		Message: "Resource not accessible by integration"})
	warning := "warning: list pending deployments of run 7000000201: Resource not accessible by integration (HTTP 403)\n"
	stdout, stderr, err := runList(t, c, true, "-L", "3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "7000000201") || !strings.Contains(stdout, "waiting for review: environments unknown\n") {
		t.Errorf("table:\n%s", stdout)
	}
	if stderr != warning {
		t.Errorf("stderr %q, want %q", stderr, warning)
	}
	stdout, _, err = runList(t, c, false, "-L", "3", "--json", "databaseId,pendingDeployments")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, `{"databaseId":7000000201,"pendingDeployments":null}`) {
		t.Errorf("json:\n%s", stdout)
	}
}

// TestListWaitingAcross: across an organisation's repositories, each
// waiting run is asked about in its own repository, once, and says why it
// waits under its title, as in one repository.
func TestListWaitingAcross(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	t.Setenv("NO_COLOR", "1")
	repos := map[string]*fakegh.OwnedRepo{}
	for _, r := range o.Repos() {
		repos[r.Repo] = r
	}
	repos["api"].AddRuns(fakegh.Run{ID: 9104, Number: 4, WorkflowID: 2, Name: "Deploy", DisplayTitle: "Deploy run", HeadBranch: "main",
		Event: "push", Status: "waiting", Actor: "monalisa", CreatedAt: cmdtest.Now.Add(-time.Minute)})
	repos["api"].AddPendingDeployments(9104, fakegh.ProductionEnvironment)
	repos["web"].AddRuns(fakegh.Run{ID: 9203, Number: 3, WorkflowID: 1, Name: "CI", DisplayTitle: "Fork run", HeadBranch: "patch-1",
		Event: "pull_request", Conclusion: "action_required", Actor: "newcomer", CreatedAt: cmdtest.Now.Add(-2 * time.Minute)})

	stdout, stderr, err := cmdtest.Run(true, "", listAcrossCmd, "--owner", "acme", "-L", "3")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	lines := strings.Split(stdout, "\n")
	title := strings.Index(lines[0], "TITLE")
	want := []struct{ row, note string }{
		{"acme/api  *", "waiting for review: production"},
		{"acme/web  X", "waiting for approval: fork pull request"},
	}
	for i, w := range want {
		row, note := lines[1+2*i], lines[2+2*i]
		if !strings.HasPrefix(row, w.row) || note != strings.Repeat(" ", title)+w.note {
			t.Errorf("row %d and its note:\n%s\n%s\nwant %q, then %q under TITLE", i, row, note, w.row, w.note)
		}
	}
	if got, want := pendingAsked(o.Requests()), "GET /repos/acme/api/actions/runs/9104/pending_deployments"; strings.Join(got, "\n") != want {
		t.Errorf("pending deployments asked: %q, want %q only", got, want)
	}

	o.ResetRequests()
	stdout, stderr, err = cmdtest.Run(false, "", listAcrossCmd, "-R", "acme/api", "-R", "acme/web", "-R", "acme/api", "-L", "2",
		"--json", "repository,databaseId,pendingDeployments", "--jq", `.[] | "\(.repository) \(.databaseId) \([.pendingDeployments[].name])"`)
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	if want := "acme/api 9104 [\"production\"]\nacme/web 9203 []\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if got := pendingAsked(o.Requests()); len(got) != 1 {
		t.Errorf("pending deployments asked %d times, want once: %q", len(got), got)
	}
}

// TestListWaitingFits: a long reason is cut to the terminal's width like
// the rows, in colour too.
func TestListWaitingFits(t *testing.T) {
	for _, width := range cmdtest.Widths {
		cmdtest.Isolate(t)
		s, c := cmdtest.Fake(t, 8)
		fakegh.SeedApprovals(s)
		for i := range 8 {
			s.AddPendingDeployments(fakegh.WaitingDeployRun, fakegh.Environment{ID: int64(100 + i), Name: fmt.Sprintf("production-region-%d", i)})
		}
		stdout, _, err := cmdtest.RunAtWidth(width, func(env *cmdutil.Env) *cobra.Command {
			return NewCmd(env, func(ctx context.Context, o *Options) error {
				o.Client, o.Now = c, cmdtest.Now
				return run(ctx, o)
			})
		}, "-L", "4")
		if err != nil {
			t.Fatal(err)
		}
		cmdtest.CheckFits(t, stdout, width)
		if !strings.Contains(stdout, "waiting for review: staging, production, production-region-0") {
			t.Errorf("%d columns: no reason under the deployment:\n%s", width, stdout)
		}
	}
}
