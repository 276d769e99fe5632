package watch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// setRun changes a run of one of the owner's repositories.
func setRun(t *testing.T, o *fakegh.Owner, repo string, id int64, status, conclusion string) {
	t.Helper()
	for _, r := range o.Repos() {
		if r.Repo == repo {
			run, ok := r.Run(id)
			if !ok {
				t.Fatalf("no run %d in %s", id, repo)
			}
			run.Status, run.Conclusion = status, conclusion
			r.AddRuns(run)
			return
		}
	}
	t.Fatalf("no repository %s", repo)
}

func TestWatchOwnerReportsEachChangeOnce(t *testing.T) {
	o := cmdtest.ServeOwner(t)
	var points []int
	// Between sweeps: nothing moves, then web's queued run succeeds, then
	// nothing, then secret's run fails.
	steps := []func(){
		func() {},
		func() { setRun(t, o, "web", 9201, "completed", "success") },
		func() {},
		func() { setRun(t, o, "secret", 9501, "completed", "failure") },
	}
	sleeps := 0
	stdout, stderr, err := cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command {
		return NewCmd(env, func(ctx context.Context, opts *Options) error {
			opts.Sleep = func(context.Context, time.Duration) error {
				points = append(points, o.RateRemaining(cmdtest.Token))
				if sleeps >= len(steps) {
					t.Fatal("still watching after every run completed")
				}
				steps[sleeps]()
				sleeps++
				return nil
			}
			if err := prepareAcross(ctx, env, opts); err != nil {
				return err
			}
			return runAcross(ctx, opts)
		})
	}, "--owner", "acme", "--exit-status")
	if cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v, want exit 1 for the failed run\n%s", err, stderr)
	}
	at := cmdtest.Now.UTC().Format(time.RFC3339)
	want := at + "\tacme/secret\trun 9501 CI\tin_progress\n" +
		at + "\tacme/web\trun 9201 CI\tqueued\n" +
		at + "\tacme/web\trun 9201 CI\tqueued -> completed (success)\n" +
		at + "\tacme/secret\trun 9501 CI\tin_progress -> completed (failure)\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	// A sweep in which nothing changed costs nothing: every answer is a 304.
	if len(points) < 3 || points[1] != points[0] {
		t.Errorf("rate limit left after each sweep: %v; the second sweep, with nothing changed, should cost 0", points)
	}
	if points[2] != points[1]-1 {
		t.Errorf("rate limit left after each sweep: %v; the sweep after one repository changed should cost 1", points)
	}
}

// TestWatchRunIDAndBranch: -b in one repository watches the branch's
// runs, which a run ID contradicts.
func TestWatchRunIDAndBranch(t *testing.T) {
	cmdtest.Isolate(t)
	_, _, err := cmdtest.Run(false, "", func(env *cmdutil.Env) *cobra.Command { return NewCmd(env, nil) }, "123", "-b", "main")
	if !strings.Contains(err.Error(), "specify a run ID or one of -b, -c and --pr, not both") {
		t.Errorf("err = %v", err)
	}
}
