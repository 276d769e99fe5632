package fakegh

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestFaultsEveryNth: the Nth requests fail as asked, with GitHub's headers
// and bodies; a request just faulted gets through on its next arrival, and
// the fault due goes to the next request.
func TestFaultsEveryNth(t *testing.T) {
	s := Start(t)
	Seed(s)
	s.InjectFaults(Faults{Every502: 3, EverySecondary: 4})
	var got []int
	// Requests 1-8; request 4 repeats request 3.
	for _, id := range []string{"7000000110", "7000000111", "7000000112", "7000000112", "7000000113", "7000000109", "7000000108", "7000000107"} {
		r := fetch(t, s, "GET", "runs/"+id, "")
		got = append(got, r.StatusCode)
		switch r.StatusCode {
		case http.StatusBadGateway:
			if r.Header.Get("X-RateLimit-Remaining") != "" || !strings.Contains(r.body, `"message":"Server Error"`) {
				t.Errorf("502: headers %v, body %s", r.Header, r.body)
			}
		case http.StatusForbidden:
			if r.Header.Get("Retry-After") != "1" || r.Header.Get("X-RateLimit-Remaining") == "0" ||
				!strings.Contains(r.body, "You have exceeded a secondary rate limit") {
				t.Errorf("secondary limit: headers %v, body %s", r.Header, r.body)
			}
		}
	}
	// 3: 502. 4 repeats 3, so the secondary limit it is due goes to 5.
	// 6: 502. 8: secondary limit.
	want := []int{200, 200, 502, 200, 403, 502, 200, 403}
	if !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if n := len(s.Requests()); n != 8 {
		t.Errorf("%d requests recorded, want 8 (faulted ones included)", n)
	}
}

// TestFault502BeforeState: a faulted cancel changes nothing, so its repeat is
// applied once.
func TestFault502BeforeState(t *testing.T) {
	s := Start(t)
	Seed(s)
	s.InjectFaults(Faults{Every502: 1})
	wantStatus(t, fetch(t, s, "POST", "runs/7000000113/cancel", ""), http.StatusBadGateway)
	if r, _ := s.Run(InProgressRun); r.Status != "in_progress" {
		t.Fatalf("after a 502 the run is %s, want in_progress still", r.Status)
	}
	wantStatus(t, fetch(t, s, "POST", "runs/7000000113/cancel", ""), http.StatusAccepted)
	if r, _ := s.Run(InProgressRun); r.Conclusion != "cancelled" {
		t.Errorf("after the repeat the run is %s/%s", r.Status, r.Conclusion)
	}
}

// TestFaultAfterRerun: the rerun happens, its answer is a 502.
func TestFaultAfterRerun(t *testing.T) {
	s := Start(t)
	Seed(s)
	s.InjectFaults(Faults{FailAfterRerun: true})
	before, _ := s.Run(FailedRun)
	wantStatus(t, fetch(t, s, "POST", "runs/7000000110/rerun", ""), http.StatusBadGateway)
	if after, _ := s.Run(FailedRun); after.Attempt != before.Attempt+1 || after.Status != "queued" {
		t.Errorf("attempt %d → %d (%s), want a new queued attempt", before.Attempt, after.Attempt, after.Status)
	}
	// Refused reruns keep their answer.
	wantStatus(t, fetch(t, s, "POST", "runs/7000000110/rerun", ""), http.StatusForbidden)
}

// TestFaultRateLimit: RateLimit sets the budget of the window.
func TestFaultRateLimit(t *testing.T) {
	s := Start(t)
	Seed(s)
	fetch(t, s, "GET", "runs/7000000110", "") // a window of 5000, replaced below
	s.InjectFaults(Faults{RateLimit: 3})
	for i := 1; i <= 4; i++ {
		r := fetch(t, s, "GET", "runs/7000000110", "")
		if r.Header.Get("X-RateLimit-Limit") != "3" {
			t.Errorf("request %d: limit %s, want 3", i, r.Header.Get("X-RateLimit-Limit"))
		}
		if i == 4 {
			wantStatus(t, r, http.StatusForbidden)
			if r.Header.Get("X-RateLimit-Remaining") != "0" || !strings.Contains(r.body, "API rate limit exceeded") {
				t.Errorf("4th request: remaining %s, body %s", r.Header.Get("X-RateLimit-Remaining"), r.body)
			}
		}
	}
}

// TestFaultCloseLog: the log host drops the first archive after
// CloseLogAfter bytes, and sends the next whole.
func TestFaultCloseLog(t *testing.T) {
	s := Start(t)
	Seed(s)
	s.Now = func() time.Time { return SeedBase.Add(time.Hour) }
	r, _ := s.Run(FailedRun)
	r.Logs = bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	s.AddRuns(r)
	s.InjectFaults(Faults{CloseLogAfter: 100_000})
	download := func() ([]byte, error) {
		loc := fetch(t, s, "GET", "runs/7000000110/logs", "").Header.Get("Location")
		resp, err := http.Get(loc)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	got, err := download()
	if err == nil || len(got) != 100_000 {
		t.Errorf("first download: %d bytes, error %v; want 100000 and an error", len(got), err)
	}
	got, err = download()
	if err != nil || !bytes.Equal(got, r.Logs) {
		t.Errorf("second download: %d bytes, error %v; want the whole archive", len(got), err)
	}
}
