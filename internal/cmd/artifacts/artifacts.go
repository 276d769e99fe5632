// Package artifacts implements `ghruns artifacts list` and `artifacts
// delete`: the files workflow runs uploaded, their sizes (GitHub bills
// their storage), and deleting them by ID or by filter.
package artifacts

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// NewCmd builds the artifacts command group.
func NewCmd(env *cmdutil.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "artifacts <command>",
		Short: "List or delete the artifacts of workflow runs",
		// A group that runs: without it cobra prints help and exits 0 for
		// a subcommand it does not know.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(NewListCmd(env, nil), NewDeleteCmd(env, nil))
	return cmd
}

// Filter selects artifacts of one repository.
type Filter struct {
	// Run, when not 0, selects that run's artifacts only.
	Run int64
	// Names keeps artifacts with one of these exact names; nil keeps all.
	Names []string
	// OlderThan keeps artifacts created longer ago than this before Now.
	OlderThan time.Duration
	Now       time.Time
}

// list fetches the artifacts f selects, newest first: one listing, or one
// per name (GitHub filters by one name at a time), merged. limit (0: all)
// applies after the age filter, which GitHub cannot apply.
func list(ctx context.Context, c *api.Client, repo api.Repo, f Filter, limit int) ([]api.Artifact, error) {
	fetch := limit
	if f.OlderThan > 0 {
		fetch = 0
	}
	names := f.Names
	if len(names) == 0 {
		names = []string{""}
	}
	lists, err := byName(ctx, c, repo, f.Run, names, fetch)
	if err != nil {
		return nil, err
	}
	var all []api.Artifact
	seen := map[int64]bool{}
	for _, l := range lists {
		for _, a := range l.Artifacts {
			if !seen[a.ID] {
				seen[a.ID] = true
				all = append(all, a)
			}
		}
	}
	if len(names) > 1 {
		slices.SortStableFunc(all, newestFirst)
	}
	if f.OlderThan > 0 {
		cut := f.Now.Add(-f.OlderThan)
		all = slices.DeleteFunc(all, func(a api.Artifact) bool { return !a.CreatedAt.Before(cut) })
	}
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, nil
}

// byName lists the artifacts of each name ("" for every name) together,
// not one name after the other: each listing is a round trip at least.
// The client bounds the requests in flight. The first error, in the names'
// order, fails the whole.
func byName(ctx context.Context, c *api.Client, repo api.Repo, run int64, names []string, limit int) ([]*api.ArtifactList, error) {
	lists := make([]*api.ArtifactList, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			lists[i], errs[i] = c.ListArtifacts(ctx, repo, api.ArtifactFilter{Run: run, Name: name}, limit)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return lists, nil
}

func newestFirst(a, b api.Artifact) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}
