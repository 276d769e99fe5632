package cmdutil_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

func TestParseAge(t *testing.T) {
	const day = 24 * time.Hour
	for in, want := range map[string]time.Duration{
		"30d": 30 * day, "12h": 12 * time.Hour, "90m": 90 * time.Minute, "2w": 14 * day,
		"1h30m": 90 * time.Minute, "45s": 45 * time.Second, "1w2d": 9 * day, "2d12h": 60 * time.Hour,
		"36500d": 36500 * day, "1.5h": 90 * time.Minute,
	} {
		if got, err := cmdutil.ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "0d", "-3d", "-2h", "d", "3x", "3 d", "12h3d", "1d1w", "3D", "36501d",
		"99999999999999999999d", "1000000h", "30days"} {
		if got, err := cmdutil.ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q) = %v, want an error", bad, got)
		}
	}
	for d, want := range map[time.Duration]string{30 * day: "30d", 12 * time.Hour: "12h0m0s", 36 * time.Hour: "36h0m0s", 0: ""} {
		if got := cmdutil.FormatAge(d); got != want {
			t.Errorf("FormatAge(%v) = %q, want %q", d, got, want)
		}
	}
}

// parseFilter parses args with the filter flags as a command would, and
// validates the filter.
func parseFilter(t *testing.T, args ...string) (cmdutil.Filter, bool, error) {
	t.Helper()
	cmdtest.Isolate(t)
	ios, _, _, _ := cmdtest.Streams(false)
	env := cmdtest.Env(ios)
	var f cmdutil.Filter
	var changed bool
	cmd := &cobra.Command{Use: "cleanup", RunE: func(cmd *cobra.Command, _ []string) error {
		var err error
		if changed, err = f.Changed(cmd); err != nil {
			return err
		}
		return f.Validate()
	}}
	cmdutil.AddFilterFlags(cmd, &f, 0)
	err := cmdtest.Exec(env, cmd, args...)
	return f, changed, err
}

func TestAgeFlags(t *testing.T) {
	now := cmdtest.Now // 2026-11-20T13:00:00Z
	for _, tc := range []struct {
		args    []string
		created string
	}{
		{[]string{"--older-than", "30d"}, "<2026-10-21T13:00:00Z"},
		{[]string{"--newer-than", "12h"}, ">=2026-11-20T01:00:00Z"},
		{[]string{"--older-than", "90m", "--newer-than", "2w"}, "2026-11-06T13:00:00Z..2026-11-20T11:29:59Z"},
		{[]string{"--older-than=1h30m", "-b", "main"}, "<2026-11-20T11:30:00Z"},
		{[]string{"--created", ">=2026-11-01"}, ">=2026-11-01"},
	} {
		f, changed, err := parseFilter(t, tc.args...)
		if err != nil || !changed {
			t.Errorf("%v: changed %v, %v", tc.args, changed, err)
			continue
		}
		f.Now = now
		if got := f.API("").Created; got != tc.created {
			t.Errorf("%v: created=%s, want %s", tc.args, got, tc.created)
		}
	}
	// Before any request: bad values name the flag; ages do not mix with --created.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--older-than", "3x"}, `invalid argument "3x" for "--older-than" flag: want a duration such as 30d, 12h, 90m or 2w`},
		{[]string{"--newer-than", "0d"}, `invalid argument "0d" for "--newer-than" flag: want a duration above zero`},
		{[]string{"--newer-than", "200w"}, ``},
		{[]string{"--older-than", "-1h"}, `invalid argument "-1h" for "--older-than" flag`},
		{[]string{"--older-than", "30d", "--created", ">=2026-01-01"}, "specify --created or --older-than, not both"},
		{[]string{"--newer-than", "30d", "--created", ">=2026-01-01"}, "specify --created or --newer-than, not both"},
		{[]string{"--newer-than", "2d", "--older-than", "3d"}, "invalid --newer-than 2d with --older-than 3d: no run is both newer than 2d and older than 3d"},
		{[]string{"--newer-than", "2d", "--older-than", "2d"}, "invalid --newer-than 2d with --older-than 2d"},
	} {
		_, _, err := parseFilter(t, tc.args...)
		var fe *cmdutil.FlagError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.want == "":
		case !errors.As(err, &fe):
			t.Errorf("%v: got %v (%T), want a usage error", tc.args, err, err)
		case !strings.HasPrefix(err.Error(), tc.want):
			t.Errorf("%v: got %q, want %q", tc.args, err, tc.want)
		}
	}
}

// TestAgeListing: the translated range goes to GitHub and to stderr.
func TestAgeListing(t *testing.T) {
	cmdtest.Isolate(t)
	s, c := cmdtest.Fake(t, 8)
	ios, _, _, errOut := cmdtest.Streams(false)
	// The seed's runs on main that are more than 2 days old at cmdtest.Now.
	list, err := cmdutil.ListRuns(context.Background(), ios, c, cmdtest.Repo,
		cmdutil.Filter{Branch: "main", OlderThan: 2 * 24 * time.Hour, Now: cmdtest.Now})
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
