package list

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// waitKey names a run in its repository.
type waitKey struct {
	repo api.Repo
	id   int64
}

// waits are the pending deployments of the listed runs that wait on an
// environment; a waiting run missing from it could not be asked.
type waits map[waitKey][]api.PendingDeployment

// of returns what run r waits on, and whether GitHub said.
func (w waits) of(r sweep.Run) ([]api.PendingDeployment, bool) {
	pds, ok := w[waitKey{r.Repo.API(), r.ID}]
	return pds, ok
}

// pendingDeployments asks GitHub what each listed run that waits on an
// environment waits on, and only those: one request per run (a run listed
// twice is asked once), no more at once than the client allows. Asking
// again about an unchanged run is answered from the cache (a 304, free of
// rate limit). A failure is a warning: the listing is still worth showing.
func pendingDeployments(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, runs []sweep.Run) waits {
	var keys []waitKey
	seen := map[waitKey]bool{}
	for _, r := range runs {
		k := waitKey{r.Repo.API(), r.ID}
		if r.AwaitsReview() && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	got := make([][]api.PendingDeployment, len(keys))
	errs := make([]error, len(keys))
	// The client's slots bound the requests in flight; the limit bounds
	// the goroutines waiting for them. A failure is kept for its run, not
	// returned, so that the others are still asked.
	var g errgroup.Group
	g.SetLimit(c.Concurrency())
	for i, k := range keys {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return nil
			}
			got[i], errs[i] = c.PendingDeployments(ctx, k.repo, k.id)
			return nil
		})
	}
	g.Wait()
	w := waits{}
	for i, k := range keys {
		if errs[i] != nil {
			if ctx.Err() == nil {
				fmt.Fprintf(ios.ErrOut, "warning: %s\n", output.OneLine(cmdutil.RunError("list pending deployments of", k.repo, k.id, errs[i]).Error()))
			}
			continue
		}
		if got[i] == nil {
			got[i] = []api.PendingDeployment{}
		}
		w[k] = got[i]
	}
	return w
}
