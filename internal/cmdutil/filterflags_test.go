package cmdutil_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/runquery"
)

// parseFilter parses args with the filter flags as a bulk command would
// (Env.SelectRuns), and returns the filter it reads.
func parseFilter(t *testing.T, args ...string) (runquery.Filter, bool, error) {
	t.Helper()
	cmdtest.Isolate(t)
	ios, _, _, _ := cmdtest.Streams(false)
	env := cmdtest.Env(ios)
	var f runquery.Filter
	var changed bool
	cmd := &cobra.Command{Use: "cleanup", RunE: func(cmd *cobra.Command, args []string) error {
		var err error
		_, changed, err = env.SelectRuns(cmd, args, &f, "--status")
		return err
	}}
	cmdutil.AddFilterFlags(cmd, &f, 0)
	err := cmdtest.Exec(env, cmd, args...)
	return f, changed, err
}

func TestAgeFlags(t *testing.T) {
	const day = 24 * time.Hour
	for _, tc := range []struct {
		args []string
		want runquery.Filter
	}{
		// Ages count back from the command's clock, read once.
		{[]string{"--older-than", "30d"}, runquery.Filter{OlderThan: 30 * day, Now: cmdtest.Now}},
		{[]string{"--newer-than", "12h"}, runquery.Filter{NewerThan: 12 * time.Hour, Now: cmdtest.Now}},
		{[]string{"--older-than", "90m", "--newer-than", "2w"}, runquery.Filter{OlderThan: 90 * time.Minute, NewerThan: 14 * day, Now: cmdtest.Now}},
		{[]string{"--older-than=1h30m", "-b", "main"}, runquery.Filter{Branch: "main", OlderThan: 90 * time.Minute, Now: cmdtest.Now}},
		{[]string{"--created", ">=2026-11-01"}, runquery.Filter{Created: ">=2026-11-01"}},
	} {
		f, changed, err := parseFilter(t, tc.args...)
		if err != nil || !changed || f != tc.want {
			t.Errorf("%v: changed %v, %v, filter %+v; want %+v", tc.args, changed, err, f, tc.want)
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
		{[]string{"--created", "2026-02-30"}, `invalid --created "2026-02-30": "2026-02-30" is not a calendar date`},
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
