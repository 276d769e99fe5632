package cancel

import (
	"slices"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// TestNewCmd checks argv → Options, with no HTTP.
func TestNewCmd(t *testing.T) {
	type want struct {
		ids      []int64
		filter   runquery.Filter
		yes, dry bool
		force    bool
		fields   []string
	}
	tests := []struct {
		name    string
		args    []string
		want    want
		wantErr string
	}{
		{name: "IDs, repeats dropped", args: []string{cmdtest.Arg(fakegh.InProgressRun), cmdtest.Arg(fakegh.QueuedRun), cmdtest.Arg(fakegh.InProgressRun)},
			want: want{ids: []int64{fakegh.InProgressRun, fakegh.QueuedRun}}},
		{name: "force", args: []string{"--force", "42"}, want: want{ids: []int64{42}, force: true}},
		{name: "JSON", args: []string{"42", "--json", "databaseId,result,error"},
			want: want{ids: []int64{42}, fields: []string{"databaseId", "result", "error"}}},
		{name: "status filter", args: []string{"-s", "in_progress", "--yes"},
			want: want{filter: runquery.Filter{Status: "in_progress"}, yes: true}},
		{name: "every filter", args: []string{"-w", "CI", "-b", "main", "-u", "monalisa", "-e", "push", "-c", "abc123",
			"--created", ">=2026-11-01", "-L", "5", "--dry-run", "-y"},
			want: want{filter: runquery.Filter{Workflow: "CI", Branch: "main", Actor: "monalisa", Event: "push", Commit: "abc123",
				Created: ">=2026-11-01", Limit: 5}, dry: true, yes: true}},

		{name: "not a number", args: []string{"abc"}, wantErr: `invalid run ID "abc": want a positive whole number`},
		{name: "zero", args: []string{"0"}, wantErr: `invalid run ID "0": want a positive whole number`},
		{name: "negative", args: []string{"--", "-5"}, wantErr: `invalid run ID "-5": want a positive whole number`},
		{name: "negative as a flag", args: []string{"-5"}, wantErr: "unknown shorthand flag: '5' in -5"},
		{name: "IDs and filters", args: []string{"42", "-b", "main"}, wantErr: "specify run IDs or filters, not both"},
		{name: "IDs and limit", args: []string{"42", "-L", "3"}, wantErr: "specify run IDs or filters, not both"},
		{name: "neither", args: []string{}, wantErr: "specify one or more run IDs, or filters such as --status or --branch to select runs"},
		{name: "limit is no filter", args: []string{"-L", "3", "--yes"}, wantErr: "specify one or more run IDs, or filters"},
		{name: "unknown status", args: []string{"-s", "running"}, wantErr: `invalid --status "running": valid values are queued, in_progress,`},
		{name: "bad created", args: []string{"--created", "yesterday"}, wantErr: `invalid --created "yesterday"`},
		{name: "negative limit", args: []string{"-s", "queued", "-L", "-1"}, wantErr: "invalid --limit -1"},
		{name: "unknown JSON field", args: []string{"42", "--json", "id"}, wantErr: `unknown JSON field: "id"`},
		{name: "bad repo", args: []string{"42", "-R", "nope"}, wantErr: `invalid repository "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, out, errOut := cmdtest.Streams(false)
			got, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			if out.Len()+errOut.Len() > 0 {
				t.Errorf("printed %q, %q before any work", out, errOut)
			}
			if tt.wantErr != "" {
				cmdtest.WantFlagError(t, err, tt.wantErr, got != nil)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.IDs, tt.want.ids) || got.Filter != tt.want.filter || got.Yes != tt.want.yes ||
				got.DryRun != tt.want.dry || got.Force != tt.want.force || !slices.Equal(got.Exporter.Fields(), tt.want.fields) {
				t.Errorf("got IDs %v filter %+v yes %v dry %v force %v fields %v\nwant %+v",
					got.IDs, got.Filter, got.Yes, got.DryRun, got.Force, got.Exporter.Fields(), tt.want)
			}
			if got.Repo != cmdtest.Repo || got.Client == nil || got.IO != ios {
				t.Errorf("dependencies not set: repo %v, client %v", got.Repo, got.Client)
			}
		})
	}
}
