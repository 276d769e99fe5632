package cmdutil

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/api"
)

func TestParseRepo(t *testing.T) {
	good := map[string]Repository{
		"octo/hello":                     {Host: "github.com", Owner: "octo", Name: "hello"},
		"ghe.example.com/team/app":       {Host: "ghe.example.com", Owner: "team", Name: "app"},
		"octo/hello.go":                  {Host: "github.com", Owner: "octo", Name: "hello.go"},
		"https://github.com/cli/cli":     {Host: "github.com", Owner: "cli", Name: "cli"},
		"https://github.com/cli/cli.git": {Host: "github.com", Owner: "cli", Name: "cli"},
	}
	for in, want := range good {
		got, err := ParseRepo(in, "github.com")
		if err != nil || got != want {
			t.Errorf("ParseRepo(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "octo", "octo/", "/hello", "a/b/c/d", "octo/hel lo", "-octo/x", "octo/..", "ho st/o/r", "../octo/hello", "octo/a.git.git", "-h.com/o/r", "h..com/o/r"} {
		if _, err := ParseRepo(in, "github.com"); err == nil {
			t.Errorf("ParseRepo(%q) succeeded", in)
		}
	}
}

func TestValidateCreated(t *testing.T) {
	for _, ok := range []string{"2026-01-31", ">2026-01-01", ">=2026-01-01", "<2026-02-01", "<=2026-02-01",
		"2026-01-01..2026-01-31", "2026-01-01..*", "*..2026-01-31", "2026-01-01T10:00:00Z", ">=2026-01-01T10:00:00+02:00"} {
		if err := ValidateCreated(ok); err != nil {
			t.Errorf("ValidateCreated(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-13-01", "2026-02-30", "=>2026-01-01", "2026-01-31..2026-01-01",
		"*..*", "2026-1-1", "2026-01-01T25:00", "<>2026-01-01"} {
		if err := ValidateCreated(bad); err == nil {
			t.Errorf("ValidateCreated(%q) accepted", bad)
		}
	}
}

func TestParseRunID(t *testing.T) {
	for _, bad := range []string{"0", "-1", "abc", "1.5", "", "12345678901234567890"} {
		if _, err := ParseRunID(bad); err == nil {
			t.Errorf("ParseRunID(%q) accepted", bad)
		}
	}
	ids, err := ParseRunIDs([]string{"3", "1", "3"})
	if err != nil || len(ids) != 2 || ids[0] != 3 || ids[1] != 1 {
		t.Errorf("ParseRunIDs = %v, %v", ids, err)
	}
}

type workflows []api.Workflow

func (w workflows) ListWorkflows(context.Context, api.Repo) ([]api.Workflow, error) { return w, nil }

func TestResolveWorkflow(t *testing.T) {
	ws := workflows{{ID: 1, Name: "CI", Path: ".github/workflows/ci.yml"}, {ID: 4, Name: "Lint", Path: ".github/workflows/lint.yml"},
		{ID: 5, Name: "Lint", Path: ".github/workflows/lint-strict.yml"}}
	ctx, repo := context.Background(), api.Repo{Owner: "o", Name: "r"}
	for in, want := range map[string]string{"CI": "1", "ci": "1", "42": "42", "deploy.yml": "deploy.yml", ".github/workflows/x.yaml": "x.yaml", "": ""} {
		if got, err := ResolveWorkflow(ctx, ws, repo, in); err != nil || got != want {
			t.Errorf("ResolveWorkflow(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := ResolveWorkflow(ctx, ws, repo, "Lint")
	var fe *FlagError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "ambiguous") || !strings.Contains(err.Error(), "lint-strict.yml") {
		t.Errorf("ambiguous: %v", err)
	}
	if _, err := ResolveWorkflow(ctx, ws, repo, "Nope"); err == nil || !strings.Contains(err.Error(), "unknown workflow") {
		t.Errorf("unknown: %v", err)
	}
}

func TestAPIBaseURL(t *testing.T) {
	for host, want := range map[string]string{
		"github.com":         "https://api.github.com",
		"octocorp.ghe.com":   "https://api.octocorp.ghe.com",
		"ghe.example.com":    "https://ghe.example.com/api/v3",
		"GitHub.com":         "https://api.github.com",
		"garage.github.com":  "https://api.github.com",
		"github.localhost":   "http://api.github.localhost",
		"ghe.example.com:88": "https://ghe.example.com:88/api/v3",
	} {
		if got := APIBaseURL(host); got != want {
			t.Errorf("APIBaseURL(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestExitCode(t *testing.T) {
	for err, want := range map[error]int{
		nil:                             0,
		ErrCancel:                       2,
		ErrAuthRequired:                 4,
		ErrSilent:                       1,
		&api.HTTPError{StatusCode: 401}: 4,
		&api.HTTPError{StatusCode: 500}: 1,
		FlagErrorf("bad"):               1,
	} {
		if got := ExitCode(err); got != want {
			t.Errorf("ExitCode(%v) = %d, want %d", err, got, want)
		}
	}
}
