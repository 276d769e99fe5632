package approve

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// TestNewCmd checks argv → Options, with no HTTP.
func TestNewCmd(t *testing.T) {
	type want struct {
		ids     []int64
		filter  runquery.Filter
		yes     bool
		dry     bool
		reject  bool
		comment string
		envs    []string
	}
	approved, rejected := "Approved with ghruns", "Rejected with ghruns"
	tests := []struct {
		name    string
		args    []string
		want    want
		wantErr string
	}{
		{name: "IDs", args: []string{"42", "43"}, want: want{ids: []int64{42, 43}, comment: approved}},
		{name: "filters", args: []string{"-s", "action_required", "-e", "pull_request", "--yes"},
			want: want{filter: runquery.Filter{Status: "action_required", Event: "pull_request"}, yes: true, comment: approved}},
		{name: "reject has its own default comment", args: []string{"42", "--reject"}, want: want{ids: []int64{42}, reject: true, comment: rejected}},
		{name: "comment and environments", args: []string{"-s", "waiting", "--dry-run", "--comment", "release 1.5", "--env", "staging", "--env", "production"},
			want: want{filter: runquery.Filter{Status: "waiting"}, dry: true, comment: "release 1.5", envs: []string{"staging", "production"}}},

		{name: "empty comment", args: []string{"42", "--comment", " "}, wantErr: "invalid --comment: GitHub needs a comment with a review"},
		{name: "empty environment", args: []string{"42", "--env", ""}, wantErr: `invalid --env "": name an environment`},
		{name: "IDs and filters", args: []string{"42", "-s", "waiting"}, wantErr: "specify run IDs or filters, not both"},
		{name: "neither", args: []string{}, wantErr: "specify one or more run IDs, or filters such as --status or --branch"},
		{name: "not a number", args: []string{"abc"}, wantErr: `invalid run ID "abc"`},
		{name: "unknown status", args: []string{"-s", "held"}, wantErr: `invalid --status "held"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, out, errOut := cmdtest.Streams(false)
			got, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			if out.Len()+errOut.Len() > 0 {
				t.Errorf("printed %q, %q before any work", out, errOut)
			}
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want a usage error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := want{ids: got.IDs, filter: got.Filter, yes: got.Yes, dry: got.DryRun, reject: got.Reject, comment: got.Comment, envs: got.Envs}
			g.filter.Now = tt.want.filter.Now
			if !slices.Equal(g.ids, tt.want.ids) || g.filter != tt.want.filter || g.yes != tt.want.yes || g.dry != tt.want.dry ||
				g.reject != tt.want.reject || g.comment != tt.want.comment || !slices.Equal(g.envs, tt.want.envs) {
				t.Errorf("options %+v, want %+v", g, tt.want)
			}
		})
	}
}

// serve starts the seeded fake with the runs that wait on a person.
func serve(t *testing.T) *fakegh.Server {
	t.Helper()
	s := cmdtest.Serve(t)
	fakegh.SeedApprovals(s)
	return s
}

// approve runs the command against the fake, not on a terminal.
func approve(args ...string) (stdout, stderr string, err error) {
	return cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }, args...)
}

// wantChanges compares the writes the fake received, by "METHOD path"
// under the repository's runs, with want.
func wantChanges(t *testing.T, s *fakegh.Server, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for k, n := range cmdtest.Changes(s) {
		got[strings.Replace(k, runsPath, "", 1)] = n
	}
	if !maps.Equal(got, want) {
		t.Errorf("writes %v, want %v", got, want)
	}
}

// body is the last request body sent about run id.
func body(s *fakegh.Server, id int64) string {
	var b string
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, runsPath+cmdtest.Arg(id)+"/") && len(r.Body) > 0 {
			b = string(r.Body)
		}
	}
	return b
}

func wantState(t *testing.T, s *fakegh.Server, id int64, state string) {
	t.Helper()
	r, _ := s.Run(id)
	if got := strings.TrimSuffix(r.Status+"/"+r.Conclusion, "/"); got != state {
		t.Errorf("run %d is %s, want %s", id, got, state)
	}
}

const runsPath = "/repos/octo/hello/actions/runs/"

// TestApproveByID: the fork run is approved, the deployment approved on
// both environments with the default comment, and a run waiting on
// nothing is skipped with why; none of this is a failure.
func TestApproveByID(t *testing.T) {
	s := serve(t)
	out, errOut, err := approve(cmdtest.Arg(fakegh.ForkRun), cmdtest.Arg(fakegh.WaitingDeployRun), cmdtest.Arg(fakegh.FailedRun))
	if err != nil {
		t.Fatalf("error %v; stderr %s", err, errOut)
	}
	want := "7000000202\tapproved\n" +
		"7000000201\tapproved\n" +
		"7000000110\tnot waiting on an approval (completed/failure)\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	wantChanges(t, s, map[string]int{"POST 7000000202/approve": 1, "POST 7000000201/pending_deployments": 1})
	if got, want := body(s, fakegh.WaitingDeployRun), `{"environment_ids":[161171787,161171788],"state":"approved","comment":"Approved with ghruns"}`; got != want {
		t.Errorf("review %s, want %s", got, want)
	}
	wantState(t, s, fakegh.ForkRun, "queued")
	wantState(t, s, fakegh.WaitingDeployRun, "in_progress")
}

// TestApproveRefused: GitHub's refusal of a run not from a fork is that
// run's failure; the others go on, and the exit code says one failed.
func TestApproveRefused(t *testing.T) {
	s := serve(t)
	s.AddRuns(fakegh.Run{ID: 100, WorkflowID: 1, Event: "pull_request", Conclusion: "action_required", CreatedAt: cmdtest.Now.Add(-time.Hour)})
	out, errOut, err := approve("100", cmdtest.Arg(fakegh.ForkRun))
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Errorf("error %v, want the silent failure of one run", err)
	}
	want := "100\tfailed\tapprove run 100: This run is not waiting for approval of a fork pull request. (HTTP 403)\n" +
		"7000000202\tapproved\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if want := "could not approve 1 run of 2 in octo/hello\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
}

// TestApproveByFilter: with --yes, every fork run the filter selects is
// approved, after a plan that says what each waits on; a second time finds
// none left.
func TestApproveByFilter(t *testing.T) {
	s := serve(t)
	out, errOut, err := approve("-s", "action_required", "-e", "pull_request", "--yes")
	if err != nil {
		t.Fatalf("error %v; stderr %s", err, errOut)
	}
	if want := "7000000203\tapproved\n7000000202\tapproved\n"; out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	wantPlan := "run 7000000203 (CI: Fix a typo in the README) waits on approval of a run from a fork\n" +
		"run 7000000202 (CI: Support proxies) waits on approval of a run from a fork\n"
	if !strings.Contains(errOut, wantPlan) {
		t.Errorf("stderr:\n%s\nwant the plan:\n%s", errOut, wantPlan)
	}
	wantChanges(t, s, map[string]int{"POST 7000000202/approve": 1, "POST 7000000203/approve": 1})
	out, errOut, err = approve("-s", "action_required", "-e", "pull_request", "--yes")
	if err != nil || out != "" || !strings.Contains(errOut, "no runs to approve in octo/hello") {
		t.Errorf("again: error %v, stdout %q, stderr %q; want no runs left", err, out, errOut)
	}
}

// TestRejectEnvironment: --reject with --env rejects that environment
// only, with the comment given, and the run fails; a fork run is skipped.
func TestRejectEnvironment(t *testing.T) {
	s := serve(t)
	out, errOut, err := approve(cmdtest.Arg(fakegh.WaitingDeployRun), cmdtest.Arg(fakegh.ForkRun), "--reject", "--env", "Production", "--comment", "not during the freeze")
	if err != nil {
		t.Fatalf("error %v; stderr %s", err, errOut)
	}
	want := "7000000201\trejected\n7000000202\ta run from a fork is approved or cancelled, not rejected\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if got, want := body(s, fakegh.WaitingDeployRun), `{"environment_ids":[161171788],"state":"rejected","comment":"not during the freeze"}`; got != want {
		t.Errorf("review %s, want %s", got, want)
	}
	wantChanges(t, s, map[string]int{"POST 7000000201/pending_deployments": 1})
	wantState(t, s, fakegh.WaitingDeployRun, "completed/failure")
	wantState(t, s, fakegh.ForkRun, "completed/action_required")
}

// TestApproveOtherEnvironment: a run waiting on environments none of
// which --env names is skipped, saying what it waits on; nothing is sent.
func TestApproveOtherEnvironment(t *testing.T) {
	s := serve(t)
	out, _, err := approve(cmdtest.Arg(fakegh.WaitingDeployRun), "--env", "qa")
	if err != nil {
		t.Fatal(err)
	}
	if want := "7000000201\twaiting on staging, production, not on --env qa\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	out, errOut, err := approve("-s", "waiting", "--env", "qa", "--yes")
	if err != nil || out != "" || !strings.Contains(errOut, "skipping run 7000000201 (Deploy: Deploy v1.5.0): waiting on staging, production, not on --env qa\n") {
		t.Errorf("by filter: error %v, stdout %q, stderr %q", err, out, errOut)
	}
	wantChanges(t, s, map[string]int{})
}

// TestApproveDryRun: a dry run says what each run waits on and what would
// be done, and changes nothing.
func TestApproveDryRun(t *testing.T) {
	s := serve(t)
	out, errOut, err := approve(cmdtest.Arg(fakegh.ForkRun), cmdtest.Arg(fakegh.WaitingDeployRun), cmdtest.Arg(fakegh.FailedRun), "--dry-run")
	if err != nil {
		t.Fatalf("error %v; stderr %s", err, errOut)
	}
	want := "7000000202\twould approve\n7000000201\twould approve\n7000000110\twould skip\tnot waiting on an approval\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	wantPlan := "run 7000000202 (CI: Support proxies) waits on approval of a run from a fork\n" +
		"run 7000000201 (Deploy: Deploy v1.5.0) waits on review of deployments to staging, production\n"
	if errOut != wantPlan {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, wantPlan)
	}
	out, errOut, err = approve("-s", "waiting", "--env", "staging", "--dry-run", "--json", "databaseId,result")
	if err != nil || out != `[{"databaseId":7000000201,"result":"would approve"}]`+"\n" ||
		!strings.Contains(errOut, "run 7000000201 (Deploy: Deploy v1.5.0) waits on review of deployments to staging\n") {
		t.Errorf("by filter: error %v, stdout %q, stderr %q", err, out, errOut)
	}
	wantChanges(t, s, map[string]int{})
	wantState(t, s, fakegh.ForkRun, "completed/action_required")
	wantState(t, s, fakegh.WaitingDeployRun, "waiting")
}

// TestApproveConfirm: on a terminal, a filtered approval shows what each
// run waits on and asks with the count and the repository; declining
// changes nothing and exits 2.
func TestApproveConfirm(t *testing.T) {
	s := serve(t)
	out, errOut, err := cmdtest.Run(true, "n\n", func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }, "-s", "waiting")
	if !errors.Is(err, cmdutil.ErrCancel) {
		t.Errorf("error %v, want the user's refusal", err)
	}
	for _, want := range []string{"run 7000000201 (Deploy: Deploy v1.5.0) waits on review of deployments to staging, production\n", "Approve 1 run in octo/hello?"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr:\n%s\nwant %q", errOut, want)
		}
	}
	if out != "" {
		t.Errorf("stdout %q", out)
	}
	wantChanges(t, s, map[string]int{})

	out, _, err = cmdtest.Run(true, "y\n", func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }, "-s", "waiting")
	if err != nil || !strings.Contains(out, "run 7000000201 (Deploy: Deploy v1.5.0): approved\n") {
		t.Errorf("confirmed: error %v, stdout %q", err, out)
	}
	wantState(t, s, fakegh.WaitingDeployRun, "in_progress")
}

// TestApprovePendingRefused: when GitHub will not list one run's pending
// deployments, that run fails and the others are approved.
func TestApprovePendingRefused(t *testing.T) {
	s := serve(t)
	s.AddRuns(fakegh.Run{ID: 100, WorkflowID: 2, Status: "waiting", CreatedAt: cmdtest.Now.Add(-time.Hour)})
	s.AddPendingDeployments(100, fakegh.StagingEnvironment)
	s.Refuse(fakegh.Refusal{Method: "GET", Path: "runs/100/pending_deployments", Status: 403, Message: "Resource not accessible by integration"})
	out, errOut, err := approve("-s", "waiting", "--yes")
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Errorf("error %v, want the silent failure of one run", err)
	}
	want := "100\tfailed\tlist pending deployments of run 100: Resource not accessible by integration (HTTP 403)\n" +
		"7000000201\tapproved\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if !strings.Contains(errOut, "warning: list pending deployments of run 100: Resource not accessible by integration (HTTP 403)\n") {
		t.Errorf("stderr:\n%s", errOut)
	}
	wantChanges(t, s, map[string]int{"POST 7000000201/pending_deployments": 1})
}
