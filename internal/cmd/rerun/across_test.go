package rerun

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// rerun across repositories: each completed run once, in its own
// repository, as JSON that names the repository.
func TestRerunAcrossRepos(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	stdout, stderr, err := cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) },
		"-R", "acme/web", "-R", "acme/api", "-b", "dev", "--yes", "--json", "repository,databaseId,result")
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, stderr)
	}
	if want := `[{"databaseId":9202,"repository":"acme/web","result":"rerun requested"}]` + "\n"; stdout != want {
		t.Errorf("stdout = %s, want %s", stdout, want)
	}
	var posts []string
	for _, r := range o.Requests() {
		if r.Method == "POST" {
			posts = append(posts, r.Path)
		}
	}
	if got := strings.Join(posts, " "); got != "/repos/acme/web/actions/runs/9202/rerun" {
		t.Errorf("posts = %s", got)
	}
}
