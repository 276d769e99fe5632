package delete

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// The runs of cmdtest.ServeOwner's organisation, by repository, that
// --older-than 1m selects and delete may delete: completed, in a
// repository neither archived nor a fork.
var ownerCompleted = map[string][]int64{"api": {9101, 9102, 9103}, "web": {9202}}

func deleteCmd(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }

// runDeletes counts the DELETE requests the owner's host received, by path.
func runDeletes(o *fakegh.Owner) map[string]int {
	n := map[string]int{}
	for _, r := range o.Requests() {
		if r.Method == "DELETE" {
			n[r.Path]++
		}
	}
	return n
}

// repo returns the owner's repository named name.
func repo(t *testing.T, o *fakegh.Owner, name string) *fakegh.OwnedRepo {
	t.Helper()
	for _, r := range o.Repos() {
		if r.Repo == name {
			return r
		}
	}
	t.Fatalf("no repository %s", name)
	return nil
}

// left lists the runs among ownerCompleted still in the fake.
func left(t *testing.T, o *fakegh.Owner) []int64 {
	var out []int64
	for _, name := range slices.Sorted(maps.Keys(ownerCompleted)) {
		for _, id := range ownerCompleted[name] {
			if _, ok := repo(t, o, name).Run(id); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// TestDeleteAcrossOwner: every completed run of the selected repositories
// goes, each with one DELETE in its own repository and one line naming it;
// active runs are skipped, the archived repository and the fork are left
// out, and a run already gone counts as done. Run again, nothing is left.
func TestDeleteAcrossOwner(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	// Deleted by someone else between the listing and the DELETE.
	repo(t, o, "web").Refuse(fakegh.Refusal{Method: "DELETE", Path: "runs/9202", Status: 404, Message: "Not Found"})
	stdout, stderr, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "1m", "--yes")
	if err != nil {
		t.Fatalf("delete: %v\n%s", err, stderr)
	}
	want := "acme/api\t9101\tdeleted\nacme/api\t9102\tdeleted\nacme/web\t9202\talready deleted\nacme/api\t9103\tdeleted\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	for _, note := range []string{"skipping 2 matching runs: still active", "skipping acme/locked: "} {
		if !strings.Contains(stderr, note) {
			t.Errorf("stderr lacks %q:\n%s", note, stderr)
		}
	}
	got := runDeletes(o)
	wantDeletes := map[string]int{
		"/repos/acme/api/actions/runs/9101": 1, "/repos/acme/api/actions/runs/9102": 1,
		"/repos/acme/api/actions/runs/9103": 1, "/repos/acme/web/actions/runs/9202": 1,
	}
	if !maps.Equal(got, wantDeletes) {
		t.Errorf("deletes = %v, want %v", got, wantDeletes)
	}
	if l := left(t, o); !slices.Equal(l, []int64{9202}) {
		t.Errorf("runs left = %v, want only web's, whose DELETE the fake refused", l)
	}

	o.ResetRequests()
	stdout, stderr, err = cmdtest.Run(false, "", deleteCmd, "-R", "acme/api", "-R", "acme/secret", "--older-than", "1m", "--yes")
	if err != nil || stdout != "" || !strings.Contains(stderr, "no runs to delete") || len(runDeletes(o)) != 0 {
		t.Errorf("again: err %v, stdout %q, %d deletes\n%s", err, stdout, len(runDeletes(o)), stderr)
	}
}

// TestDeleteAcrossKeepsPerRepository: --keep 1 keeps the newest run of each
// workflow in each repository, though api and web share workflow IDs; the
// plan has a row per workflow of each repository.
func TestDeleteAcrossKeepsPerRepository(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	_, stderr, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--keep", "1", "--dry-run")
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, stderr)
	}
	for _, row := range []string{"REPOSITORY                     WORKFLOW", "acme/api                       CI", "acme/web                       CI"} {
		if !strings.Contains(stderr, row) {
			t.Errorf("plan lacks %q:\n%s", row, stderr)
		}
	}
	if strings.Contains(stderr, "Deploy") {
		t.Errorf("plan has api's Deploy, whose only run stays:\n%s", stderr)
	}
	if n := len(runDeletes(o)); n != 0 {
		t.Fatalf("dry run sent %d deletes", n)
	}
	stdout, stderr, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--keep", "1", "--yes")
	if err != nil {
		t.Fatalf("delete: %v\n%s", err, stderr)
	}
	// api keeps 9101 (CI) and 9103 (Deploy); web keeps 9201 (CI), the
	// newest of its workflow 1 though not completed.
	if want := "acme/api\t9102\tdeleted\nacme/web\t9202\tdeleted\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if l := left(t, o); !slices.Equal(l, []int64{9101, 9103}) {
		t.Errorf("runs left = %v, want 9101 9103", l)
	}
}

// TestDeleteAcrossConfirms: on a terminal, one question with the count
// per repository, then one line per run naming its repository.
func TestDeleteAcrossConfirms(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	t.Setenv("NO_COLOR", "1")
	stdout, stderr, err := cmdtest.Run(true, "y\n", deleteCmd, "-R", "acme/api", "-R", "acme/web", "--older-than", "1m")
	if err != nil {
		t.Fatalf("delete: %v\n%s", err, stderr)
	}
	if q := "? Delete 4 runs in 2 repositories (acme/api 3, acme/web 1)? [y/N] "; !strings.Contains(stderr, q) {
		t.Errorf("stderr lacks the question %q:\n%s", q, stderr)
	}
	if !strings.Contains(stderr, "deleted: 4 runs in 2 repositories\n") {
		t.Errorf("stderr lacks the summary:\n%s", stderr)
	}
	for _, line := range []string{"✓ acme/api run 9101 (CI: CI run): deleted\n", "✓ acme/web run 9202 (CI: CI run): deleted\n"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("stdout lacks %q:\n%s", line, stdout)
		}
	}
	if n := len(runDeletes(o)); n != 4 {
		t.Errorf("%d deletes, want 4", n)
	}
}

// TestDeleteAcrossFailingRepository: a repository whose listing fails and
// one that refuses the DELETE are reported; the other runs go, exit 1.
func TestDeleteAcrossFailingRepository(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	repo(t, o, "secret").Refuse(fakegh.Refusal{Method: "GET", Path: "runs", Status: 422, Message: "Unprocessable Entity"})
	repo(t, o, "web").Refuse(fakegh.Refusal{Method: "DELETE", Path: "runs/9202", Status: 403, Message: "Resource not accessible by integration"})
	stdout, stderr, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "1m", "--yes")
	if !errors.Is(err, cmdutil.ErrSilent) || cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v, want exit 1 after reporting\n%s", err, stderr)
	}
	for _, line := range []string{"acme/api\t9101\tdeleted\n", "acme/api\t9102\tdeleted\n", "acme/api\t9103\tdeleted\n",
		"acme/web\t9202\tfailed\tdelete run 9202: Resource not accessible by integration (HTTP 403)\n"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("stdout lacks %q:\n%s", line, stdout)
		}
	}
	for _, note := range []string{"listing runs in acme/secret: Unprocessable Entity (HTTP 422", "could not delete 1 run of 4 in 2 repositories"} {
		if !strings.Contains(stderr, note) {
			t.Errorf("stderr lacks %q:\n%s", note, stderr)
		}
	}
	if l := left(t, o); !slices.Equal(l, []int64{9202}) {
		t.Errorf("runs left = %v, want web's only", l)
	}
	// On a terminal, the failure names the repository too.
	t.Setenv("NO_COLOR", "1")
	stdout, stderr, err = cmdtest.Run(true, "", deleteCmd, "--owner", "acme", "--older-than", "1m", "--yes")
	if want := "X acme/web: delete run 9202: Resource not accessible by integration (HTTP 403)\n"; stdout != want || cmdutil.ExitCode(err) != 1 {
		t.Errorf("again on a terminal: err %v, stdout:\n%s\nwant:\n%s\n%s", err, stdout, want, stderr)
	}
}

// TestDeleteAcrossResumes: a job stopped part way by the rate limit
// continues when run again, and no run is deleted twice.
func TestDeleteAcrossResumes(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	// The owner's repositories, the five listings and two deletes.
	o.SetRateRemaining(cmdtest.Token, 8)
	first, stderr, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "1m", "--yes")
	if err == nil || strings.Count(first, "\tdeleted\n") != 2 {
		t.Fatalf("first: err %v, stdout:\n%s\n%s", err, first, stderr)
	}
	o.SetRateRemaining(cmdtest.Token, 5000)
	second, stderr, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "1m", "--yes")
	if err != nil || strings.Count(second, "\tdeleted\n") != 2 {
		t.Fatalf("second: err %v, stdout:\n%s\n%s", err, second, stderr)
	}
	for _, line := range strings.Split(first, "\n") {
		if run, ok := strings.CutSuffix(line, "\tdeleted"); ok && strings.Contains(second, run+"\t") {
			t.Errorf("%s, deleted by the first, came up again:\n%s", run, second)
		}
	}
	if l := left(t, o); len(l) != 0 {
		t.Errorf("runs left: %v", l)
	}
}

// TestDeleteAcrossRefusedOverBudget: a sweep that does not fit the rate
// limit left is refused before any run is listed, counting for
// --workflow-state each repository's workflows too.
func TestDeleteAcrossRefusedOverBudget(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--older-than", "1m"}, "this sweep needs at least 5 requests for 5 repositories, but GitHub's rate limit allows 3 more"},
		{[]string{"--workflow-state", "deleted"}, "this sweep needs at least 10 requests for 5 repositories, but GitHub's rate limit allows 3 more"},
	}
	for _, tt := range tests {
		o := cmdtest.ServeOwner(t)
		o.SetRateRemaining(cmdtest.Token, 4)
		args := append([]string{"--owner", "acme", "--dry-run"}, tt.args...)
		_, stderr, err := cmdtest.Run(false, "", deleteCmd, args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want %q…\n%s", tt.args, err, tt.want, stderr)
		}
		for _, r := range o.Requests() {
			if strings.Contains(r.Path, "/actions/") {
				t.Errorf("%v: %s %s before refusing", tt.args, r.Method, r.Path)
			}
		}
	}
}
