package view

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ghruns/gh-runs/internal/api"
)

// annotation is one annotation with the job that reported it.
type annotation struct {
	job *api.Job
	api.Annotation
}

// annotations fetches the annotations of the failed jobs, in the jobs'
// order. A token that cannot read check runs (fine-grained tokens cannot)
// leaves them out without a word, as gh does: the view is whole without them.
func annotations(ctx context.Context, c *api.Client, repo api.Repo, jobs []api.Job) ([]annotation, error) {
	var failed []*api.Job
	for i := range jobs {
		if jobs[i].Conclusion.IsFailure() {
			failed = append(failed, &jobs[i])
		}
	}
	got := make([][]api.Annotation, len(failed))
	errs := make([]error, len(failed))
	var wg sync.WaitGroup
	for i, j := range failed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = c.ListAnnotations(ctx, repo, j.ID)
		}()
	}
	wg.Wait()
	var out []annotation
	for i, j := range failed {
		if errors.Is(errs[i], api.ErrNoChecksAccess) {
			return nil, nil
		}
		if errs[i] != nil {
			return nil, fmt.Errorf("annotations of job %d: %w", j.ID, errs[i])
		}
		for _, a := range got[i] {
			out = append(out, annotation{j, a})
		}
	}
	return out, nil
}

// failedSteps are the steps of a failed job that failed.
func failedSteps(j api.Job) []api.Step {
	if !j.Conclusion.IsFailure() {
		return nil
	}
	var out []api.Step
	for _, s := range j.Steps {
		if s.Conclusion.IsFailure() {
			out = append(out, s)
		}
	}
	return out
}
