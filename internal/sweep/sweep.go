// Package sweep lists workflow runs across many repositories: one listing
// per repository, all under the client's bounded pool of requests, merged
// newest first. A repository where Actions is disabled or that the token
// cannot see is left out with a note; other failures are reported and the
// rest go on. Each does the same for any work per repository (artifacts).
package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// Run is a run with the repository it belongs to.
type Run struct {
	Repo cmdutil.Repository
	api.Run
}

// ByRepo groups runs by repository: the repositories in the order first
// seen, and each one's runs in the order given.
func ByRepo(runs []Run) (order []cmdutil.Repository, byRepo map[cmdutil.Repository][]api.Run) {
	byRepo = map[cmdutil.Repository][]api.Run{}
	for _, r := range runs {
		if _, ok := byRepo[r.Repo]; !ok {
			order = append(order, r.Repo)
		}
		byRepo[r.Repo] = append(byRepo[r.Repo], r.Run)
	}
	return order, byRepo
}

// Result is what a sweep found.
type Result struct {
	// Runs are the matching runs, newest first, at most the filter's limit.
	Runs []Run
	// Skipped are the repositories left out with a note: Actions disabled,
	// no access, or no workflow of the name asked for.
	Skipped []cmdutil.Repository
	// Failed counts repositories whose listing failed otherwise.
	Failed int
}

// ErrFailed is returned, after the rest were listed, when any
// repository's listing failed; each failure was already reported.
var ErrFailed = errors.New("some repositories could not be listed")

// CheckedList is one sweep as list, usage and the bulk commands make it:
// the budget checked first (CheckBudget), then List.
func CheckedList(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repos []cmdutil.Repository, f runquery.Filter, yes bool) (*Result, error) {
	if err := CheckBudget(ctx, ios, c, len(repos), f, yes); err != nil {
		return nil, err
	}
	return List(ctx, ios, c, repos, f)
}

// List lists the runs f selects in every repository. Each repository is
// asked for at most f.Limit runs, since the newest N across them all are
// among each one's newest N. Notes go to ios.ErrOut, each line once.
func List(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repos []cmdutil.Repository, f runquery.Filter) (*Result, error) {
	per := make([][]Run, len(repos))
	swept, err := Each(ctx, ios, c, repos, func(ctx context.Context, i int, notes io.Writer) error {
		list, err := runquery.List(ctx, c, repos[i].API(), f, notes, nil)
		if err != nil {
			return err
		}
		for _, r := range list.Runs {
			per[i] = append(per[i], Run{Repo: repos[i], Run: r})
		}
		return nil
	})
	if swept == nil {
		return nil, err
	}
	res := &Result{Skipped: swept.Skipped, Failed: swept.Failed}
	var all []Run
	for i := range repos {
		all = append(all, per[i]...)
	}
	slices.SortStableFunc(all, newestFirst)
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	res.Runs = all
	return res, err
}

// Swept is what Each found of the repositories themselves.
type Swept struct {
	// Skipped are the repositories left out with a note: Actions
	// disabled, no access, or no workflow of the name asked for.
	Skipped []cmdutil.Repository
	// Failed counts repositories whose work failed otherwise.
	Failed int
}

// Each calls do for every repository, repos[i] for i, as many at a time as
// the client sends requests, with "repositories 37/200" on stderr meanwhile
// on a terminal; notes is stderr writing each line once. A repository
// whose error means it has nothing to read for this token (Actions
// disabled, no access) is left out with a note; any other error is
// printed and counted, the rest go on, and Each returns ErrFailed with the
// Swept. A 401, or ctx ending, ends the sweep with no Swept. What do
// found, it keeps itself: its work for repos[i] writes to slot i only.
func Each(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repos []cmdutil.Repository,
	do func(ctx context.Context, i int, notes io.Writer) error) (*Swept, error) {
	notes := &onceWriter{w: ios.ErrOut, seen: map[string]bool{}}
	errs := make([]error, len(repos))
	// The client's slots bound the requests in flight; the limit bounds
	// the goroutines waiting for them. An error is kept for its
	// repository, not returned, so that the others go on.
	var g errgroup.Group
	g.SetLimit(c.Concurrency())
	// "repositories 37/200" on a terminal while the sweep goes on.
	var finished atomic.Int64
	var meter *output.Updater
	if ios.IsStderrTTY() {
		meter = output.NewMeter(ios.ErrOut, func(time.Duration) string {
			return fmt.Sprintf("repositories %d/%d", finished.Load(), len(repos))
		})
	}
	for i := range repos {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			defer func() {
				finished.Add(1)
				meter.Update()
			}()
			errs[i] = do(ctx, i, notes)
			return nil
		})
	}
	g.Wait()
	meter.Done()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Swept{}
	for i, err := range errs {
		switch {
		case err == nil:
		case unauthorized(err):
			return nil, err
		case skippable(err):
			res.Skipped = append(res.Skipped, repos[i])
			fmt.Fprintf(notes, "skipping %s: %s\n", repos[i], why(err))
		default:
			res.Failed++
			fmt.Fprintln(ios.ErrOut, err)
		}
	}
	if res.Failed > 0 {
		return res, ErrFailed
	}
	return res, nil
}

// newestFirst orders runs by creation time, newest first; runs created in
// the same second by repository, then by ID, newest first.
func newestFirst(a, b Run) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	if c := strings.Compare(a.Repo.String(), b.Repo.String()); c != 0 {
		return c
	}
	switch {
	case a.ID > b.ID:
		return -1
	case a.ID < b.ID:
		return 1
	}
	return 0
}

func unauthorized(err error) bool {
	var he *api.HTTPError
	return errors.As(err, &he) && he.StatusCode == http.StatusUnauthorized
}

// skippable reports whether err means the repository has nothing to list
// for this token: GitHub answers 404 for the runs of a repository with
// Actions disabled and for one the token cannot see, and 403 when it may
// see the repository but not its Actions. A workflow name that one
// repository lacks is no failure either.
func skippable(err error) bool {
	var he *api.HTTPError
	if errors.As(err, &he) {
		return he.StatusCode == http.StatusNotFound || he.StatusCode == http.StatusForbidden && !he.IsRateLimit()
	}
	var in *runquery.InputError
	return errors.As(err, &in)
}

func why(err error) string {
	var he *api.HTTPError
	if errors.As(err, &he) {
		if he.StatusCode == http.StatusNotFound {
			return "Actions is disabled or the token cannot see it (HTTP 404)"
		}
		return fmt.Sprintf("the token may not read its Actions (HTTP %d)", he.StatusCode)
	}
	return err.Error()
}

// onceWriter writes each line once: every repository's listing would say
// the same "selecting runs created …".
type onceWriter struct {
	mu   sync.Mutex
	w    io.Writer
	seen map[string]bool
}

func (o *onceWriter) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, line := range bytes.SplitAfter(p, []byte("\n")) {
		if len(line) == 0 || o.seen[string(line)] {
			continue
		}
		o.seen[string(line)] = true
		if _, err := o.w.Write(line); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
