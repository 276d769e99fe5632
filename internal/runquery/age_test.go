package runquery_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/runquery"
)

func TestParseAge(t *testing.T) {
	const day = 24 * time.Hour
	for in, want := range map[string]time.Duration{
		"30d": 30 * day, "12h": 12 * time.Hour, "90m": 90 * time.Minute, "2w": 14 * day,
		"1h30m": 90 * time.Minute, "45s": 45 * time.Second, "1w2d": 9 * day, "2d12h": 60 * time.Hour,
		"36500d": 36500 * day, "1.5h": 90 * time.Minute,
	} {
		if got, err := runquery.ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "0d", "-3d", "-2h", "d", "3x", "3 d", "12h3d", "1d1w", "3D", "36501d",
		"99999999999999999999d", "1000000h", "30days"} {
		if got, err := runquery.ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q) = %v, want an error", bad, got)
		}
	}
	for d, want := range map[time.Duration]string{30 * day: "30d", 12 * time.Hour: "12h0m0s", 36 * time.Hour: "36h0m0s", 0: ""} {
		if got := runquery.FormatAge(d); got != want {
			t.Errorf("FormatAge(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestAgeListing: the translated range goes to GitHub and to stderr.
func TestAgeListing(t *testing.T) {
	s := fakegh.Start(t)
	s.Token = token
	fakegh.Seed(s)
	c := client(t, s, 8)
	var errOut bytes.Buffer
	// The seed's runs on main that are more than 2 days old at now.
	list, err := runquery.List(context.Background(), c, repo,
		runquery.Filter{Branch: "main", OlderThan: 2 * 24 * time.Hour, Now: now}, &errOut, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range list.Runs {
		ids = append(ids, r.ID)
	}
	if len(ids) != 2 || ids[0] != fakegh.OlderSuccessfulRun || ids[1] != fakegh.StartupFailureRun {
		t.Errorf("got runs %v, want 7000000103 and 7000000101", ids)
	}
	if got, want := errOut.String(), "selecting runs created <2026-11-18T13:00:00Z\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Query.Get("created") != "<2026-11-18T13:00:00Z" {
		t.Errorf("requests: %+v", reqs)
	}
}
