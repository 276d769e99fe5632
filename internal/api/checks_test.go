package api

import (
	"context"
	"errors"
	"testing"

	"github.com/ghruns/gh-runs/internal/fakegh"
)

func TestListAnnotations(t *testing.T) {
	_, c := fake(t, 4)
	ctx := context.Background()
	as, err := c.ListAnnotations(ctx, repo, 8000001107)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].Level != "failure" || as[0].Path != "internal/cache/cache_test.go" || as[0].StartLine != 42 ||
		as[1].Message != "Process completed with exit code 1." {
		t.Errorf("annotations = %+v", as)
	}
	// A job that passed has none.
	if as, err := c.ListAnnotations(ctx, repo, 8000001106); err != nil || len(as) != 0 {
		t.Errorf("annotations of a job that passed = %+v, %v", as, err)
	}
	// A token that cannot read checks, and a job GitHub does not know.
	if _, err := c.ListAnnotations(ctx, repo, 42); !errors.Is(err, ErrNoChecksAccess) {
		t.Errorf("unknown job: error = %v, want ErrNoChecksAccess", err)
	}
	s, _ := fake(t, 4)
	s.ChecksDenied = true
	c, _ = New(Options{BaseURL: s.URL, Token: token, UserAgent: "ghruns/test"})
	if _, err := c.ListAnnotations(ctx, repo, 8000001107); !errors.Is(err, ErrNoChecksAccess) {
		t.Errorf("checks denied: error = %v, want ErrNoChecksAccess", err)
	}
}

func TestGetJob(t *testing.T) {
	_, c := fake(t, 4)
	j, err := c.GetJob(context.Background(), repo, 8000001101)
	if err != nil {
		t.Fatal(err)
	}
	if j.RunID != fakegh.FailedRun || j.RunAttempt != 1 || j.Name != "build" {
		t.Errorf("job = run %d attempt %d %q, want run %d attempt 1 build", j.RunID, j.RunAttempt, j.Name, fakegh.FailedRun)
	}
}
