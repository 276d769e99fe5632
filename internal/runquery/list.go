package runquery

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/ghruns/gh-runs/internal/api"
)

// List resolves the filter's workflow and lists the matching runs, newest
// first, up to f.Limit (0: all). When GitHub cuts the listing at its
// 1,000-result cap and more runs are wanted, it lists the rest span by
// span of creation time (see listPastCap). It tells stderr which range
// --older-than and --newer-than select, and when runs were left out all
// the same; debug, when not nil, receives how the spans were planned.
func List(ctx context.Context, c *api.Client, repo api.Repo, f Filter, stderr, debug io.Writer) (*api.RunList, error) {
	created, err := f.CreatedRange()
	if err != nil {
		return nil, &InputError{err}
	}
	wf, err := ResolveWorkflow(ctx, c, repo, f.Workflow)
	if err != nil {
		return nil, err
	}
	q := f.request(wf, created)
	if f.Relative() {
		fmt.Fprintf(stderr, "selecting runs created %s\n", q.Created)
	}
	if sts := f.statuses(); len(sts) > 1 {
		return listStatuses(ctx, c, repo, f, q, sts, created, stderr, debug)
	}
	return listQuery(ctx, c, repo, f, q, created, stderr, debug)
}

// listStatuses lists the runs that have any of several statuses, which
// GitHub cannot select in one listing: one listing each, merged newest
// first, each run once, up to f.Limit.
func listStatuses(ctx context.Context, c *api.Client, repo api.Repo, f Filter, q api.RunFilter, sts []string, created Range, stderr, debug io.Writer) (*api.RunList, error) {
	merged := &api.RunList{}
	for _, st := range sts {
		q.Status = st
		list, err := listQuery(ctx, c, repo, f, q, created, stderr, debug)
		if err != nil {
			return nil, err
		}
		merged.Runs = append(merged.Runs, list.Runs...)
		merged.TotalCount += list.TotalCount
		merged.Capped = merged.Capped || list.Capped
	}
	// A status and a conclusion ("completed,failure") can both match a run.
	slices.SortStableFunc(merged.Runs, func(a, b api.Run) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	merged.Runs = api.DedupeRuns(merged.Runs)
	if f.Limit > 0 && len(merged.Runs) > f.Limit {
		merged.Runs = merged.Runs[:f.Limit]
	}
	return merged, nil
}

// listQuery lists the runs of one REST query, past GitHub's cap when needed.
func listQuery(ctx context.Context, c *api.Client, repo api.Repo, f Filter, q api.RunFilter, created Range, stderr, debug io.Writer) (*api.RunList, error) {
	wf := q.Workflow
	list, err := c.ListRuns(ctx, repo, q, f.Limit)
	pastCap := false
	if err == nil && list.Capped {
		pastCap = true
		list, err = listPastCap(ctx, c, repo, q, created.oldest(), f.Limit, list, stderr, debug)
	}
	if err != nil {
		if wf != "" {
			return nil, fmt.Errorf("listing runs of workflow %q in %s: %w", f.Workflow, repo, err)
		}
		return nil, fmt.Errorf("listing runs in %s: %w", repo, err)
	}
	if list.Capped {
		why := "narrow it, for example with --created"
		if pastCap {
			why = "more than that were created within one second"
		}
		fmt.Fprintf(stderr, "warning: showing %d of %d matching runs: GitHub returns at most %d runs for a filtered listing; %s\n",
			len(list.Runs), list.TotalCount, api.SearchCap, why)
	}
	return list, nil
}
