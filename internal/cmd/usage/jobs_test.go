package usage

import (
	"context"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func TestRunnerOS(t *testing.T) {
	for labels, want := range map[string]string{
		"ubuntu-latest": "UBUNTU", "ubuntu-22.04": "UBUNTU", "macos-14": "MACOS", "windows-2022": "WINDOWS",
		"self-hosted": "", "my-big-runner": "UBUNTU", "": "UBUNTU",
	} {
		if got := runnerOS([]string{labels}); got != want {
			t.Errorf("runnerOS(%q) = %q, want %q", labels, got, want)
		}
	}
	if got := runnerOS([]string{"self-hosted", "linux", "x64"}); got != "" {
		t.Errorf("a self-hosted runner is billed as %q", got)
	}
}

// TestFromJobsRoundsUpEachJob: GitHub bills every job's minutes rounded up.
func TestFromJobsRoundsUpEachJob(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	job := func(id int64, label string, d time.Duration) api.Job {
		return api.Job{ID: id, Status: "completed", Labels: []string{label}, StartedAt: t0, CompletedAt: t0.Add(d)}
	}
	run := api.Run{Status: "completed", CreatedAt: t0, RunStartedAt: t0, UpdatedAt: t0.Add(5 * time.Minute)}
	u := fromJobs(run, []api.Job{
		job(1, "ubuntu-latest", 61*time.Second), // 2 minutes
		job(2, "ubuntu-latest", 60*time.Second), // 1 minute
		job(3, "macos-14", 10*time.Second),      // 1 minute
		job(4, "self-hosted", time.Hour),        // not billed
		{ID: 5, Status: "in_progress", Labels: []string{"windows-latest"}, StartedAt: t0},
	}, false, t0)
	if u.Billable["UBUNTU"].TotalMS != 3*60000 || u.Billable["UBUNTU"].Jobs != 2 ||
		u.Billable["MACOS"].TotalMS != 60000 || u.Billable["WINDOWS"].Jobs != 0 || u.RunDurationMS != 3600000 {
		t.Errorf("usage from jobs: %+v", u)
	}
	// The run lasted until its last job (the self-hosted one) ended.
	if c := cost("MACOS", 60000, map[string]float64{"MACOS": 0.062}); c != 0.062 {
		t.Errorf("a macOS minute costs %v, want 0.062", c)
	}
}

// TestFallsBackToJobsWhenTimingIsEmpty: GitHub's newer billing answers zero;
// the figures then come from the jobs, and say so.
func TestFallsBackToJobsWhenTimingIsEmpty(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	r, _ := s.Run(fakegh.ReleaseRun)
	r.Usage = nil // timing answers an empty billable {}
	s.AddRuns(r)
	opts := &Options{Client: c, Source: sourceTiming, Now: cmdtest.Now}
	out := fetch(context.Background(), opts, cmdtest.Repo.API(), []api.Run{{ID: fakegh.ReleaseRun}}, true)
	got := out[0]
	if got.Err != nil || got.Source != sourceJobs {
		t.Fatalf("source %q, error %v", got.Source, got.Err)
	}
	// The seed's jobs: linux 2m, macOS 4m30s → 5m, windows 3m.
	b := got.Usage.Billable
	if b["UBUNTU"].TotalMS != 120000 || b["MACOS"].TotalMS != 300000 || b["WINDOWS"].TotalMS != 180000 {
		t.Errorf("billable from jobs %+v; want what the timing endpoint would have said", b)
	}
}
