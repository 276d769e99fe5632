package artifacts

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

type result struct {
	out, errOut string
	err         error
}

func execCmd(t *testing.T, newCmd func(*cmdutil.Env) *cobra.Command, tty bool, stdin string, args ...string) result {
	t.Helper()
	out, errOut, err := cmdtest.Run(tty, stdin, newCmd, args...)
	return result{out, errOut, err}
}

func listCmd(env *cmdutil.Env) *cobra.Command   { return NewListCmd(env, nil) }
func deleteCmd(env *cmdutil.Env) *cobra.Command { return NewDeleteCmd(env, nil) }

// TestList: the repository's artifacts or a run's, as a table with totals
// on a terminal and as exact rows in a pipe, with -n, --older-than and -L.
func TestList(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"repo", nil},
		{"run", []string{cmdtest.Arg(fakegh.ReleaseRun)}},
		{"names", []string{"-n", "coverage", "-n", "deploy-manifest"}},
		{"older-than", []string{"--older-than", "2d"}},
		{"limit", []string{"-L", "3"}},
	} {
		for _, tty := range []bool{false, true} {
			t.Run(tc.name+"-"+cmdtest.TTYName(tty), func(t *testing.T) {
				cmdtest.Serve(t)
				r := execCmd(t, listCmd, tty, "", tc.args...)
				if r.err != nil {
					t.Fatal(r.err)
				}
				cmdtest.Golden(t, "list-"+tc.name+"-"+cmdtest.TTYName(tty), r.out, r.errOut)
			})
		}
	}
}

// TestListRequests: several names take one filtered listing each, sent
// together: one round trip.
func TestListRequests(t *testing.T) {
	s := cmdtest.Serve(t)
	s.Latency = 50 * time.Millisecond
	if r := execCmd(t, listCmd, false, "", "-n", "coverage", "-n", "test-results", "-n", "dist-linux"); r.err != nil {
		t.Fatal(r.err)
	}
	var got []string
	for _, q := range s.Requests() {
		got = append(got, q.Path+"?name="+q.Query.Get("name"))
	}
	// They arrive in any order.
	slices.Sort(got)
	want := "/repos/octo/hello/actions/artifacts?name=coverage /repos/octo/hello/actions/artifacts?name=dist-linux /repos/octo/hello/actions/artifacts?name=test-results"
	if strings.Join(got, " ") != want {
		t.Errorf("requests %v, want %s", got, want)
	}
	if rt := s.RoundTrips(); rt != 1 {
		t.Errorf("%d round trips, want 1", rt)
	}
}

// TestListJSON: gh-style fields, exact values; --jq works on them.
func TestListJSON(t *testing.T) {
	s := cmdtest.Serve(t)
	r := execCmd(t, listCmd, false, "", cmdtest.Arg(fakegh.DependabotRun), "--json", strings.Join(Fields, ","))
	if r.err != nil {
		t.Fatal(r.err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil {
		t.Fatalf("%v in %s", err, r.out)
	}
	a, _ := s.Artifact(fakegh.DependabotTestResults)
	run, _ := s.Run(fakegh.DependabotRun)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	got := rows[0]
	if got["id"] != float64(a.ID) || got["name"] != "test-results" || got["sizeInBytes"] != 16384.0 || got["expired"] != true ||
		got["createdAt"] != a.CreatedAt.UTC().Format("2006-01-02T15:04:05Z") || got["expiresAt"] != a.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z") ||
		got["workflowRunId"] != float64(fakegh.DependabotRun) || got["headBranch"] != run.HeadBranch || got["headSha"] != run.HeadSHA ||
		!strings.HasPrefix(got["digest"].(string), "sha256:") || got["updatedAt"] == nil || len(got) != len(Fields) {
		t.Errorf("JSON row %v", got)
	}
	r = execCmd(t, listCmd, false, "", "--json", "name,sizeInBytes", "--jq", "map(.sizeInBytes) | add", "-L", "0")
	if r.err != nil || r.out != "45879792\n" {
		t.Errorf("--jq sum of sizes: %q, %v", r.out, r.err)
	}
	r = execCmd(t, listCmd, false, "", "--json", "name", "--template", "{{range .}}{{.name}} {{end}}", "-L", "2")
	if r.err != nil || r.out != "deploy-manifest test-results " {
		t.Errorf("--template: %q, %v", r.out, r.err)
	}
	r = execCmd(t, listCmd, false, "", "--json", "id", "-n", "nothing-so-named")
	if r.err != nil || r.out != "[]\n" {
		t.Errorf("no match with --json: %q, %v", r.out, r.err)
	}
}

// TestListSanitised: a name and branch from GitHub cannot drive the
// terminal; --json keeps them exact.
func TestListSanitised(t *testing.T) {
	s := cmdtest.Serve(t)
	s.AddArtifacts(fakegh.Artifact{ID: 5, Name: "evil\x1b]0;pwned\x07\x1b[2Jname", RunID: fakegh.FailedRun, CreatedAt: cmdtest.Now})
	for _, tty := range []bool{true, false} {
		r := execCmd(t, listCmd, tty, "", "-L", "1")
		if r.err != nil || strings.Contains(r.out, "pwned") || strings.Contains(r.out, "\x07") || strings.Contains(r.out, "\x1b[2J") || !strings.Contains(r.out, "evilname") {
			t.Errorf("tty %v: %q, %v", tty, r.out, r.err)
		}
	}
	r := execCmd(t, listCmd, false, "", "-L", "1", "--json", "name")
	if !strings.Contains(r.out, `\u001b]0;pwned`) {
		t.Errorf("--json changed the name: %s", r.out)
	}
}

// TestListNoExpiry: an artifact GitHub gives no expiry (expires_at null)
// has an empty expiry in a pipe and null in --json, not year 1.
func TestListNoExpiry(t *testing.T) {
	s := cmdtest.Serve(t)
	s.AddArtifacts(fakegh.Artifact{ID: 5, Name: "kept", RunID: fakegh.FailedRun, CreatedAt: cmdtest.Now, NoExpiry: true})
	r := execCmd(t, listCmd, false, "", "-L", "1")
	if r.err != nil || !strings.HasSuffix(r.out, "Z\t\n") || strings.Contains(r.out, "0001-") {
		t.Errorf("pipe: %q, %v; want an empty last column", r.out, r.err)
	}
	r = execCmd(t, listCmd, false, "", "-L", "1", "--json", "expiresAt")
	if r.err != nil || strings.TrimSpace(r.out) != `[{"expiresAt":null}]` {
		t.Errorf("--json: %q, %v", r.out, r.err)
	}
}

// TestListNone: no artifacts is said on a terminal, and silent in a pipe.
func TestListNone(t *testing.T) {
	cmdtest.Serve(t)
	r := execCmd(t, listCmd, true, "", cmdtest.Arg(fakegh.QueuedRun))
	if r.err != nil || r.out != "" || r.errOut != "no artifacts found\n" {
		t.Errorf("tty: %q, %q, %v", r.out, r.errOut, r.err)
	}
	r = execCmd(t, listCmd, false, "", cmdtest.Arg(fakegh.QueuedRun))
	if r.err != nil || r.out != "" || r.errOut != "" {
		t.Errorf("pipe: %q, %q, %v", r.out, r.errOut, r.err)
	}
	r = execCmd(t, listCmd, false, "", "42")
	if r.err == nil || !strings.Contains(r.err.Error(), "run 42 not found in octo/hello (HTTP 404)") {
		t.Errorf("unknown run: %v", r.err)
	}
}

// TestListBadInput is refused before any request.
func TestListBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"abc"}, `invalid run ID "abc"`},
		{[]string{"1", "2"}, `unexpected argument "2"`},
		{[]string{"--older-than", "soon"}, "want a duration"},
		{[]string{"-L", "-1"}, "invalid --limit -1"},
		{[]string{"-n", ""}, "empty value"},
		{[]string{"--json", "nope"}, "nope"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			opts, err := cmdtest.Parse(ios, NewListCmd, tc.args...)
			cmdtest.WantFlagError(t, err, tc.want, opts != nil)
		})
	}
}
