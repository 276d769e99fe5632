package stats

import (
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// TestStatsRepeatFree: stats run again later in the hour, over the default
// window, sends the same requests, each conditional and answered 304: the
// repeat costs nothing against the rate limit.
func TestStatsRepeatFree(t *testing.T) {
	s := cmdtest.Serve(t)
	statsAt := func(now time.Time, args ...string) (requests, conditional int) {
		t.Helper()
		s.ResetRequests()
		ios, _, _, _ := cmdtest.Streams(false)
		env := cmdtest.Env(ios)
		env.Now = func() time.Time { return now }
		if err := cmdtest.Exec(env, NewCmd(env, nil), args...); err != nil {
			t.Fatal(err)
		}
		for _, r := range s.Requests() {
			if r.Header.Get("If-None-Match") != "" {
				conditional++
			}
		}
		return len(s.Requests()), conditional
	}
	first, _ := statsAt(cmdtest.Now.Add(5 * time.Minute))
	if first == 0 {
		t.Fatal("no requests")
	}
	for _, args := range [][]string{nil, {"--by", "job"}, {"--by", "week"}} {
		n, cond := statsAt(cmdtest.Now.Add(50*time.Minute), args...)
		if n != first || cond != n {
			t.Errorf("stats %v again: %d requests, %d of them conditional; want %d, all conditional", args, n, cond, first)
		}
	}
}
