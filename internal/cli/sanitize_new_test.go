package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// Artifacts of the poisoned run whose names carry Poison.
const (
	poisonedArtifactID        int64 = 9000000991
	poisonedExpiredArtifactID int64 = 9000000992
	poisonedWaitingRunID      int64 = 7000000198
)

// seedPoisonedMore adds to a server seeded with SeedPoisoned what the
// newer commands print: artifacts of the poisoned run (one expired) whose
// names carry Poison, a run waiting on an environment whose name does, a
// pull request for the poisoned run's commit with a poisoned title and
// head, and a poisoned default branch.
func seedPoisonedMore(t *testing.T, s *fakegh.Server) {
	t.Helper()
	r, ok := s.Run(fakegh.PoisonedRunID)
	if !ok {
		t.Fatal("no poisoned run")
	}
	s.AddArtifacts(
		fakegh.Artifact{ID: poisonedArtifactID, Name: "artifact" + fakegh.Poison, RunID: fakegh.PoisonedRunID},
		fakegh.Artifact{ID: poisonedExpiredArtifactID, Name: "gone" + fakegh.Poison, RunID: fakegh.PoisonedRunID, Expired: true},
	)
	s.AddRuns(fakegh.Run{ID: poisonedWaitingRunID, Number: 2, WorkflowID: fakegh.PoisonedWorkflowID,
		DisplayTitle: "title" + fakegh.Poison, HeadBranch: "main", HeadSHA: "0123456789abcdef0123456789abcdef01234567", Event: "push", Status: "waiting",
		Actor: "monalisa", CreatedAt: fakegh.SeedBase.Add(-2 * time.Minute)})
	s.AddPendingDeployments(poisonedWaitingRunID, fakegh.Environment{ID: 5, Name: "env" + fakegh.Poison})
	s.AddPullRequests(fakegh.PullRequest{Number: 4242, Title: "pull" + fakegh.Poison, HeadRef: "head" + fakegh.Poison,
		HeadSHA: r.HeadSHA})
	s.DefaultBranch = "trunk" + fakegh.Poison
}

// poisonedNew is a poisoned case with a setup of its own.
type poisonedNew struct {
	poisoned
	setup func(s *fakegh.Server)
}

var poisonedNewCommands = []poisonedNew{
	{poisoned: poisoned{name: "artifacts list", pipe: true, args: []string{"artifacts", "list"}, want: []string{"artifact"}}},
	{poisoned: poisoned{name: "artifacts list of run", pipe: true, args: []string{"artifacts", "list", poisonedRun}, want: []string{"artifact", "gone"}}},
	{poisoned: poisoned{name: "artifacts delete dry run", pipe: true, args: []string{"artifacts", "delete", "--all", "--dry-run"}, want: []string{"artifact"}}},
	{poisoned: poisoned{name: "artifacts delete", pipe: true, args: []string{"artifacts", "delete", "--all", "--yes"}, want: []string{"artifact"}}},
	{poisoned: poisoned{name: "artifacts delete by ID", args: []string{"artifacts", "delete", fmt.Sprint(poisonedArtifactID)}, want: []string{"artifact"}}},
	{poisoned: poisoned{name: "artifacts delete by name", pipe: true, args: []string{"artifacts", "delete", "-n", "artifact" + fakegh.Poison, "--yes"}, want: []string{"artifact"}}},
	{poisoned: poisoned{name: "download run", pipe: true, code: 1, args: []string{"download", poisonedRun, "-D", "DIR"}, want: []string{"artifact", "gone"}}},
	{poisoned: poisoned{name: "download one", pipe: true, args: []string{"download", poisonedRun, "-n", "artifact" + fakegh.Poison, "-D", "DIR"}, want: []string{"artifact"}},
		setup: func(s *fakegh.Server) {
			s.AddArtifacts(fakegh.Artifact{ID: poisonedArtifactID, Name: "artifact" + fakegh.Poison, RunID: fakegh.PoisonedRunID,
				Zip: fakegh.ArtifactZip(fakegh.ZipFile{Name: "a.txt", Body: "a"})})
		}},
	{poisoned: poisoned{name: "download expired", pipe: true, code: 1, args: []string{"download", poisonedRun, "-n", "gone" + fakegh.Poison, "-D", "DIR"}, want: []string{"gone"}}},
	{poisoned: poisoned{name: "list waiting", pipe: true, args: []string{"list", "-L", "3"}, want: []string{"title"}}},
	{poisoned: poisoned{name: "list waiting tty note", ttyOnly: true, args: []string{"list", "-L", "3"}, want: []string{"env"}}},
	{poisoned: poisoned{name: "list pendingDeployments json", pipe: true, args: []string{"list", "-L", "3", "--json", "pendingDeployments"}, want: []string{"env"}}},
	{poisoned: poisoned{name: "list pending deployments refused", ttyOnly: true, args: []string{"list", "-L", "3"}, want: []string{"nope"}},
		setup: func(s *fakegh.Server) {
			s.Refuse(fakegh.Refusal{Method: "GET", Path: fmt.Sprintf("runs/%d/pending_deployments", poisonedWaitingRunID), Status: 403, Message: "nope"})
		}},
	{poisoned: poisoned{name: "approve dry run", pipe: true, args: []string{"approve", fmt.Sprint(poisonedWaitingRunID), "--dry-run"}, want: []string{"env"}}},
	{poisoned: poisoned{name: "approve env not waiting", pipe: true, args: []string{"approve", "-s", "waiting", "--env", "other", "--yes"}, want: []string{"env"}}},
	{poisoned: poisoned{name: "approve pending deployments refused", pipe: true, code: 1, args: []string{"approve", "-s", "waiting", "--yes"}, want: []string{"nope"}},
		setup: func(s *fakegh.Server) {
			s.Refuse(fakegh.Refusal{Method: "GET", Path: fmt.Sprintf("runs/%d/pending_deployments", poisonedWaitingRunID), Status: 403, Message: "nope"})
		}},
	{poisoned: poisoned{name: "stats", pipe: true, args: []string{"stats"}, want: []string{"workflow"}}},
	{poisoned: poisoned{name: "stats tty steps", ttyOnly: true, args: []string{"stats"}, want: []string{"workflow", "job", "step"}}},
	{poisoned: poisoned{name: "stats by job", pipe: true, args: []string{"stats", "--by", "job"}, want: []string{"workflow", "job"}}},
	{poisoned: poisoned{name: "stats by week", pipe: true, args: []string{"stats", "--by", "week"}, want: []string{"workflow"}}},
	{poisoned: poisoned{name: "watch commit", pipe: true, args: []string{"watch", "-c", "SHA"}, want: []string{"workflow", "job"}}},
	{poisoned: poisoned{name: "watch pr", pipe: true, args: []string{"watch", "--pr", "4242"}, want: []string{"workflow"}}},
	{poisoned: poisoned{name: "watch pr missing", pipe: true, code: 1, args: []string{"watch", "--pr", "4243"}, want: []string{"4243"}}},
	{poisoned: poisoned{name: "dispatch default branch", pipe: true, args: []string{"dispatch", "-w", "CI"}, want: []string{"actions/runs"}}},
	{poisoned: poisoned{name: "dispatch without details", pipe: true, args: []string{"dispatch", "-w", "poisoned.yml"}, want: []string{"trunk", "workflow"}},
		setup: func(s *fakegh.Server) { s.DispatchWithoutDetails() }},
}

// TestNoTerminalControlFromGitHubNewer is TestNoTerminalControlFromGitHub
// for artifacts, downloads, waiting notes, approve, stats, watching a
// commit or a pull request and dispatch's default branch.
func TestNoTerminalControlFromGitHubNewer(t *testing.T) {
	for _, c := range poisonedNewCommands {
		for _, tty := range []bool{true, false} {
			if c.ttyOnly && !tty {
				continue
			}
			t.Run(fmt.Sprintf("%s tty=%v", c.name, tty), func(t *testing.T) {
				s := cmdtest.Serve(t)
				fakegh.SeedPoisoned(s)
				seedPoisonedMore(t, s)
				if c.setup != nil {
					c.setup(s)
				}
				s.PoisonErrors(fakegh.Poison)
				r, _ := s.Run(fakegh.PoisonedRunID)
				dir := t.TempDir()
				args := make([]string, len(c.args))
				for i, a := range c.args {
					args[i] = strings.NewReplacer("DIR", dir, "SHA", r.HeadSHA).Replace(a)
				}
				code, out, errOut := executeOn(t, tty, nil, args...)
				if code != c.code {
					t.Errorf("exit %d, want %d\nstdout:\n%q\nstderr:\n%q", code, c.code, out, errOut)
				}
				both := out + errOut
				for _, w := range c.want {
					if !tty && !c.pipe {
						continue
					}
					if !strings.Contains(both, w) {
						t.Errorf("output lacks %q:\nstdout:\n%q\nstderr:\n%q", w, out, errOut)
					}
				}
				checkClean(t, "stdout", out)
				checkClean(t, "stderr", errOut)
			})
		}
	}
}
