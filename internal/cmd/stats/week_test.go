package stats

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// seedWeeks adds runs on branch "weekly" (created UTC, queue, one job's
// seconds; the run lasts its job):
//
//	CI       Tue 2026-10-27 10:00  success    queue 10s  60s    (W44)
//	CI       Thu 2026-10-29 10:00  failure    queue 20s  120s   (W44)
//	Nightly  Sun 2026-11-08 23:59:59 success  queue 30s  600s   (W45, its last second)
//	CI       Mon 2026-11-09 00:00  success    queue 5s   30s    (W46, its first second)
//	CI       Thu 2026-11-12 10:00  cancelled  queue 25s  45s    (W46)
//	CI       Sun 2026-11-15 23:59:59 success  queue 15s  90s    (W46)
//	CI       Mon 2026-11-16 08:00  queued                       (W47)
func seedWeeks(s *fakegh.Server) {
	id := int64(7000000060)
	run := func(wf int64, name string, created time.Time, conclusion string, queue, secs int) fakegh.Run {
		id++
		start := created.Add(time.Duration(queue) * time.Second)
		end := start.Add(time.Duration(secs) * time.Second)
		r := fakegh.Run{ID: id, Number: int(id % 100), WorkflowID: wf, Name: name, HeadBranch: "weekly", HeadSHA: strings.Repeat("7", 40),
			Event: "push", Status: "completed", Conclusion: conclusion, Actor: "monalisa", CreatedAt: created, StartedAt: start, UpdatedAt: end.Add(time.Second),
			Jobs: []fakegh.Job{{ID: 9200000000 + id%100, Name: "build", Status: "completed", Conclusion: conclusion, StartedAt: start, CompletedAt: end,
				Labels: []string{"ubuntu-latest"}, RunnerName: "GitHub Actions 1"}}}
		if conclusion == "" {
			r.Status, r.StartedAt, r.UpdatedAt = "queued", created, created
			r.Jobs = []fakegh.Job{{ID: 9200000000 + id%100, Name: "build", Status: "queued", Labels: []string{"ubuntu-latest"}}}
		}
		return r
	}
	day := func(d, h, m, sec int) time.Time { return time.Date(2026, 10, d, h, m, sec, 0, time.UTC) } // November is day 32 on
	s.AddRuns(
		run(1, "CI", day(27, 10, 0, 0), "success", 10, 60),
		run(1, "CI", day(29, 10, 0, 0), "failure", 20, 120),
		run(3, "Nightly", day(31+8, 23, 59, 59), "success", 30, 600),
		run(1, "CI", day(31+9, 0, 0, 0), "success", 5, 30),
		run(1, "CI", day(31+12, 10, 0, 0), "cancelled", 25, 45),
		run(1, "CI", day(31+15, 23, 59, 59), "success", 15, 90),
		run(1, "CI", day(31+16, 8, 0, 0), "", 0, 0),
	)
}

func TestStatsByWeek(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	seedWeeks(s)
	// The window runs from Monday 2026-10-26 (W44) to now, Friday
	// 2026-11-20 (W47): four weeks for each workflow, those without runs
	// too. By hand (nearest rank):
	//   CI W44: 2 runs, 1 of 2 succeeded; durations 60 120: p50 60s, p90 120s; queue 10 20: p50 10s
	//   CI W45: none
	//   CI W46: 3 runs, 2 of 3 succeeded (one cancelled); 30 45 90: p50 45s, p90 90s; queue 5 15 25: p50 15s
	//   CI W47: 1 run, queued: no rate, no durations, no queue time
	//   Nightly W45: 1 run, succeeded, 600s, queue 30s; its other weeks none
	// CI comes first, its newest run being the newer.
	stdout, stderr, err := statsOf(t, c, false, 0, "--by", "week", "-b", "weekly", "--created", "2026-10-26..2026-11-22")
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	want := "CI\t2026-W44\t2026-10-26\t2\t50.0\t60000\t120000\t10000\n" +
		"CI\t2026-W45\t2026-11-02\t0\t\t\t\t\n" +
		"CI\t2026-W46\t2026-11-09\t3\t66.7\t45000\t90000\t15000\n" +
		"CI\t2026-W47\t2026-11-16\t1\t\t\t\t\n" +
		"Nightly\t2026-W44\t2026-10-26\t0\t\t\t\t\n" +
		"Nightly\t2026-W45\t2026-11-02\t1\t100.0\t600000\t600000\t30000\n" +
		"Nightly\t2026-W46\t2026-11-09\t0\t\t\t\t\n" +
		"Nightly\t2026-W47\t2026-11-16\t0\t\t\t\t\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}

	// On a terminal, a dash where there is nothing to compute from.
	stdout, _, err = statsOf(t, c, true, 0, "--by", "week", "-b", "weekly", "-w", "ci.yml", "--created", "2026-10-26..2026-11-22")
	if err != nil {
		t.Fatal(err)
	}
	wantTTY := "WORKFLOW WEEK STARTS RUNS OK% P50 P90 QUEUE P50\n" +
		"CI 2026-W44 2026-10-26 2 50% 1m0s 2m0s 10s\n" +
		"CI 2026-W45 2026-11-02 0 - - - -\n" +
		"CI 2026-W46 2026-11-09 3 67% 45s 1m30s 15s\n" +
		"CI 2026-W47 2026-11-16 1 - - - -\n"
	if squeeze(stdout) != wantTTY {
		t.Errorf("terminal:\n%s\nwant:\n%s", stdout, wantTTY)
	}

	// JSON: null where a week has nothing to compute from.
	stdout, _, err = statsOf(t, c, false, 0, "--by", "week", "-b", "weekly", "-w", "ci.yml", "--created", "2026-10-26..2026-11-22",
		"--json", "week,weekStart,runs,successRate,durationP90Ms,queueP50Ms")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if len(rows) != 4 || rows[1]["week"] != "2026-W45" || rows[1]["runs"] != 0.0 || rows[1]["successRate"] != nil ||
		rows[2]["successRate"] != 0.6667 || rows[2]["durationP90Ms"] != 90000.0 || rows[2]["weekStart"] != "2026-11-09" {
		t.Errorf("json: %v", rows)
	}
}

// TestStatsByWeekWindow: the default window (30 days back from Friday
// 2026-11-20 13:00) starts in W43, which shows with no runs; when -L cuts
// the runs read, the weeks start at the oldest run read instead.
func TestStatsByWeekWindow(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	seedWeeks(s)
	weeks := func(args ...string) []string {
		t.Helper()
		stdout, stderr, err := statsOf(t, c, false, 0, append([]string{"--by", "week", "-b", "weekly", "-w", "ci.yml"}, args...)...)
		if err != nil {
			t.Fatalf("%v: %s", err, stderr)
		}
		var out []string
		for _, row := range strings.Split(strings.TrimSpace(stdout), "\n") {
			cells := strings.Split(row, "\t")
			out = append(out, cells[1]+":"+cells[3])
		}
		return out
	}
	if got, want := weeks(), []string{"2026-W43:0", "2026-W44:2", "2026-W45:0", "2026-W46:3", "2026-W47:1"}; !slices.Equal(got, want) {
		t.Errorf("default window: %v, want %v", got, want)
	}
	// The two newest: Sunday 2026-11-15 (W46) and Monday 2026-11-16 (W47).
	if got, want := weeks("-L", "2"), []string{"2026-W46:1", "2026-W47:1"}; !slices.Equal(got, want) {
		t.Errorf("-L 2: %v, want %v", got, want)
	}
}
