package logs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/output"
)

// AttemptHint adds to err, a failure to reach attempt of run id, the
// number of attempts the run has, when that is why: GitHub answers 404 for
// an attempt that did not happen, and the usual hint about run IDs and
// private repositories would mislead. Any other err comes back as it was.
func AttemptHint(ctx context.Context, c *api.Client, repo api.Repo, id int64, attempt int, err error) error {
	if attempt == 0 || !isStatus(err, http.StatusNotFound) {
		return err
	}
	r, gerr := c.GetRun(ctx, repo, id, 0)
	if gerr != nil || attempt <= r.RunAttempt {
		return err
	}
	return fmt.Errorf("%w\nhint: run %d has %s; --attempt takes 1 to %d", err, id, output.Plural(r.RunAttempt, "attempt"), r.RunAttempt)
}

// unfinishedHint adds to err, a failed download of a run's logs, the hint
// that the run is not completed when it is not: GitHub then answers
// "Failed to generate URL to download logs" (HTTP 500), or 404.
func unfinishedHint(ctx context.Context, c *api.Client, repo api.Repo, id int64, attempt int, err error) error {
	if !isStatus(err, http.StatusNotFound) && !isStatus(err, http.StatusInternalServerError) {
		return err
	}
	r, gerr := c.GetRun(ctx, repo, id, attempt)
	if gerr != nil || r.Completed() {
		return err
	}
	return fmt.Errorf("%w\nhint: run %d is not completed yet; GitHub serves its logs once it is", err, id)
}

// OtherAttemptHint adds to err, a failure to find job ref in attempt (0:
// the latest) of run runID, which attempt the job belongs to when ref is
// the ID of a job of another attempt of that run.
func OtherAttemptHint(ctx context.Context, c *api.Client, repo api.Repo, runID int64, attempt int, ref string, err error) error {
	id, perr := strconv.ParseInt(ref, 10, 64)
	if perr != nil {
		return err
	}
	j, gerr := c.GetJob(ctx, repo, id)
	if gerr != nil || j.RunID != runID || j.RunAttempt == 0 || j.RunAttempt == attempt {
		return err
	}
	return fmt.Errorf("%w\nhint: job %d ran in attempt %d of run %d; add --attempt %d", err, id, j.RunAttempt, runID, j.RunAttempt)
}

func isStatus(err error, status int) bool {
	var he *api.HTTPError
	return errors.As(err, &he) && he.StatusCode == status && !he.LogHost
}
