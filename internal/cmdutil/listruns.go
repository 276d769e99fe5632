package cmdutil

import (
	"context"
	"fmt"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

// ListRuns resolves the filter's workflow, lists the matching runs, and
// says on stderr when GitHub's 1,000-result cap hid some of them.
func ListRuns(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repo Repository, f Filter) (*api.RunList, error) {
	wf, err := ResolveWorkflow(ctx, c, repo.API(), f.Workflow)
	if err != nil {
		return nil, err
	}
	list, err := c.ListRuns(ctx, repo.API(), f.API(wf), f.Limit)
	if err != nil {
		var hErr error = err
		if wf != "" {
			hErr = fmt.Errorf("listing runs of workflow %q in %s: %w", f.Workflow, repo, err)
		} else {
			hErr = fmt.Errorf("listing runs in %s: %w", repo, err)
		}
		return nil, hErr
	}
	if list.Capped {
		fmt.Fprintf(ios.ErrOut, "warning: showing %d of %d matching runs: GitHub returns at most %d runs for a filtered listing; narrow it, for example with --created\n",
			len(list.Runs), list.TotalCount, api.SearchCap)
	}
	return list, nil
}
