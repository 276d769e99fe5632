package usage

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// usageOf runs usage's argv against the fake through the command, with
// no colour, and returns what it printed.
func usageOf(t *testing.T, c *api.Client, tty bool, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Setenv("NO_COLOR", "1")
	return cmdtest.Run(tty, "", func(env *cmdutil.Env) *cobra.Command {
		return NewCmd(env, func(ctx context.Context, o *Options) error {
			o.Client = c
			return run(ctx, o)
		})
	}, args...)
}

func TestUsageGolden(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr error
	}{
		// Three runners: ubuntu 2m, macOS 4m30s (5m billed), windows 3m.
		{"one-id", []string{cmdtest.Arg(fakegh.ReleaseRun)}, nil},
		{"several-ids", []string{cmdtest.Arg(fakegh.SuccessfulRun), cmdtest.Arg(fakegh.FailedRun), cmdtest.Arg(fakegh.CancelledRun)}, nil},
		// The queued run has no billing data yet.
		{"no-billing", []string{cmdtest.Arg(fakegh.QueuedRun)}, nil},
		{"filters", []string{"--created", "2026-11-19..2026-11-20"}, nil},
		{"json", []string{cmdtest.Arg(fakegh.ReleaseRun), cmdtest.Arg(fakegh.SkippedRun), "--json", "databaseId,workflowName,billable,runDurationMs"}, nil},
		{"unknown-id", []string{cmdtest.Arg(fakegh.SuccessfulRun), "42", cmdtest.Arg(fakegh.FailedRun)}, cmdutil.ErrSilent},
		{"no-runs", []string{"-b", "no-such-branch"}, nil},
		{"no-runs-json", []string{"-b", "no-such-branch", "--json", "databaseId"}, nil},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + map[bool]string{true: "-tty", false: "-notty"}[tty]
			t.Run(name, func(t *testing.T) {
				cmdtest.Isolate(t)
				_, c := cmdtest.Fake(t, 8)
				stdout, stderr, err := usageOf(t, c, tty, tt.args...)
				if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				cmdtest.Golden(t, "usage-"+name, stdout, stderr)
			})
		}
	}
}

// TestUsageByHand runs usage with Options built by hand, the way the
// command would build them.
func TestUsageByHand(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	ios, _, out, errOut := cmdtest.Streams(false)
	opts := &Options{IO: ios, Client: c, Repo: cmdtest.Repo, IDs: []int64{fakegh.ReleaseRun}, Source: sourceJobs, Now: cmdtest.Now,
		Prices: map[string]float64{"UBUNTU": 0.006, "WINDOWS": 0.010, "MACOS": 0.062}}
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	cmdtest.Golden(t, "usage-one-id-notty", out.String(), errOut.String())
}

func TestUsageRequests(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		// Runs named by ID are fetched too, for their workflow's name,
		// alongside their latest attempt's jobs.
		{"ids", []string{cmdtest.Arg(fakegh.SuccessfulRun), cmdtest.Arg(fakegh.FailedRun)}, []string{
			"GET /repos/octo/hello/actions/runs/7000000110",
			"GET /repos/octo/hello/actions/runs/7000000110/jobs",
			"GET /repos/octo/hello/actions/runs/7000000111",
			"GET /repos/octo/hello/actions/runs/7000000111/jobs",
		}},
		// Listed runs are not fetched again: one jobs listing of the
		// listed attempt each.
		{"filters", []string{"-w", "deploy.yml"}, []string{
			"GET /repos/octo/hello/actions/runs/7000000101/attempts/1/jobs",
			"GET /repos/octo/hello/actions/runs/7000000105/attempts/1/jobs",
			"GET /repos/octo/hello/actions/runs/7000000111/attempts/1/jobs",
			"GET /repos/octo/hello/actions/workflows/deploy.yml/runs",
		}},
		// --source timing asks the timing endpoint; runs whose timing says
		// nothing (7000000101 and 7000000105 have no billing) cost one
		// jobs listing more, to compute it.
		{"timing", []string{"-w", "deploy.yml", "--source", "timing"}, []string{
			"GET /repos/octo/hello/actions/runs/7000000101/attempts/1/jobs",
			"GET /repos/octo/hello/actions/runs/7000000101/timing",
			"GET /repos/octo/hello/actions/runs/7000000105/attempts/1/jobs",
			"GET /repos/octo/hello/actions/runs/7000000105/timing",
			"GET /repos/octo/hello/actions/runs/7000000111/timing",
			"GET /repos/octo/hello/actions/workflows/deploy.yml/runs",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			s, c := cmdtest.Fake(t, 8)
			if _, _, err := usageOf(t, c, false, tt.args...); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range s.Requests() {
				got = append(got, r.Method+" "+r.Path)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestUsageTotalsAddUp checks, over every completed run of the seed, that
// the totals per workflow and per OS are sums of the runs' figures.
func TestUsageTotalsAddUp(t *testing.T) {
	cmdtest.Isolate(t)
	_, c := cmdtest.Fake(t, 8)
	stdout, _, err := usageOf(t, c, false, "-s", "completed")
	if err != nil {
		t.Fatal(err)
	}
	type sums struct{ runs, ubuntu, macos, windows, billable, jobs int64 }
	var runs sums
	byWorkflow := map[string]sums{}
	var wfSum, osSum, osTotal sums
	var total sums
	num := func(s string) int64 {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return n
	}
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "run":
			runs.runs++
			runs.ubuntu += num(f[3])
			runs.macos += num(f[4])
			runs.windows += num(f[5])
			runs.billable += num(f[6])
			runs.jobs += num(f[7])
			if num(f[3])+num(f[4])+num(f[5]) != num(f[6]) {
				t.Errorf("run %s: billable is not the sum of its OSes: %q", f[1], line)
			}
		case f[0] == "workflow" && f[1] == "TOTAL":
			total = sums{num(f[2]), num(f[3]), num(f[4]), num(f[5]), num(f[6]), num(f[7])}
		case f[0] == "workflow":
			w := sums{num(f[2]), num(f[3]), num(f[4]), num(f[5]), num(f[6]), num(f[7])}
			byWorkflow[f[1]] = w
			wfSum = sums{wfSum.runs + w.runs, wfSum.ubuntu + w.ubuntu, wfSum.macos + w.macos,
				wfSum.windows + w.windows, wfSum.billable + w.billable, wfSum.jobs + w.jobs}
		case f[0] == "os" && f[1] == "TOTAL":
			osTotal = sums{billable: num(f[2]), jobs: num(f[3])}
		case f[0] == "os":
			osSum.billable += num(f[2])
			osSum.jobs += num(f[3])
		default:
			t.Fatalf("unexpected line %q", line)
		}
	}
	// 11 completed runs; billed minutes from seed.go, each job rounded up:
	// ubuntu 3+6+1+1+2+60+5+4 = 82, macOS 5, windows 12+3 = 15.
	want := sums{runs: 11, ubuntu: 82 * 60000, macos: 5 * 60000, windows: 15 * 60000, billable: 102 * 60000, jobs: 14}
	for name, got := range map[string]sums{"runs": runs, "workflow totals": wfSum, "TOTAL": total} {
		if got != want {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
	if osTotal != osSum {
		t.Errorf("OS TOTAL row %+v, sum of OS rows %+v", osTotal, osSum)
	}
	if osSum.billable != want.billable || osSum.jobs != want.jobs {
		t.Errorf("OS totals: got %+v, want billable %d, jobs %d", osSum, want.billable, want.jobs)
	}
	if len(byWorkflow) != 5 {
		t.Errorf("got %d workflows, want 5 (the two Lint files apart): %v", len(byWorkflow), byWorkflow)
	}
	for _, name := range []string{"Lint (lint.yml)", "Lint (lint-strict.yml)"} {
		if byWorkflow[name].runs != 1 {
			t.Errorf("%s: %+v, want its one run", name, byWorkflow[name])
		}
	}
}

// TestUsageTotalsByOS: --by os prints its totals once, in a pipe as on a
// terminal, and runs named by ID get the totals --by asks for instead of
// having the flag ignored. Costs say their currency on a terminal.
func TestUsageTotalsByOS(t *testing.T) {
	for _, tc := range []struct {
		name string
		tty  bool
		args []string
		want []string // lines that must appear exactly once
	}{
		{name: "filters in a pipe", args: []string{"--created", "2026-11-19..2026-11-20", "--by", "os"},
			want: []string{"os\tTOTAL\t5700000\t11\t\t0.91"}},
		{name: "ID in a pipe", args: []string{cmdtest.Arg(fakegh.ReleaseRun), "--by", "os"},
			want: []string{"os\tMACOS\t300000\t1\t0.062/min\t0.31", "os\tTOTAL\t600000\t3\t\t0.35"}},
		{name: "ID by workflow in a pipe", args: []string{cmdtest.Arg(fakegh.ReleaseRun), "--by", "workflow"},
			want: []string{"workflow\tCI\t1\t120000\t300000\t180000\t600000\t3\t0.35", "os\tTOTAL\t600000\t3\t\t0.35"}},
		{name: "ID on a terminal", tty: true, args: []string{cmdtest.Arg(fakegh.ReleaseRun), "--by", "os"},
			want: []string{"Totals by OS", "RATE       USD\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmdtest.Isolate(t)
			_, c := cmdtest.Fake(t, 8)
			stdout, stderr, err := usageOf(t, c, tc.tty, tc.args...)
			if err != nil || stderr != "" {
				t.Fatalf("error %v, stderr %q", err, stderr)
			}
			for _, w := range tc.want {
				if n := strings.Count(stdout, w); n != 1 {
					t.Errorf("%q appears %d times, want once:\n%s", w, n, stdout)
				}
			}
			if n := strings.Count(stdout, "TOTAL"); n != 1 && !strings.Contains(tc.name, "by workflow") {
				t.Errorf("%d TOTAL rows, want one:\n%s", n, stdout)
			}
		})
	}
}
