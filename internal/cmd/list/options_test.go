package list

import (
	"slices"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/runquery"
)

func TestNewCmdOptions(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		filter runquery.Filter
		json   []string
		repo   cmdutil.Repository
	}{
		{
			name:   "defaults",
			filter: runquery.Filter{Limit: 20},
		},
		{
			name: "every filter, long flags",
			args: []string{"--workflow", "CI", "--branch", "main", "--user", "monalisa", "--event", "push",
				"--status", "failure", "--commit", "abc123", "--created", ">=2026-01-01", "--limit", "50"},
			filter: runquery.Filter{Workflow: "CI", Branch: "main", Actor: "monalisa", Event: "push",
				Status: "failure", Commit: "abc123", Created: ">=2026-01-01", Limit: 50},
		},
		{
			name: "every filter, short flags",
			args: []string{"-w", "ci.yml", "-b", "release/v1.2", "-u", "hubot", "-e", "pull_request",
				"-s", "in_progress", "-c", "DEADBEEF", "-L", "5"},
			filter: runquery.Filter{Workflow: "ci.yml", Branch: "release/v1.2", Actor: "hubot", Event: "pull_request",
				Status: "in_progress", Commit: "DEADBEEF", Limit: 5},
		},
		{
			name:   "limit 0 means every run",
			args:   []string{"-L", "0"},
			filter: runquery.Filter{Limit: 0},
		},
		{
			name:   "created range",
			args:   []string{"--created", "2026-01-01..2026-01-31"},
			filter: runquery.Filter{Created: "2026-01-01..2026-01-31", Limit: 20},
		},
		{
			name:   "startup_failure is a valid status",
			args:   []string{"-s", "startup_failure"},
			filter: runquery.Filter{Status: "startup_failure", Limit: 20},
		},
		{
			name:   "json fields, spaces trimmed",
			args:   []string{"--json", "databaseId, status,conclusion"},
			filter: runquery.Filter{Limit: 20},
			json:   []string{"databaseId", "status", "conclusion"},
		},
		{
			name:   "json with jq",
			args:   []string{"--json", "databaseId", "-q", ".[].databaseId"},
			filter: runquery.Filter{Limit: 20},
			json:   []string{"databaseId"},
		},
		{
			name:   "json with template",
			args:   []string{"--json", "databaseId,name", "-t", "{{range .}}{{.databaseId}}{{end}}"},
			filter: runquery.Filter{Limit: 20},
			json:   []string{"databaseId", "name"},
		},
		{
			name:   "repo flag",
			args:   []string{"-R", "cli/cli"},
			filter: runquery.Filter{Limit: 20},
			repo:   cmdutil.Repository{Host: "github.com", Owner: "cli", Name: "cli"},
		},
		{
			name:   "repo flag with host",
			args:   []string{"--repo", "ghe.example.com/corp/app"},
			filter: runquery.Filter{Limit: 20},
			repo:   cmdutil.Repository{Host: "ghe.example.com", Owner: "corp", Name: "app"},
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
			if opts.Filter != tt.filter {
				t.Errorf("filter:\n got %+v\nwant %+v", opts.Filter, tt.filter)
			}
			if got := opts.Exporter.Fields(); !slices.Equal(got, tt.json) {
				t.Errorf("json fields = %q, want %q", got, tt.json)
			}
			if got := opts.Exporter.Enabled(); got != (len(tt.json) > 0) {
				t.Errorf("exporter enabled = %v", got)
			}
			want := tt.repo
			if want == (cmdutil.Repository{}) {
				want = cmdtest.Repo // GH_REPO from Isolate
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

func TestNewCmdAlias(t *testing.T) {
	cmdtest.Isolate(t)
	ios, _, _, _ := cmdtest.Streams(false)
	if cmd := NewCmd(cmdtest.Env(ios), nil); !slices.Contains(cmd.Aliases, "ls") {
		t.Errorf("aliases = %q, want ls among them", cmd.Aliases)
	}
}

func TestNewCmdErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown status", []string{"-s", "broken"}, `invalid --status "broken": valid values are queued, in_progress`},
		{"created is not a date", []string{"--created", "yesterday"}, `invalid --created "yesterday": "yesterday" is not a date`},
		{"created month 13", []string{"--created", "2026-13-01"}, `invalid --created "2026-13-01": "2026-13-01" is not a calendar date`},
		{"created backwards range", []string{"--created", "2026-02-01..2026-01-01"}, "the range ends before it starts"},
		{"created bad comparison", []string{"--created", "=>2026-01-01"}, `unknown comparison "=>"`},
		{"commit not hex", []string{"-c", "xyz"}, `invalid --commit "xyz"`},
		{"negative limit", []string{"-L", "-1"}, "invalid --limit -1"},
		{"limit not a number", []string{"-L", "ten"}, `invalid argument "ten" for "-L, --limit"`},
		{"blank workflow", []string{"-w", "  "}, "invalid --workflow: empty name"},
		{"unknown json field", []string{"--json", "id"}, `unknown JSON field: "id"`},
		{"json without fields", []string{"--json"}, "flag needs an argument: --json"},
		{"jq does not parse", []string{"--json", "databaseId", "--jq", ".["}, `invalid jq expression ".["`},
		{"template does not parse", []string{"--json", "databaseId", "--template", "{{"}, "invalid template"},
		{"jq without json", []string{"--jq", ".[]"}, "cannot use `--jq` without specifying `--json`"},
		{"template without json", []string{"-t", "{{.}}"}, "cannot use `--template` without specifying `--json`"},
		{"jq and template", []string{"--json", "databaseId", "-q", ".", "-t", "{{.}}"}, "specify only one of `--jq` or `--template`"},
		{"positional argument", []string{"123"}, `unexpected argument "123"`},
		{"unknown flag", []string{"--nope"}, "unknown flag: --nope"},
		{"malformed repo", []string{"-R", "just-a-name"}, `invalid repository "just-a-name"`},
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
