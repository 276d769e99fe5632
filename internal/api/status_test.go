package api

import "testing"

// TestConclusionIsFailure pins which conclusions count as failed: they
// decide --exit-status, --failed and which steps watch shows.
func TestConclusionIsFailure(t *testing.T) {
	for c, want := range map[Conclusion]bool{
		ConclusionFailure: true, ConclusionTimedOut: true, ConclusionStartupFailure: true, ConclusionActionRequired: true,
		ConclusionSuccess: false, ConclusionCancelled: false, ConclusionSkipped: false, ConclusionNeutral: false,
		ConclusionStale: false, "": false,
	} {
		if got := c.IsFailure(); got != want {
			t.Errorf("%q.IsFailure() = %v, want %v", c, got, want)
		}
	}
}

func TestStatusWaiting(t *testing.T) {
	for s, want := range map[Status]bool{
		StatusQueued: true, StatusWaiting: true, StatusPending: true, StatusRequested: true,
		StatusInProgress: false, StatusCompleted: false,
	} {
		if got := s.Waiting(); got != want {
			t.Errorf("%q.Waiting() = %v, want %v", s, got, want)
		}
	}
}

func TestCompleted(t *testing.T) {
	for s, want := range map[Status]bool{StatusCompleted: true, StatusInProgress: false, StatusQueued: false, "": false} {
		if got := (Run{Status: s}).Completed(); got != want {
			t.Errorf("run %q: Completed() = %v, want %v", s, got, want)
		}
		if got := (Job{Status: s}).Completed(); got != want {
			t.Errorf("job %q: Completed() = %v, want %v", s, got, want)
		}
	}
}
