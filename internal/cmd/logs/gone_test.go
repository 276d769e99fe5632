package logs

import (
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// After its logs are deleted GitHub answers 404 to a run's logs though the
// run is there: ghruns says the logs are gone, not that the run is missing,
// and gives no hint to check the run ID.
func TestLogsOfRunWhoseLogsAreGone(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	setLogs(s, 7000000110, nil)
	want := "download logs of run 7000000110: the logs of run 7000000110 are deleted or expired (GitHub keeps logs 90 days by default)"
	r := execCmd(t, download, false, "", "7000000110")
	if r.err == nil || r.err.Error() != want {
		t.Errorf("download: %v\nwant %s", r.err, want)
	}
	r = execCmd(t, viewCmd, false, "", "7000000110")
	if r.err == nil || r.err.Error() != want {
		t.Errorf("view: %v\nwant %s", r.err, want)
	}
}
