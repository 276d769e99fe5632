package artifacts

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// serveOwnerArtifacts starts cmdtest.ServeOwner's organisation "acme" and
// adds artifacts to its repositories (ID, name, run, age, size):
//
//	api     801 test-results (9101, 10m, 1000), 802 coverage (9102, 40m, 3000),
//	        803 test-results (9102, 41m, 2000)
//	web     811 test-results (9201, 5m, 500), 812 test-results (9202, 50m, 4000, expired)
//	secret  821 coverage (9501, 20m, 7000)
//	old     831 (archived), fork 841: never selected without --include-*
//
// Stored (not expired) per repository: secret 7000, api 6000, web 500.
func serveOwnerArtifacts(t *testing.T) *fakegh.Owner {
	t.Helper()
	o := cmdtest.ServeOwner(t)
	art := func(id int64, name string, run int64, ago time.Duration, size int64) fakegh.Artifact {
		return fakegh.Artifact{ID: id, Name: name, RunID: run, CreatedAt: cmdtest.Now.Add(-ago), SizeInBytes: size}
	}
	expired := art(812, "test-results", 9202, 50*time.Minute, 4000)
	expired.Expired = true
	expired.ExpiresAt = cmdtest.Now.Add(-time.Minute)
	add := map[string][]fakegh.Artifact{
		"api": {art(801, "test-results", 9101, 10*time.Minute, 1000), art(802, "coverage", 9102, 40*time.Minute, 3000),
			art(803, "test-results", 9102, 41*time.Minute, 2000)},
		"web":    {art(811, "test-results", 9201, 5*time.Minute, 500), expired},
		"secret": {art(821, "coverage", 9501, 20*time.Minute, 7000)},
		"old":    {art(831, "coverage", 9301, time.Minute, 100)},
		"fork":   {art(841, "coverage", 9401, time.Minute, 100)},
	}
	for _, r := range o.Repos() {
		r.AddArtifacts(add[r.Repo]...)
	}
	return o
}

func ownedRepo(t *testing.T, o *fakegh.Owner, name string) *fakegh.OwnedRepo {
	t.Helper()
	for _, r := range o.Repos() {
		if r.Repo == name {
			return r
		}
	}
	t.Fatalf("no repository %s", name)
	return nil
}

// repoIDs is "repository#id" of each row of --json id,repository.
func repoIDs(t *testing.T, stdout string) string {
	t.Helper()
	var rows []struct {
		ID   int64  `json:"id"`
		Repo string `json:"repository"`
	}
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s#%d", r.Repo, r.ID))
	}
	return strings.Join(out, " ")
}

// artifactListings are the artifact listings the owner's host received:
// repository and per_page of each.
func artifactListings(o *fakegh.Owner) map[string][]string {
	got := map[string][]string{}
	for _, r := range o.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/actions/artifacts") {
			repo := strings.Split(r.Path, "/")[3]
			got[repo] = append(got[repo], r.Query.Get("per_page"))
		}
	}
	return got
}

// ownerDeletes counts the DELETE requests the owner's host received, by path.
func ownerDeletes(o *fakegh.Owner) map[string]int {
	n := map[string]int{}
	for _, r := range o.Requests() {
		if r.Method == "DELETE" {
			n[r.Path]++
		}
	}
	return n
}

// TestListAcrossMergesNewestFirst: -L counts across the repositories, each
// asked for that many at most in one request; archived and forked
// repositories are left out, and one with Actions disabled is a note.
func TestListAcrossMergesNewestFirst(t *testing.T) {
	o := serveOwnerArtifacts(t)
	stdout, stderr, err := cmdtest.Run(false, "", listCmd, "--owner", "acme", "-L", "3", "--json", "id,repository")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	if got, want := repoIDs(t, stdout), "acme/web#811 acme/api#801 acme/secret#821"; got != want {
		t.Errorf("artifacts = %s, want %s", got, want)
	}
	if !strings.Contains(stderr, "skipping acme/locked: Actions is disabled or the token cannot see it (HTTP 404)\n") {
		t.Errorf("stderr lacks the note on acme/locked:\n%s", stderr)
	}
	listed := artifactListings(o)
	if want := []string{"api", "empty", "locked", "secret", "web"}; !slices.Equal(slices.Sorted(maps.Keys(listed)), want) {
		t.Errorf("repositories listed %v, want %v", slices.Sorted(maps.Keys(listed)), want)
	}
	for repo, pages := range listed {
		if !slices.Equal(pages, []string{"3"}) {
			t.Errorf("%s listed with per_page %v, want one request for 3", repo, pages)
		}
	}

	// All of them, newest first, with -n across repositories too.
	stdout, stderr, err = cmdtest.Run(false, "", listCmd, "-R", "acme/web", "-R", "acme/api", "-n", "test-results", "-L", "0", "--json", "id,repository")
	if err != nil {
		t.Fatalf("list -n: %v\n%s", err, stderr)
	}
	if got, want := repoIDs(t, stdout), "acme/web#811 acme/api#801 acme/api#803 acme/web#812"; got != want {
		t.Errorf("artifacts = %s, want %s", got, want)
	}
}

// TestListAcrossTable: the repository comes first in a pipe and on a
// terminal, where the totals follow for the whole set and per repository,
// most stored first.
func TestListAcrossTable(t *testing.T) {
	serveOwnerArtifacts(t)
	t.Setenv("NO_COLOR", "1")
	stdout, _, err := cmdtest.Run(false, "", listCmd, "-R", "acme/api", "-R", "acme/web", "-L", "2")
	if err != nil {
		t.Fatal(err)
	}
	created := func(ago time.Duration) string { return cmdtest.Now.Add(-ago).UTC().Format(time.RFC3339) }
	expires := func(ago time.Duration) string {
		return cmdtest.Now.Add(-ago + 90*24*time.Hour).UTC().Format(time.RFC3339)
	}
	want := "acme/web\ttest-results\t500\tfalse\t9201\t811\t" + created(5*time.Minute) + "\t" + expires(5*time.Minute) + "\n" +
		"acme/api\ttest-results\t1000\tfalse\t9101\t801\t" + created(10*time.Minute) + "\t" + expires(10*time.Minute) + "\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}

	stdout, stderr, err := cmdtest.Run(true, "", listCmd, "--owner", "acme", "-L", "0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout, "REPO ") || strings.Count(stdout, "\n") != 7 || !strings.Contains(stdout, "acme/secret") {
		t.Errorf("table:\n%s", stdout)
	}
	wantTotals := "6 artifacts, 17.5 KB; not expired (stored, billed): 5 artifacts, 13.5 KB\n" +
		"  acme/secret: 1 artifact, 7.0 KB; not expired (stored, billed): 1 artifact, 7.0 KB\n" +
		"  acme/api: 3 artifacts, 6.0 KB; not expired (stored, billed): 3 artifacts, 6.0 KB\n" +
		"  acme/web: 2 artifacts, 4.5 KB; not expired (stored, billed): 1 artifact, 500 B\n"
	if !strings.HasSuffix(stderr, wantTotals) {
		t.Errorf("stderr:\n%s\nwant it to end with:\n%s", stderr, wantTotals)
	}
	for _, line := range []string{"this sweep needs at least 5 requests; GitHub's rate limit allows", "repositories 5/5"} {
		if !strings.Contains(stderr, line) {
			t.Errorf("stderr lacks %q (the budget, the progress line):\n%s", line, stderr)
		}
	}
}

// TestListAcrossSummary: one row per repository with artifacts, most
// stored first, every artifact counted.
func TestListAcrossSummary(t *testing.T) {
	serveOwnerArtifacts(t)
	t.Setenv("NO_COLOR", "1")
	stdout, _, err := cmdtest.Run(false, "", listCmd, "--owner", "acme", "--summary")
	if err != nil {
		t.Fatal(err)
	}
	if want := "acme/secret\t1\t7000\t7000\nacme/api\t3\t6000\t6000\nacme/web\t2\t4500\t500\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	stdout, stderr, err := cmdtest.Run(true, "", listCmd, "--owner", "acme", "--summary", "-n", "coverage")
	if err != nil {
		t.Fatal(err)
	}
	want := "REPO         ARTIFACTS  SIZE    STORED\nacme/secret  1          7.0 KB  7.0 KB\nacme/api     1          3.0 KB  3.0 KB\n"
	if stdout != want {
		t.Errorf("tty:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.HasSuffix(stderr, "2 repositories: 2 artifacts, 10.0 KB; not expired (stored, billed): 2 artifacts, 10.0 KB\n") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// TestListAcrossFailureGoesOn: a repository whose listing fails is
// reported, the others are listed, and the exit code is 1.
func TestListAcrossFailureGoesOn(t *testing.T) {
	o := serveOwnerArtifacts(t)
	ownedRepo(t, o, "web").Refuse(fakegh.Refusal{Method: "GET", Path: "artifacts", Status: 500, Message: "Server Error"})
	stdout, stderr, err := cmdtest.Run(false, "", listCmd, "-R", "acme/web", "-R", "acme/api", "-L", "2", "--json", "id,repository")
	if !errors.Is(err, cmdutil.ErrSilent) || cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v, want exit 1 after reporting\n%s", err, stderr)
	}
	if got := repoIDs(t, stdout); got != "acme/api#801 acme/api#802" {
		t.Errorf("the other repository's artifacts = %s", got)
	}
	if !strings.Contains(stderr, "list artifacts of acme/web: ") || !strings.Contains(stderr, "HTTP 500") {
		t.Errorf("stderr: %s", stderr)
	}
}

// TestListAcrossRefusedOverBudget: a sweep that does not fit the rate
// limit left is refused before any listing, unless --yes.
func TestListAcrossRefusedOverBudget(t *testing.T) {
	o := serveOwnerArtifacts(t)
	o.SetRateRemaining(cmdtest.Token, 3)
	// Two names: two listings in each of the 5 repositories.
	_, stderr, err := cmdtest.Run(false, "", listCmd, "--owner", "acme", "-n", "coverage", "-n", "test-results")
	want := "this sweep needs at least 10 requests for 5 repositories, but GitHub's rate limit allows 2 more until"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "about 1 repositories fit") {
		t.Fatalf("err = %v, want %q…\n%s", err, want, stderr)
	}
	if got := artifactListings(o); len(got) != 0 {
		t.Errorf("artifacts listed before refusing: %v", got)
	}
	_, stderr, _ = cmdtest.Run(false, "", listCmd, "--owner", "acme", "--yes")
	if !strings.Contains(stderr, "warning: this sweep needs at least 5 requests") || len(artifactListings(o)) == 0 {
		t.Errorf("--yes did not go on:\n%s", stderr)
	}
}

// TestDeleteAcross: each artifact the filters select is deleted once, in
// its own repository, with a line naming it; the others stay.
func TestDeleteAcross(t *testing.T) {
	o := serveOwnerArtifacts(t)
	stdout, stderr, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "30m", "--yes")
	if err != nil {
		t.Fatalf("delete: %v\n%s", err, stderr)
	}
	if want := "acme/api\t802\tdeleted\nacme/api\t803\tdeleted\nacme/web\t812\tdeleted\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	want := map[string]int{"/repos/acme/api/actions/artifacts/802": 1, "/repos/acme/api/actions/artifacts/803": 1,
		"/repos/acme/web/actions/artifacts/812": 1}
	if got := ownerDeletes(o); !maps.Equal(got, want) {
		t.Errorf("deletes %v, want %v", got, want)
	}
	for _, a := range []struct {
		repo string
		id   int64
	}{{"api", 801}, {"web", 811}, {"secret", 821}} {
		if _, ok := ownedRepo(t, o, a.repo).Artifact(a.id); !ok {
			t.Errorf("artifact %d of %s is gone", a.id, a.repo)
		}
	}
	if !strings.Contains(stderr, "deleting 3 artifacts in 2 repositories, freeing 5.0 KB of storage (5000 bytes); 1 artifact already expired, stored no more\n") {
		t.Errorf("stderr:\n%s", stderr)
	}

	o.ResetRequests()
	stdout, stderr, err = cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "30m", "--yes")
	if err != nil || stdout != "" || !strings.HasSuffix(stderr, "no artifacts to delete in 5 repositories\n") {
		t.Errorf("again: %v, %q\n%s", err, stdout, stderr)
	}
	if n := len(ownerDeletes(o)); n != 0 {
		t.Errorf("again: %d deletes", n)
	}
}

// TestDeleteAcrossKeepDryRun: --keep counts per name in each repository;
// the dry run gives the bytes freed per repository and in all, and
// changes nothing.
func TestDeleteAcrossKeepDryRun(t *testing.T) {
	o := serveOwnerArtifacts(t)
	t.Setenv("NO_COLOR", "1")
	stdout, stderr, err := cmdtest.Run(false, "", deleteCmd, "-R", "acme/api", "-R", "acme/web", "-R", "acme/secret", "--keep", "1", "--dry-run")
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, stderr)
	}
	// api keeps 801 (test-results) and 802 (coverage); web keeps 811;
	// secret's only coverage stays.
	if want := "acme/api\t803\twould delete\nacme/web\t812\twould delete\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	plan := "would delete 2 artifacts in 2 repositories, freeing 2.0 KB of storage (2000 bytes); 1 artifact already expired, stored no more\n" +
		"  acme/api: 1 artifact, freeing 2.0 KB of storage (2000 bytes)\n" +
		"  acme/web: 1 artifact, freeing 0 B of storage (0 bytes); 1 artifact already expired, stored no more\n"
	if !strings.Contains(stderr, plan) {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, plan)
	}
	if n := len(ownerDeletes(o)); n != 0 {
		t.Errorf("dry run sent %d deletes", n)
	}

	// On a terminal: one question, with the count per repository.
	stdout, stderr, err = cmdtest.Run(true, "y\n", deleteCmd, "-R", "acme/api", "-R", "acme/web", "--keep", "1")
	if err != nil {
		t.Fatalf("delete: %v\n%s", err, stderr)
	}
	if q := "? Delete 2 artifacts in 2 repositories (acme/api 1, acme/web 1)? [y/N] "; strings.Count(stderr, "? Delete") != 1 || !strings.Contains(stderr, q) {
		t.Errorf("stderr lacks the one question %q:\n%s", q, stderr)
	}
	for _, line := range []string{"✓ acme/api artifact 803 (test-results): deleted\n", "✓ acme/web artifact 812 (test-results): deleted\n"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("stdout lacks %q:\n%s", line, stdout)
		}
	}
	if !strings.Contains(stderr, "deleted: 2 artifacts in 2 repositories\n") {
		t.Errorf("stderr lacks the summary:\n%s", stderr)
	}
}

// TestDeleteAcrossFailureGoesOn: a repository whose listing fails is
// reported; the others' artifacts are deleted, and the exit code is 1.
func TestDeleteAcrossFailureGoesOn(t *testing.T) {
	o := serveOwnerArtifacts(t)
	ownedRepo(t, o, "web").Refuse(fakegh.Refusal{Method: "GET", Path: "artifacts", Status: 500, Message: "Server Error"})
	stdout, stderr, err := cmdtest.Run(false, "", deleteCmd, "-R", "acme/web", "-R", "acme/api", "-n", "coverage", "--yes")
	if !errors.Is(err, cmdutil.ErrSilent) || cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v, want exit 1 after the rest\n%s", err, stderr)
	}
	if stdout != "acme/api\t802\tdeleted\n" || !strings.Contains(stderr, "list artifacts of acme/web: ") {
		t.Errorf("stdout %q\nstderr:\n%s", stdout, stderr)
	}
	// Nothing to delete in the others: still exit 1.
	_, stderr, err = cmdtest.Run(false, "", deleteCmd, "-R", "acme/web", "-R", "acme/secret", "-n", "test-results", "--yes")
	if cmdutil.ExitCode(err) != 1 || !strings.Contains(stderr, "no artifacts to delete in 2 repositories") {
		t.Errorf("err %v\n%s", err, stderr)
	}
}

// TestDeleteAcrossRefusedOverBudget: the listings are checked against the
// rate limit left before any, and nothing is listed or deleted; --yes,
// which answers the question, goes on over the budget too, as the run
// bulk commands' does.
func TestDeleteAcrossRefusedOverBudget(t *testing.T) {
	o := serveOwnerArtifacts(t)
	o.SetRateRemaining(cmdtest.Token, 3)
	_, _, err := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "1m", "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "this sweep needs at least 5 requests for 5 repositories, but GitHub's rate limit allows 2 more") {
		t.Fatalf("err = %v", err)
	}
	if got := artifactListings(o); len(got) != 0 {
		t.Errorf("artifacts listed before refusing: %v", got)
	}
	_, stderr, _ := cmdtest.Run(false, "", deleteCmd, "--owner", "acme", "--older-than", "1m", "--yes")
	if !strings.Contains(stderr, "warning: this sweep needs at least 5 requests") || len(artifactListings(o)) == 0 {
		t.Errorf("--yes did not go on:\n%s", stderr)
	}
}

// TestDeleteJSON: the outcome report as JSON, across repositories and for
// an artifact named by ID, whose size is not known without a look-up.
func TestDeleteJSON(t *testing.T) {
	serveOwnerArtifacts(t)
	stdout, stderr, err := cmdtest.Run(false, "", deleteCmd, "-R", "acme/api", "-R", "acme/web", "--keep", "1", "--yes", "--json", strings.Join(DeleteFields, ","))
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	want := `[{"error":null,"id":803,"name":"test-results","repository":"acme/api","result":"deleted","sizeInBytes":2000},` +
		`{"error":null,"id":812,"name":"test-results","repository":"acme/web","result":"deleted","sizeInBytes":4000}]` + "\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}

	s := cmdtest.Serve(t)
	s.Refuse(fakegh.Refusal{Method: "DELETE", Path: "artifacts/9000001102", Status: 403, Message: "Resource not accessible by integration"})
	stdout, _, err = cmdtest.Run(false, "", deleteCmd, cmdtest.Arg(fakegh.FailedRunCoverage), "--json", "id,name,sizeInBytes,result,error,repository")
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Errorf("err = %v, want exit 1", err)
	}
	want = `[{"error":"delete artifact 9000001102: Resource not accessible by integration (HTTP 403)","id":9000001102,"name":null,` +
		`"repository":"octo/hello","result":"failed","sizeInBytes":null}]` + "\n"
	if stdout != want {
		t.Errorf("by ID:\n%s\nwant:\n%s", stdout, want)
	}
	stdout, _, err = cmdtest.Run(false, "", deleteCmd, cmdtest.Arg(fakegh.FailedRunTestResults), "--dry-run", "--json", "id,name,sizeInBytes,result")
	if err != nil || stdout != `[{"id":9000001101,"name":"test-results","result":"would delete","sizeInBytes":18432}]`+"\n" {
		t.Errorf("dry run by ID: %v\n%s", err, stdout)
	}
	stdout, _, err = cmdtest.Run(false, "", deleteCmd, "-n", "nothing-so-named", "--yes", "--json", "id")
	if err != nil || stdout != "[]\n" {
		t.Errorf("nothing to delete: %v, %q", err, stdout)
	}
}

// TestAcrossBadInputBeforeAnyRequest: IDs across repositories, a delete
// with no filter, --summary with -L or --json, and a bad selection are
// usage errors before the first request.
func TestAcrossBadInputBeforeAnyRequest(t *testing.T) {
	for _, tc := range []struct {
		list bool
		args []string
		want string
	}{
		{true, []string{"--owner", "acme", "7000000110"}, "a run ID names a run of one repository"},
		{true, []string{"-R", "acme/api", "-R", "acme/web", "7000000110"}, "a run ID names a run of one repository"},
		{true, []string{"--owner", "acme", "--summary", "-L", "5"}, "-L does not apply"},
		{true, []string{"--summary", "--json", "id"}, "--summary is for reading"},
		{true, []string{"--owner", "-bad-"}, `invalid --owner "-bad-"`},
		{true, []string{"--owner", "acme", "-R", "acme/api"}, "specify only one of --owner, --repos or -R"},
		{false, []string{"--owner", "acme", "801"}, "an artifact ID names an artifact of one repository"},
		{false, []string{"-R", "acme/api", "-R", "acme/web", "801", "--yes"}, "an artifact ID names an artifact of one repository"},
		{false, []string{"--owner", "acme", "--yes"}, "refusing to delete every artifact of every selected repository"},
		{false, []string{"--owner", "acme", "--keep", "0"}, "invalid --keep 0"},
		{false, []string{"--repos", "/no/such/file", "--all"}, "--repos /no/such/file"},
		{false, []string{"--owner", "acme", "--all", "--json", "databaseId"}, `unknown JSON field: "databaseId"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			o := serveOwnerArtifacts(t)
			newCmd := deleteCmd
			if tc.list {
				newCmd = listCmd
			}
			_, _, err := cmdtest.Run(false, "", newCmd, tc.args...)
			var fe *cmdutil.FlagError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want a usage error with %q", err, tc.want)
			}
			if n := len(o.Requests()); n != 0 {
				t.Errorf("%d requests before refusing", n)
			}
		})
	}
}
