package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// RepoOf is the repository of a target: its own when the job spans
// several, else the request's.
func (r Request) RepoOf(t Target) api.Repo {
	if t.Repo.Name != "" {
		return t.Repo
	}
	return r.Repo.API()
}

// where names the repositories for a question: "octo/hello", or "12 repositories".
func (r Request) where() string {
	if len(r.Repos) > 1 {
		return output.Repositories(len(r.Repos))
	}
	return r.Repo.String()
}

// in names where the targets are, for a summary: "octo/hello", or
// "3 repositories" across several.
func (r Request) in(targets []Target) string {
	if len(r.Repos) <= 1 {
		return r.Repo.String()
	}
	seen := map[api.Repo]bool{}
	for _, t := range targets {
		seen[t.Repo] = true
	}
	return output.Repositories(len(seen))
}

// listAcross lists the runs the filters select in every repository, after
// one check of the rate limit left, narrows each repository's with
// Choose, and keeps those the action applies to. failed tells whether some
// repository's listing or choice failed (already reported); the rest go on.
func listAcross(ctx context.Context, req Request, a Action) (targets []Target, failed bool, err error) {
	need := sweep.Estimate(len(req.Repos), req.Filter)
	if a.Choose != nil {
		need += a.ChooseCost * len(req.Repos)
	}
	if err := sweep.CheckRequests(ctx, req.IO, req.Client, len(req.Repos), need, req.Yes); err != nil {
		return nil, false, err
	}
	res, err := sweep.List(ctx, req.IO, req.Client, req.Repos, req.Filter)
	if res == nil {
		return nil, false, err
	}
	failed = errors.Is(err, sweep.ErrFailed)
	runs := res.Runs
	if a.Choose != nil {
		var chooseFailed bool
		if runs, chooseFailed, err = chooseAcross(ctx, req, a, runs); err != nil {
			return nil, false, err
		}
		failed = failed || chooseFailed
	}
	var kept []sweep.Run
	for _, r := range runs {
		if a.Eligible == nil || a.Eligible(r.Run) {
			kept = append(kept, r)
		}
	}
	if skipped := len(runs) - len(kept); skipped > 0 {
		fmt.Fprintf(req.IO.ErrOut, "skipping %s: %s\n", output.Plural(skipped, "matching run"), a.Ineligible)
	}
	if len(kept) == 0 {
		fmt.Fprintf(req.IO.ErrOut, "no runs to %s\n", a.Verb)
		return nil, failed, nil
	}
	for _, r := range kept {
		t := FromRuns([]api.Run{r.Run})[0]
		t.Repo = r.Repo.API()
		targets = append(targets, t)
	}
	if a.Plan != nil {
		a.Plan(req.IO.ErrOut, kept)
	}
	return targets, failed, nil
}

// chooseAcross calls Choose on each repository's runs, as many at a time
// as the client sends requests, and keeps the chosen runs in the order
// listed. A repository whose Choose fails is reported and left out; the
// rest go on, and failed says so.
func chooseAcross(ctx context.Context, req Request, a Action, runs []sweep.Run) (chosen []sweep.Run, failed bool, err error) {
	order, byRepo := sweep.ByRepo(runs)
	type key struct {
		repo cmdutil.Repository
		id   int64
	}
	keep := map[key]bool{}
	errs := make([]error, len(order))
	var mu sync.Mutex
	// The client's slots bound the requests in flight; the limit bounds
	// the goroutines waiting for them. A failure is kept, not returned, so
	// that the other repositories go on.
	var g errgroup.Group
	g.SetLimit(req.Client.Concurrency())
	for i, repo := range order {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			got, err := a.Choose(ctx, repo.API(), byRepo[repo])
			if err != nil {
				errs[i] = err
				return nil
			}
			mu.Lock()
			defer mu.Unlock()
			for _, r := range got {
				keep[key{repo, r.ID}] = true
			}
			return nil
		})
	}
	g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	for _, err := range errs {
		if err != nil {
			fmt.Fprintln(req.IO.ErrOut, err)
			failed = true
		}
	}
	for _, r := range runs {
		if keep[key{r.Repo, r.ID}] {
			chosen = append(chosen, r)
		}
	}
	return chosen, failed, nil
}

// perRepo counts targets by repository, for the confirmation:
// "3 repositories (octo/api 2, octo/web 1)", in the order first seen.
func perRepo(targets []Target) string {
	counts := map[api.Repo]int{}
	var order []api.Repo
	for _, t := range targets {
		if counts[t.Repo] == 0 {
			order = append(order, t.Repo)
		}
		counts[t.Repo]++
	}
	parts := make([]string, len(order))
	for i, r := range order {
		parts[i] = fmt.Sprintf("%s %d", r, counts[r])
	}
	return fmt.Sprintf("%s (%s)", output.Repositories(len(order)), strings.Join(parts, ", "))
}
