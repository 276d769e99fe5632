package view

import (
	"slices"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func TestNewCmdOptions(t *testing.T) {
	type flags struct {
		runID                    int64
		attempt                  int
		verbose, exitStatus, web bool
	}
	tests := []struct {
		name string
		args []string
		want flags
		json []string
		repo cmdutil.Repository
	}{
		{"run ID only", []string{cmdtest.Arg(fakegh.FailedRun)}, flags{runID: fakegh.FailedRun}, nil, cmdtest.Repo},
		{"long flags", []string{"123", "--attempt", "2", "--verbose", "--exit-status"},
			flags{runID: 123, attempt: 2, verbose: true, exitStatus: true}, nil, cmdtest.Repo},
		{"short flags before the ID", []string{"-a", "1", "-v", "42"},
			flags{runID: 42, attempt: 1, verbose: true}, nil, cmdtest.Repo},
		{"web", []string{"-w", "42"}, flags{runID: 42, web: true}, nil, cmdtest.Repo},
		{"web with attempt", []string{"42", "--web", "-a", "3"}, flags{runID: 42, attempt: 3, web: true}, nil, cmdtest.Repo},
		{"json", []string{"42", "--json", "status,jobs"}, flags{runID: 42}, []string{"status", "jobs"}, cmdtest.Repo},
		{"json with jq", []string{"42", "--json", "jobs", "-q", ".jobs[].name"}, flags{runID: 42}, []string{"jobs"}, cmdtest.Repo},
		{"json and exit status", []string{"42", "--json", "conclusion", "--exit-status"},
			flags{runID: 42, exitStatus: true}, []string{"conclusion"}, cmdtest.Repo},
		{"repo flag", []string{"-R", "cli/cli", "42"}, flags{runID: 42}, nil,
			cmdutil.Repository{Host: "github.com", Owner: "cli", Name: "cli"}},
		{"largest ID", []string{"999999999999999999"}, flags{runID: 999999999999999999}, nil, cmdtest.Repo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			opts, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := flags{opts.RunID, opts.Attempt, opts.Verbose, opts.ExitStatus, opts.Web}
			if got != tt.want {
				t.Errorf("options:\n got %+v\nwant %+v", got, tt.want)
			}
			if got := opts.Exporter.Fields(); !slices.Equal(got, tt.json) {
				t.Errorf("json fields = %q, want %q", got, tt.json)
			}
			if opts.Repo != tt.repo {
				t.Errorf("repo = %+v, want %+v", opts.Repo, tt.repo)
			}
			if opts.Client != nil {
				t.Error("a client was made before runF")
			}
		})
	}
}

func TestNewCmdErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no argument", nil, "missing the run ID"},
		{"two arguments", []string{"1", "2"}, `unexpected argument "2"`},
		{"ID not a number", []string{"abc"}, `invalid run ID "abc": want a positive whole number`},
		{"ID zero", []string{"0"}, `invalid run ID "0"`},
		{"ID negative", []string{"--", "-5"}, `invalid run ID "-5"`},
		{"ID with a fraction", []string{"1.5"}, `invalid run ID "1.5"`},
		{"ID too large", []string{"99999999999999999999"}, `invalid run ID "99999999999999999999"`},
		{"negative attempt", []string{"42", "--attempt", "-1"}, "invalid --attempt -1: must be 1 or more"},
		{"attempt not a number", []string{"42", "-a", "two"}, `invalid argument "two" for "-a, --attempt"`},
		{"web and json", []string{"42", "--web", "--json", "status"}, "specify only one of --web or --json"},
		{"unknown json field", []string{"42", "--json", "steps"}, `unknown JSON field: "steps"`},
		{"json without fields", []string{"42", "--json"}, "flag needs an argument: --json"},
		{"jq does not parse", []string{"42", "--json", "jobs", "--jq", ".["}, `invalid jq expression ".["`},
		{"template does not parse", []string{"42", "--json", "jobs", "--template", "{{"}, "invalid template"},
		{"jq without json", []string{"42", "-q", "."}, "cannot use `--jq` without specifying `--json`"},
		{"malformed repo", []string{"-R", "a/b/c/d", "42"}, `invalid repository "a/b/c/d"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			opts, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			cmdtest.WantFlagError(t, err, tt.wantErr, opts != nil)
		})
	}
}

// TestNewCmdLogFlags checks gh's `view --log`, `--log-failed`, `-j` argv → Options.
func TestNewCmdLogFlags(t *testing.T) {
	type flags struct {
		log, logFailed bool
		job            string
	}
	tests := []struct {
		name    string
		args    []string
		want    flags
		wantErr string
	}{
		{name: "log", args: []string{"42", "--log"}, want: flags{log: true}},
		{name: "log failed", args: []string{"--log-failed", "42"}, want: flags{logFailed: true}},
		{name: "log of a job", args: []string{"42", "--log", "-j", "build"}, want: flags{log: true, job: "build"}},
		{name: "job alone", args: []string{"42", "--job", "8000001107"}, want: flags{job: "8000001107"}},
		{name: "both logs", args: []string{"42", "--log", "--log-failed"}, wantErr: "specify only one of --log or --log-failed"},
		{name: "log and json", args: []string{"42", "--log", "--json", "status"}, wantErr: "cannot be used with --web or --json"},
		{name: "log and web", args: []string{"42", "--log-failed", "-w"}, wantErr: "cannot be used with --web or --json"},
		{name: "empty job", args: []string{"42", "-j", " "}, wantErr: "--job needs a job name or ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			opts, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			if tt.wantErr != "" {
				cmdtest.WantFlagError(t, err, tt.wantErr, opts != nil)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := (flags{opts.Log, opts.LogFailed, opts.Job}); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
