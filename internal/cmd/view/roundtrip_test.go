package view

import (
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// view asks for the run and its jobs together: two requests, one round
// trip, whether it prints the run or its JSON with the jobs. JSON without
// the jobs asks for the run alone. A failed run printed for a person takes
// one more round trip: its failed job's annotations, known by the job's ID.
func TestViewOneRoundTrip(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	s.Latency = 50 * time.Millisecond
	for _, tc := range []struct {
		args         []string
		requests, rt int
	}{
		{[]string{"7000000111"}, 2, 1},
		{[]string{"7000000110", "--json", "jobs,status"}, 2, 1},
		{[]string{"7000000110", "--json", "status"}, 1, 1},
		{[]string{"7000000110"}, 3, 2},
	} {
		s.ResetRequests()
		if _, _, err := runView(t, c, false, tc.args...); err != nil {
			t.Fatal(err)
		}
		if n, rt := len(s.Requests()), s.RoundTrips(); n != tc.requests || rt != tc.rt {
			t.Errorf("view %v: %d requests in %d round trips, want %d in %d", tc.args, n, rt, tc.requests, tc.rt)
		}
	}
}
