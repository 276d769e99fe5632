package logs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// TestNewDownloadCmd checks argv → DownloadOptions, with no HTTP, in a
// folder holding the file taken.zip and the folder sub.
func TestNewDownloadCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    DownloadOptions
		wantErr string
	}{
		{name: "default name", args: []string{"42"}, want: DownloadOptions{RunID: 42, Output: "run-42-logs.zip"}},
		{name: "output", args: []string{"42", "-o", "sub/ci.zip", "-a", "2"}, want: DownloadOptions{RunID: 42, Output: "sub/ci.zip", Attempt: 2}},
		{name: "stdout", args: []string{"42", "-o", "-"}, want: DownloadOptions{RunID: 42, Output: "-"}},
		{name: "clobber", args: []string{"42", "-o", "taken.zip", "--clobber"}, want: DownloadOptions{RunID: 42, Output: "taken.zip", Clobber: true}},
		{name: "extract", args: []string{"42", "-x", "sub", "--attempt", "1"}, want: DownloadOptions{RunID: 42, Extract: "sub", Attempt: 1}},
		{name: "extract to a new folder", args: []string{"42", "-x", "new/logs"}, want: DownloadOptions{RunID: 42, Extract: "new/logs"}},

		{name: "not a number", args: []string{"abc"}, wantErr: `invalid run ID "abc": want a positive whole number`},
		{name: "zero", args: []string{"0"}, wantErr: `invalid run ID "0"`},
		{name: "negative", args: []string{"--", "-5"}, wantErr: `invalid run ID "-5"`},
		{name: "no run", args: []string{}, wantErr: "download: missing the run ID"},
		{name: "two runs", args: []string{"1", "2"}, wantErr: `download: unexpected argument "2"`},
		{name: "output and extract", args: []string{"42", "-o", "a.zip", "-x", "sub"}, wantErr: "specify only one of --output or --extract"},
		{name: "existing file", args: []string{"42", "-o", "taken.zip"}, wantErr: "taken.zip already exists; use --clobber to overwrite it"},
		{name: "existing default", args: []string{"7"}, wantErr: "run-7-logs.zip already exists; use --clobber"},
		{name: "missing folder", args: []string{"42", "-o", "nowhere/ci.zip"}, wantErr: "cannot write nowhere/ci.zip: folder nowhere does not exist"},
		{name: "output is a folder", args: []string{"42", "-o", "sub"}, wantErr: "sub is a directory; name a file with -o"},
		{name: "extract into a file", args: []string{"42", "-x", "taken.zip"}, wantErr: "--extract taken.zip: not a directory"},
		{name: "extract nowhere", args: []string{"42", "-x", ""}, wantErr: "--extract needs a directory"},
		{name: "negative attempt", args: []string{"42", "-a", "-1"}, wantErr: "invalid --attempt -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			t.Chdir(t.TempDir())
			for _, f := range []string{"taken.zip", "run-7-logs.zip"} {
				if err := os.WriteFile(f, []byte("mine"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Mkdir("sub", 0o755); err != nil {
				t.Fatal(err)
			}
			ios, _, out, errOut := cmdtest.Streams(false)
			got, err := cmdtest.Parse(ios, NewDownloadCmd, tt.args...)
			if out.Len()+errOut.Len() > 0 {
				t.Errorf("printed %q, %q before any work", out, errOut)
			}
			if tt.wantErr != "" {
				cmdtest.WantFlagError(t, err, tt.wantErr, got != nil)
				if b, _ := os.ReadFile("taken.zip"); string(b) != "mine" {
					t.Error("taken.zip was changed")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.RunID != tt.want.RunID || got.Output != tt.want.Output || got.Extract != tt.want.Extract ||
				got.Attempt != tt.want.Attempt || got.Clobber != tt.want.Clobber {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
			if got.Repo != cmdtest.Repo || got.IO != ios {
				t.Errorf("dependencies not set: repo %v", got.Repo)
			}
			if _, err := os.Stat(filepath.Join("new")); err == nil {
				t.Error("a folder was made before any work")
			}
		})
	}
}

// TestNewDeleteCmd checks argv → DeleteOptions, with no HTTP.
func TestNewDeleteCmd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		ids     []int64
		filter  runquery.Filter
		yes     bool
		dry     bool
		wantErr string
	}{
		{name: "IDs", args: []string{"3", "1", "3"}, ids: []int64{3, 1}},
		{name: "filters", args: []string{"-w", "Nightly", "--created", "<2026-10-01", "-L", "50", "--yes"},
			filter: runquery.Filter{Workflow: "Nightly", Created: "<2026-10-01", Limit: 50}, yes: true},
		{name: "dry run", args: []string{"-e", "schedule", "--dry-run"}, filter: runquery.Filter{Event: "schedule"}, dry: true},

		{name: "not a number", args: []string{"12x"}, wantErr: `invalid run ID "12x"`},
		{name: "zero", args: []string{"0"}, wantErr: `invalid run ID "0"`},
		{name: "negative", args: []string{"--", "-5"}, wantErr: `invalid run ID "-5"`},
		{name: "IDs and filters", args: []string{"3", "-w", "Nightly"}, wantErr: "specify run IDs or filters, not both"},
		{name: "neither", args: []string{"--yes"}, wantErr: "specify one or more run IDs, or filters"},
		{name: "unknown status", args: []string{"-s", "done"}, wantErr: `invalid --status "done"`},
		{name: "bad created", args: []string{"--created", ">=2026-1-1"}, wantErr: `invalid --created ">=2026-1-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, out, errOut := cmdtest.Streams(false)
			got, err := cmdtest.Parse(ios, NewDeleteCmd, tt.args...)
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
			if !slices.Equal(got.IDs, tt.ids) || got.Filter != tt.filter || got.Yes != tt.yes || got.DryRun != tt.dry {
				t.Errorf("got IDs %v filter %+v yes %v dry %v", got.IDs, got.Filter, got.Yes, got.DryRun)
			}
		})
	}
}
