package watch

import (
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func TestNewCmdOptions(t *testing.T) {
	type flags struct {
		runID      int64
		interval   time.Duration
		exitStatus bool
	}
	tests := []struct {
		name string
		args []string
		want flags
		repo cmdutil.Repository
	}{
		{"run ID only", []string{cmdtest.Arg(fakegh.InProgressRun)}, flags{runID: fakegh.InProgressRun}, cmdtest.Repo},
		{"interval", []string{"42", "--interval", "30"}, flags{runID: 42, interval: 30 * time.Second}, cmdtest.Repo},
		{"short interval before the ID", []string{"-i", "1", "42"}, flags{runID: 42, interval: time.Second}, cmdtest.Repo},
		{"exit status", []string{"42", "--exit-status"}, flags{runID: 42, exitStatus: true}, cmdtest.Repo},
		{"repo flag", []string{"-R", "cli/cli", "42"}, flags{runID: 42},
			cmdutil.Repository{Host: "github.com", Owner: "cli", Name: "cli"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			ios, _, _, _ := cmdtest.Streams(false)
			opts, err := cmdtest.Parse(ios, NewCmd, tt.args...)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := flags{opts.RunID, opts.Interval, opts.ExitStatus}
			if got != tt.want {
				t.Errorf("options:\n got %+v\nwant %+v", got, tt.want)
			}
			if opts.Repo != tt.repo {
				t.Errorf("repo = %+v, want %+v", opts.Repo, tt.repo)
			}
			if opts.Client != nil {
				t.Error("a client was made before runF")
			}
			if opts.Now == nil || opts.Sleep == nil {
				t.Error("no clock or sleep")
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
		{"no argument, no terminal", nil, "missing the run ID"},
		{"two arguments", []string{"1", "2"}, `unexpected argument "2"`},
		{"ID not a number", []string{"abc"}, `invalid run ID "abc": want a positive whole number`},
		{"ID zero", []string{"0"}, `invalid run ID "0"`},
		{"zero interval", []string{"42", "-i", "0"}, "invalid --interval 0: must be from 1 to 3600 seconds"},
		{"interval over an hour", []string{"42", "-i", "3601"}, "invalid --interval 3601: must be from 1 to 3600 seconds"},
		{"interval that would wrap", []string{"42", "-i", "18446744074"}, "invalid --interval 18446744074"},
		{"negative interval", []string{"42", "--interval=-5"}, "invalid --interval -5"},
		{"interval not a number", []string{"42", "-i", "2s"}, `invalid argument "2s" for "-i, --interval"`},
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

func TestNextInterval(t *testing.T) {
	snap := func(run string, jobs ...string) *snapshot {
		s := &snapshot{}
		s.run.Status = api.Status(run)
		for i, j := range jobs {
			s.jobs = append(s.jobs, jobOf(int64(i+1), j))
		}
		return s
	}
	s := time.Second
	tests := []struct {
		name      string
		fixed     time.Duration
		last      time.Duration
		prev, cur *snapshot
		want      time.Duration
	}{
		{"first poll of a running run", 0, 0, nil, snap("in_progress", "in_progress"), 2 * s},
		{"first poll of a queued run", 0, 0, nil, snap("queued", "queued"), 10 * s},
		{"a job moved", 0, 8 * s, snap("in_progress", "queued"), snap("in_progress", "in_progress"), 2 * s},
		{"unchanged doubles", 0, 2 * s, snap("in_progress", "in_progress"), snap("in_progress", "in_progress"), 4 * s},
		{"unchanged doubles again", 0, 4 * s, snap("in_progress", "in_progress"), snap("in_progress", "in_progress"), 8 * s},
		{"unchanged stops at 15s", 0, 8 * s, snap("in_progress", "in_progress"), snap("in_progress", "in_progress"), 15 * s},
		{"unchanged at 15s stays", 0, 15 * s, snap("in_progress", "in_progress"), snap("in_progress", "in_progress"), 15 * s},
		{"queued and unchanged", 0, 10 * s, snap("queued"), snap("queued"), 15 * s},
		{"in progress, every job waiting", 0, 2 * s, snap("in_progress", "completed", "queued"), snap("in_progress", "completed", "queued"), 10 * s},
		{"fixed", 30 * s, 2 * s, nil, snap("queued"), 30 * s},
		{"fixed while moving", 1 * s, 1 * s, snap("queued"), snap("in_progress", "in_progress"), 1 * s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextInterval(tt.fixed, tt.last, tt.prev, tt.cur); got != tt.want {
				t.Errorf("nextInterval = %s, want %s", got, tt.want)
			}
		})
	}
}
