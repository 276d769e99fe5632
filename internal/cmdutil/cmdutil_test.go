package cmdutil

import (
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"

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

// A command on one repository refuses -R given more than once, before any request.
func TestRepoRefusesSeveral(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	AddRepoFlag(fs)
	if err := fs.Parse([]string{"-R", "a/b", "-R", "c/d"}); err != nil {
		t.Fatal(err)
	}
	env := &Env{Flags: fs}
	if got := env.RepoFlags(); len(got) != 2 || got[1] != "c/d" {
		t.Errorf("RepoFlags = %v", got)
	}
	var fe *FlagError
	if _, err := env.Repo(); !errors.As(err, &fe) || !strings.Contains(err.Error(), "-R given more than once") {
		t.Errorf("Repo: %v", err)
	}
}
