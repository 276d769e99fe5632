package logs

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// logs delete across repositories: each completed run on main once, in
// its own repository, and one line each naming it.
func TestDeleteAcrossRepos(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command { return NewDeleteCmd(env, nil) },
		"-R", "acme/api", "-R", "acme/secret", "-b", "main", "--yes")
	if err != nil {
		t.Fatalf("logs delete: %v\n%s", err, stderr)
	}
	want := "acme/api\t9101\tlogs deleted\nacme/api\t9102\tlogs deleted\nacme/api\t9103\tlogs deleted\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "skipping 1 matching run: not completed yet") {
		t.Errorf("stderr: %s", stderr)
	}
	deletes := map[string]int{}
	for _, r := range o.Requests() {
		if r.Method == "DELETE" {
			deletes[r.Path]++
		}
	}
	for _, id := range []string{"9101", "9102", "9103"} {
		if deletes["/repos/acme/api/actions/runs/"+id+"/logs"] != 1 {
			t.Errorf("deletes = %v, want each of api's runs once", deletes)
		}
	}
	if len(deletes) != 3 {
		t.Errorf("deletes = %v", deletes)
	}
}

// logs delete --keep across repositories keeps the newest run's logs of
// each workflow in each repository, though api and web share workflow IDs.
func TestDeleteAcrossKeepsPerRepository(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command { return NewDeleteCmd(env, nil) },
		"--owner", "acme", "--keep", "1", "--yes")
	if err != nil {
		t.Fatalf("logs delete: %v\n%s", err, stderr)
	}
	if want := "acme/api\t9102\tlogs deleted\nacme/web\t9202\tlogs deleted\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	n := 0
	for _, r := range o.Requests() {
		if r.Method == "DELETE" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d deletes, want 2", n)
	}
}
