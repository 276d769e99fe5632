package runquery_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/runquery"
)

func TestValidateCreated(t *testing.T) {
	for _, ok := range []string{"2026-01-31", ">2026-01-01", ">=2026-01-01", "<2026-02-01", "<=2026-02-01",
		"2026-01-01..2026-01-31", "2026-01-01..*", "*..2026-01-31", "2026-01-01T10:00:00Z", ">=2026-01-01T10:00:00+02:00"} {
		if err := (runquery.Filter{Created: ok}).Validate(); err != nil {
			t.Errorf("--created %q: %v", ok, err)
		}
	}
	for _, bad := range []string{"yesterday", "2026-13-01", "2026-02-30", "=>2026-01-01", "2026-01-31..2026-01-01",
		"*..*", "2026-1-1", "2026-01-01T25:00", "<>2026-01-01"} {
		if err := (runquery.Filter{Created: bad}).Validate(); err == nil || !strings.HasPrefix(err.Error(), "invalid --created ") {
			t.Errorf("--created %q: %v, want an invalid --created error", bad, err)
		}
	}
}

type workflows []api.Workflow

func (w workflows) ListWorkflows(context.Context, api.Repo) ([]api.Workflow, error) { return w, nil }

func TestResolveWorkflow(t *testing.T) {
	ws := workflows{{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"}, {ID: 4, Name: "Lint", Path: ".github/workflows/lint.yml"},
		{ID: 5, Name: "Lint", Path: ".github/workflows/lint-strict.yml"}}
	ctx, repo := context.Background(), api.Repo{Owner: "o", Name: "r"}
	for in, want := range map[string]string{"CI": "1", "ci": "1", "42": "42", "deploy.yml": "deploy.yml", ".github/workflows/x.yaml": "x.yaml", "": ""} {
		if got, err := runquery.ResolveWorkflow(ctx, ws, repo, in); err != nil || got != want {
			t.Errorf("ResolveWorkflow(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// A name that matches several workflows, or none, is the user's input.
	var in *runquery.InputError
	_, err := runquery.ResolveWorkflow(ctx, ws, repo, "Lint")
	if !errors.As(err, &in) || !strings.Contains(err.Error(), "ambiguous") || !strings.Contains(err.Error(), "lint-strict.yml") {
		t.Errorf("ambiguous: %v", err)
	}
	if _, err := runquery.ResolveWorkflow(ctx, ws, repo, "Nope"); !errors.As(err, &in) || !strings.Contains(err.Error(), "unknown workflow") {
		t.Errorf("unknown: %v", err)
	}
}
