package list

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func listAcrossCmd(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }

// repoRuns is the databaseId and repository of each run of list's --json output.
func repoRuns(t *testing.T, stdout string) []string {
	t.Helper()
	var rows []struct {
		ID   int64  `json:"databaseId"`
		Repo string `json:"repository"`
	}
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s#%d", r.Repo, r.ID))
	}
	return out
}

// runsListed counts the run listings of each repository the owner's host received.
func runsListed(o *fakegh.Owner) map[string][]string {
	got := map[string][]string{}
	for _, r := range o.Requests() {
		if strings.HasSuffix(r.Path, "/actions/runs") {
			repo := strings.Split(r.Path, "/")[3]
			got[repo] = append(got[repo], r.Query.Get("per_page"))
		}
	}
	return got
}

func TestListOwnerMergesNewestFirst(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "--owner", "acme", "-L", "3", "--json", "databaseId,repository")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	got := strings.Join(repoRuns(t, stdout), " ")
	// old (archived) and fork are left out; locked is skipped with a note.
	if want := "acme/web#9201 acme/api#9101 acme/secret#9501"; got != want {
		t.Errorf("runs = %s, want %s", got, want)
	}
	for _, note := range []string{
		"acme: 5 of 7 repositories selected; left out 1 archived (--include-archived), 1 forks (--include-forks)\n",
		"skipping acme/locked: Actions is disabled or the token cannot see it (HTTP 404)\n",
	} {
		if strings.Count(stderr, note) != 1 {
			t.Errorf("stderr lacks %q once:\n%s", note, stderr)
		}
	}
	// -L 3 asks each repository for 3 runs at most, in one request.
	for repo, pages := range runsListed(o) {
		if len(pages) != 1 || pages[0] != "3" {
			t.Errorf("%s listed with per_page %v, want one request for 3", repo, pages)
		}
	}
}

func TestListOwnerIncludesArchivedAndForks(t *testing.T) {
	cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "--owner", "acme", "-L", "3", "--include-archived", "--include-forks",
		"--json", "databaseId,repository")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	if got, want := strings.Join(repoRuns(t, stdout), " "), "acme/old#9301 acme/fork#9401 acme/web#9201"; got != want {
		t.Errorf("runs = %s, want %s", got, want)
	}
}

func TestListOwnerRepoFilter(t *testing.T) {
	cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "--owner", "acme", "--repo-filter", "[as]*", "--json", "databaseId,repository")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	if got, want := strings.Join(repoRuns(t, stdout), " "), "acme/api#9101 acme/secret#9501 acme/api#9102 acme/api#9103"; got != want {
		t.Errorf("runs = %s, want %s", got, want)
	}
}

func TestListUserOwner(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	o.User = true
	stdout, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "--owner", "acme", "-L", "1", "--json", "databaseId,repository")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	if got := strings.Join(repoRuns(t, stdout), " "); got != "acme/web#9201" {
		t.Errorf("runs = %s", got)
	}
	var paths []string
	for _, r := range o.Requests() {
		if strings.HasSuffix(r.Path, "/repos") {
			paths = append(paths, r.Path)
		}
	}
	if got := strings.Join(paths, " "); got != "/orgs/acme/repos /users/acme/repos" {
		t.Errorf("repository listings = %s", got)
	}
}

func TestListRepeatedRepoFlagTable(t *testing.T) {
	cmdtest.ServeOwner(t)
	t.Setenv("NO_COLOR", "1")
	stdout, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "-R", "acme/web", "-R", "acme/api", "-R", "acme/web", "-L", "2")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	want := "acme/web\tqueued\t\tCI run\tCI\tmain\tpush\t9201\t5m0s\t2026-11-20T12:55:00Z\n" +
		"acme/api\tcompleted\tfailure\tCI run\tCI\tmain\tpush\t9101\t0s\t2026-11-20T12:50:00Z\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	stdout, _, err = cmdtest.Run(true, "", listAcrossCmd, "-R", "acme/web", "-R", "acme/api", "-L", "1")
	if err != nil || !strings.HasPrefix(stdout, "REPO ") || !strings.Contains(stdout, "acme/web") {
		t.Errorf("tty table lacks the REPO column (err %v):\n%s", err, stdout)
	}
}

func TestListReposFileAndStdin(t *testing.T) {
	cmdtest.ServeOwner(t)
	list := "# teams\nacme/secret\n\n  acme/api  # the API\n"
	path := filepath.Join(t.TempDir(), "repos.txt")
	if err := os.WriteFile(path, []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--repos", path}, {"--repos", "-"}} {
		stdout, stderr, err := cmdtest.Run(false, list, listAcrossCmd, append(args, "-L", "2", "--json", "databaseId,repository")...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		if got, want := strings.Join(repoRuns(t, stdout), " "), "acme/api#9101 acme/secret#9501"; got != want {
			t.Errorf("%v: runs = %s, want %s", args, got, want)
		}
	}
}

func TestListAcrossFailureGoesOn(t *testing.T) {
	cmdtest.ServeOwner(t)
	// A repository the fake does not know answers 404, as one the token
	// cannot see does: a note, and the rest go on.
	stdout, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "-R", "acme/api", "-R", "acme/gone", "-L", "1", "--json", "databaseId,repository")
	if err != nil {
		t.Fatalf("a missing repository is a note, not a failure: %v\n%s", err, stderr)
	}
	if got := strings.Join(repoRuns(t, stdout), " "); got != "acme/api#9101" {
		t.Errorf("runs = %s", got)
	}
	if !strings.Contains(stderr, "skipping acme/gone: Actions is disabled or the token cannot see it (HTTP 404)") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestListAcrossErrorExitsOneAfterTheRest(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	for _, r := range o.Repos() {
		if r.Repo == "web" {
			r.Refuse(fakegh.Refusal{Method: "GET", Path: "runs", Status: 422, Message: "Unprocessable Entity"})
		}
	}
	stdout, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "-R", "acme/api", "-R", "acme/web", "-L", "1", "--json", "databaseId,repository")
	if !errors.Is(err, cmdutil.ErrSilent) || cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v, want exit 1 after reporting", err)
	}
	if got := strings.Join(repoRuns(t, stdout), " "); got != "acme/api#9101" {
		t.Errorf("the other repository's runs = %s", got)
	}
	if !strings.Contains(stderr, "listing runs in acme/web: Unprocessable Entity (HTTP 422") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestListAcrossBadInputBeforeAnyRequest(t *testing.T) {
	tests := [][]string{
		{"--owner", "-bad-"},
		{"--owner", "acme", "-R", "acme/api"},
		{"--owner", "acme", "--repos", "-"},
		{"--owner", "acme", "--repo-filter", "[a"},
		{"-R", "acme/api", "-R", "not a repo"},
		{"--repos", "/no/such/file"},
		{"--repos", "-"}, // empty stdin
	}
	for _, args := range tests {
		o := cmdtest.ServeOwner(t)
		_, _, err := cmdtest.Run(false, "", listAcrossCmd, args...)
		var fe *cmdutil.FlagError
		if !errors.As(err, &fe) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
		if n := len(o.Requests()); n != 0 {
			t.Errorf("%v: %d requests before refusing", args, n)
		}
	}
}

func TestListAcrossRefusedOverBudget(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	o.SetRateRemaining(cmdtest.Token, 3)
	_, stderr, err := cmdtest.Run(false, "", listAcrossCmd, "--owner", "acme", "-L", "3")
	want := "this sweep needs at least 5 requests for 5 repositories, but GitHub's rate limit allows 2 more until"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "about 2 repositories fit") {
		t.Fatalf("err = %v, want %q…\n%s", err, want, stderr)
	}
	if got := runsListed(o); len(got) != 0 {
		t.Errorf("runs listed before refusing: %v", got)
	}
	// --yes goes on: the first repositories are listed, and the rest fail on the limit.
	_, stderr, err = cmdtest.Run(false, "", listAcrossCmd, "--owner", "acme", "-L", "3", "--yes")
	if !strings.Contains(stderr, "warning: this sweep needs at least 5 requests") || len(runsListed(o)) == 0 {
		t.Errorf("--yes did not go on (err %v):\n%s", err, stderr)
	}
}
