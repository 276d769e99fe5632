package approve

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// serveOwnerWaiting starts cmdtest.ServeOwner's organisation with runs
// that wait on a person in three repositories: in api a fork's pull
// request run (9104), in web a deployment waiting on staging and
// production (9203), in secret one waiting on staging only (9502).
func serveOwnerWaiting(t *testing.T) *fakegh.Owner {
	t.Helper()
	o := cmdtest.ServeOwner(t)
	repos := map[string]*fakegh.OwnedRepo{}
	for _, r := range o.Repos() {
		repos[r.Repo] = r
	}
	run := func(id int64, name, event, status, conclusion string, ago time.Duration) fakegh.Run {
		return fakegh.Run{ID: id, Number: int(id % 100), WorkflowID: 3, Name: name, DisplayTitle: name + " run",
			HeadBranch: "main", HeadSHA: "0123456789abcdef0123456789abcdef01234567", Event: event, Actor: "newcomer",
			Status: status, Conclusion: conclusion, CreatedAt: cmdtest.Now.Add(-ago)}
	}
	repos["api"].AddRuns(run(9104, "CI", "pull_request", "completed", "action_required", 3*time.Minute))
	repos["api"].MarkFork(9104)
	repos["web"].AddRuns(run(9203, "Deploy", "push", "waiting", "", 4*time.Minute))
	repos["web"].AddPendingDeployments(9203, fakegh.StagingEnvironment, fakegh.ProductionEnvironment)
	repos["secret"].AddRuns(run(9502, "Deploy", "push", "waiting", "", 6*time.Minute))
	repos["secret"].AddPendingDeployments(9502, fakegh.StagingEnvironment)
	return o
}

// ownerWrites counts the POST requests the owner's host received, by path.
func ownerWrites(o *fakegh.Owner) map[string]int {
	n := map[string]int{}
	for _, r := range o.Requests() {
		if r.Method == "POST" {
			n[r.Path]++
		}
	}
	return n
}

// TestApproveAcrossOwner: the fork run is approved in api, web's
// deployment approved on --env production with the comment, and secret's,
// which waits on staging only, skipped with why: each in its own
// repository, once, on a line naming it.
func TestApproveAcrossOwner(t *testing.T) {
	o := serveOwnerWaiting(t)
	o.Latency = 20 * time.Millisecond // for requests to overlap when nothing bounds them
	t.Setenv("GHRUNS_CONCURRENCY", "2")
	newCmd := func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }
	stdout, stderr, err := cmdtest.Run(false, "", newCmd, "--owner", "acme", "-s", "action_required,waiting",
		"--env", "production", "--comment", "release 1.5", "--yes")
	if err != nil {
		t.Fatalf("approve: %v\n%s", err, stderr)
	}
	if want := "acme/api\t9104\tapproved\nacme/web\t9203\tapproved\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if note := "skipping acme/secret run 9502 (Deploy: Deploy run): waiting on staging, not on --env production\n"; !strings.Contains(stderr, note) {
		t.Errorf("stderr lacks %q:\n%s", note, stderr)
	}
	// Listings, pending deployments and reviews, in all.
	if n := o.MaxInFlight(); n > 2 {
		t.Errorf("%d requests in flight, concurrency 2", n)
	}
	want := map[string]int{"/repos/acme/api/actions/runs/9104/approve": 1, "/repos/acme/web/actions/runs/9203/pending_deployments": 1}
	if got := ownerWrites(o); !maps.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
	var web, secret *fakegh.OwnedRepo
	for _, r := range o.Repos() {
		switch r.Repo {
		case "web":
			web = r
		case "secret":
			secret = r
		}
	}
	reviews := 0
	for _, r := range web.Requests() {
		if r.Method != "POST" {
			continue
		}
		reviews++
		if !strings.Contains(string(r.Body), `"release 1.5"`) || !strings.Contains(string(r.Body), "["+cmdtest.Arg(fakegh.ProductionEnvironment.ID)+"]") {
			t.Errorf("review body %s, want production only, with the comment", r.Body)
		}
	}
	if reviews != 1 {
		t.Errorf("web received %d reviews, want 1", reviews)
	}
	if got := web.PendingEnvironments(9203); !slices.Equal(got, []string{"staging"}) {
		t.Errorf("web's run waits on %v, want staging only", got)
	}
	if got := secret.PendingEnvironments(9502); !slices.Equal(got, []string{"staging"}) {
		t.Errorf("secret's run waits on %v, want staging still", got)
	}

	// Again, nothing is left to approve on production; --reject on a
	// terminal asks once, naming both repositories' counts.
	o.ResetRequests()
	t.Setenv("NO_COLOR", "1")
	stdout, stderr, err = cmdtest.Run(true, "y\n", newCmd, "-R", "acme/web", "-R", "acme/secret", "-s", "waiting", "--reject")
	if err != nil {
		t.Fatalf("reject: %v\n%s", err, stderr)
	}
	if q := "? Reject 2 runs in 2 repositories (acme/web 1, acme/secret 1)? [y/N] "; !strings.Contains(stderr, q) {
		t.Errorf("stderr lacks the question %q:\n%s", q, stderr)
	}
	for _, line := range []string{"acme/web run 9203 (Deploy: Deploy run) waits on review of deployments to staging\n",
		"acme/secret run 9502 (Deploy: Deploy run) waits on review of deployments to staging\n"} {
		if !strings.Contains(stderr, line) {
			t.Errorf("plan lacks %q:\n%s", line, stderr)
		}
	}
	if line := "✓ acme/secret run 9502 (Deploy: Deploy run): rejected\n"; !strings.Contains(stdout, line) {
		t.Errorf("stdout lacks %q:\n%s", line, stdout)
	}
	if n := len(ownerWrites(o)); n != 2 {
		t.Errorf("%d writes, want 2", n)
	}
}
