package usage

import (
	"slices"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

func TestNewCmdOptions(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		ids    []int64
		filter runquery.Filter
		json   []string
		repo   cmdutil.Repository
	}{
		{name: "one ID", args: []string{cmdtest.Arg(fakegh.FailedRun)}, ids: []int64{fakegh.FailedRun}},
		{name: "several IDs, repeats dropped", args: []string{"3", "1", "3", "2"}, ids: []int64{3, 1, 2}},
		{
			name:   "filters, limit defaults to every run",
			args:   []string{"--workflow", "CI", "--created", "2026-11-01..2026-11-30"},
			filter: runquery.Filter{Workflow: "CI", Created: "2026-11-01..2026-11-30", Limit: 0},
		},
		{
			name:   "every filter, short flags",
			args:   []string{"-w", "2", "-b", "main", "-u", "monalisa", "-e", "push", "-s", "success", "-c", "abcd", "-L", "100"},
			filter: runquery.Filter{Workflow: "2", Branch: "main", Actor: "monalisa", Event: "push", Status: "success", Commit: "abcd", Limit: 100},
		},
		{
			name:   "json",
			args:   []string{"--branch", "main", "--json", "databaseId,billable,runDurationMs"},
			filter: runquery.Filter{Branch: "main"},
			json:   []string{"databaseId", "billable", "runDurationMs"},
		},
		{
			name: "ids with json and jq",
			args: []string{"42", "--json", "billable", "-q", ".[].billable.UBUNTU.totalMs"},
			ids:  []int64{42},
			json: []string{"billable"},
		},
		{
			name: "repo flag",
			args: []string{"-R", "cli/cli", "42"},
			ids:  []int64{42},
			repo: cmdutil.Repository{Host: "github.com", Owner: "cli", Name: "cli"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			opts, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !slices.Equal(opts.IDs, tt.ids) {
				t.Errorf("IDs = %v, want %v", opts.IDs, tt.ids)
			}
			if opts.Filter != tt.filter {
				t.Errorf("filter:\n got %+v\nwant %+v", opts.Filter, tt.filter)
			}
			if got := opts.Exporter.Fields(); !slices.Equal(got, tt.json) {
				t.Errorf("json fields = %q, want %q", got, tt.json)
			}
			want := tt.repo
			if want == (cmdutil.Repository{}) {
				want = cmdtest.Repo
			}
			if opts.Repo != want {
				t.Errorf("repo = %+v, want %+v", opts.Repo, want)
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
		{"neither IDs nor filters", nil, "specify one or more run IDs, or filters such as --workflow or --created"},
		{"limit alone is not a filter", []string{"-L", "10"}, "specify one or more run IDs, or filters"},
		{"IDs and a filter", []string{"42", "-b", "main"}, "specify run IDs or filters, not both"},
		{"IDs and a limit", []string{"42", "-L", "5"}, "specify run IDs or filters, not both"},
		{"ID not a number", []string{"abc"}, `invalid run ID "abc": want a positive whole number`},
		{"ID zero among good ones", []string{"1", "0"}, `invalid run ID "0"`},
		{"unknown status", []string{"-s", "done"}, `invalid --status "done"`},
		{"created is not a date", []string{"--created", "yesterday"}, `invalid --created "yesterday"`},
		{"created month 13", []string{"--created", "2026-13-01"}, `"2026-13-01" is not a calendar date`},
		{"negative limit", []string{"-b", "main", "-L", "-3"}, "invalid --limit -3"},
		{"unknown json field", []string{"42", "--json", "jobs"}, `unknown JSON field: "jobs"`},
		{"json without fields", []string{"42", "--json"}, "flag needs an argument: --json"},
		{"jq does not parse", []string{"42", "--json", "billable", "--jq", ".["}, `invalid jq expression ".["`},
		{"template does not parse", []string{"42", "--json", "billable", "-t", "{{"}, "invalid template"},
		{"malformed repo", []string{"-R", "-/x", "42"}, `invalid repository "-/x"`},
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
