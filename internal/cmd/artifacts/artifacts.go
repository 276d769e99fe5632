// Package artifacts implements `ghruns artifacts list` and `artifacts
// delete`: the files workflow runs uploaded, their sizes (GitHub bills
// their storage), and deleting them by ID or by filter.
package artifacts

import (
	"cmp"
	"context"
	"slices"
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
	filters := []api.ArtifactFilter{{Run: f.Run}}
	if len(f.Names) > 0 {
		filters = filters[:0]
		for _, name := range f.Names {
			filters = append(filters, api.ArtifactFilter{Run: f.Run, Name: name})
		}
	}
	lists, err := c.ListArtifactsEach(ctx, repo, filters, fetch)
	if err != nil {
		return nil, err
	}
	// -n given twice lists that name twice.
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
	if len(filters) > 1 {
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

// newestFirst orders artifacts as GitHub lists them: created_at, then ID,
// descending.
func newestFirst(a, b api.Artifact) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}
