package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ghruns/gh-runs/internal/api"
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
		return repositories(len(r.Repos))
	}
	return r.Repo.String()
}

// listAcross lists the runs the filters select in every repository and
// keeps those the action applies to. failed tells whether some
// repository's listing failed (already reported); the rest go on.
func listAcross(ctx context.Context, req Request, a Action) (targets []Target, failed bool, err error) {
	res, err := sweep.CheckedList(ctx, req.IO, req.Client, req.Repos, req.Filter, req.Yes)
	if res == nil {
		return nil, false, err
	}
	failed = errors.Is(err, sweep.ErrFailed)
	skipped := 0
	for _, r := range res.Runs {
		if a.Eligible != nil && !a.Eligible(r.Run) {
			skipped++
			continue
		}
		t := FromRuns([]api.Run{r.Run})[0]
		t.Repo = r.Repo.API()
		targets = append(targets, t)
	}
	if skipped > 0 {
		fmt.Fprintf(req.IO.ErrOut, "skipping %s: %s\n", output.Plural(skipped, "matching run"), a.Ineligible)
	}
	if len(targets) == 0 {
		fmt.Fprintf(req.IO.ErrOut, "no runs to %s\n", a.Verb)
	}
	return targets, failed, nil
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
	return fmt.Sprintf("%s (%s)", repositories(len(order)), strings.Join(parts, ", "))
}

func repositories(n int) string {
	if n == 1 {
		return "1 repository"
	}
	return fmt.Sprintf("%d repositories", n)
}
