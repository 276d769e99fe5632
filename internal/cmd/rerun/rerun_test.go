package rerun

import (
	"slices"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// TestNewCmd checks argv → Options, with no HTTP.
func TestNewCmd(t *testing.T) {
	type want struct {
		ids           []int64
		filter        runquery.Filter
		yes, dry      bool
		failed, debug bool
	}
	tests := []struct {
		name    string
		args    []string
		want    want
		wantErr string
	}{
		{name: "IDs, repeats dropped", args: []string{"5", "5", "6"}, want: want{ids: []int64{5, 6}}},
		{name: "failed and debug", args: []string{"--failed", "-d", "5"}, want: want{ids: []int64{5}, failed: true, debug: true}},
		{name: "debug long", args: []string{"--debug", "5"}, want: want{ids: []int64{5}, debug: true}},
		{name: "filters", args: []string{"-w", "CI", "-s", "failure", "--created", "2026-11-01..2026-11-20", "--yes"},
			want: want{filter: runquery.Filter{Workflow: "CI", Status: "failure", Created: "2026-11-01..2026-11-20"}, yes: true}},
		{name: "dry run", args: []string{"-b", "main", "--dry-run"}, want: want{filter: runquery.Filter{Branch: "main"}, dry: true}},

		{name: "not a number", args: []string{"abc"}, wantErr: `invalid run ID "abc"`},
		{name: "zero", args: []string{"5", "0"}, wantErr: `invalid run ID "0"`},
		{name: "negative", args: []string{"--", "-5"}, wantErr: `invalid run ID "-5"`},
		{name: "IDs and filters", args: []string{"5", "-s", "failure"}, wantErr: "specify run IDs or filters, not both"},
		{name: "neither", args: []string{"--failed"}, wantErr: "specify one or more run IDs, or filters"},
		{name: "unknown status", args: []string{"-s", "failed"}, wantErr: `invalid --status "failed"`},
		{name: "bad created", args: []string{"--created", "2026-13-01"}, wantErr: `invalid --created "2026-13-01"`},
		{name: "backwards range", args: []string{"--created", "2026-11-20..2026-11-01"}, wantErr: "the range ends before it starts"},
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
				got.DryRun != tt.want.dry || got.Failed != tt.want.failed || got.Debug != tt.want.debug {
				t.Errorf("got IDs %v filter %+v yes %v dry %v failed %v debug %v\nwant %+v",
					got.IDs, got.Filter, got.Yes, got.DryRun, got.Failed, got.Debug, tt.want)
			}
		})
	}
}

// TestNewCmdJob checks gh's `rerun -j JOB_ID` argv → Options, with no HTTP.
func TestNewCmdJob(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		job     int64
		debug   bool
		wantErr string
	}{
		{name: "short", args: []string{"-j", "8000001081"}, job: 8000001081},
		{name: "long with debug", args: []string{"--job", "8000001081", "-d"}, job: 8000001081, debug: true},
		{name: "not a number", args: []string{"-j", "build"}, wantErr: `invalid argument "build"`},
		{name: "zero", args: []string{"-j", "0"}, wantErr: "invalid --job 0"},
		{name: "with a run ID", args: []string{"-j", "8", "7000000108"}, wantErr: "specify either run IDs or --job, not both"},
		{name: "with a filter", args: []string{"-j", "8", "-b", "main"}, wantErr: "--branch cannot be used with --job"},
		{name: "with --failed", args: []string{"-j", "8", "--failed"}, wantErr: "--failed cannot be used with --job"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			got, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Job != tt.job || got.Debug != tt.debug || len(got.IDs) != 0 {
				t.Errorf("got job %d debug %v IDs %v; want job %d debug %v", got.Job, got.Debug, got.IDs, tt.job, tt.debug)
			}
		})
	}
}
