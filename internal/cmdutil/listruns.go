package cmdutil

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

// ListRuns resolves the filter's workflow and lists the matching runs. When
// GitHub cuts the listing at its 1,000-result cap and more runs are wanted,
// it lists the rest window by window of creation time (see listPastCap). It
// says on stderr which range --older-than and --newer-than select, and when
// runs were left out all the same.
func ListRuns(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repo Repository, f Filter) (*api.RunList, error) {
	wf, err := ResolveWorkflow(ctx, c, repo.API(), f.Workflow)
	if err != nil {
		return nil, err
	}
	q := f.API(wf)
	if f.Relative() {
		fmt.Fprintf(ios.ErrOut, "selecting runs created %s\n", q.Created)
	}
	list, err := c.ListRuns(ctx, repo.API(), q, f.Limit)
	windowed := false
	if err == nil && list.Capped {
		now := f.Now
		if now.IsZero() {
			now = time.Now()
		}
		windowed = true
		list, err = listPastCap(ctx, c, repo.API(), q, f.Limit, list, now, debugWriter(ios))
	}
	if err != nil {
		if wf != "" {
			return nil, fmt.Errorf("listing runs of workflow %q in %s: %w", f.Workflow, repo, err)
		}
		return nil, fmt.Errorf("listing runs in %s: %w", repo, err)
	}
	if list.Capped {
		why := "narrow it, for example with --created"
		if windowed {
			why = "more than that were created within one second"
		}
		fmt.Fprintf(ios.ErrOut, "warning: showing %d of %d matching runs: GitHub returns at most %d runs for a filtered listing; %s\n",
			len(list.Runs), list.TotalCount, api.SearchCap, why)
	}
	return list, nil
}

// debugWriter is where requests and window decisions are logged: stderr
// when GH_DEBUG is set (to api, 1 or anything but 0 or false), as in gh.
func debugWriter(ios *iostreams.IOStreams) io.Writer {
	switch os.Getenv("GH_DEBUG") {
	case "", "0", "false":
		return nil
	}
	return ios.ErrOut
}
