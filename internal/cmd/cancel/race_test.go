package cancel

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestCompletedMeanwhile: a run listed as in progress that completes before
// its cancel arrives is reported as already completed, not as a failure;
// the others are cancelled and the command succeeds.
func TestCompletedMeanwhile(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			s := cmdtest.Serve(t)
			target, _ := url.Parse(s.URL)
			proxy := httputil.NewSingleHostReverseProxy(target)
			// Between the listing and the cancel, run 7000000113 finishes.
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/7000000113/cancel") {
					s.UpdateRun(7000000113, func(run *fakegh.Run) { run.Status, run.Conclusion = "completed", "success" })
				}
				proxy.ServeHTTP(w, r)
			}))
			defer srv.Close()
			t.Setenv("GHRUNS_API_URL", srv.URL)
			r := execCmd(t, tty, "", "-w", "CI", "--yes")
			if r.err != nil {
				t.Errorf("error %v, want none: nothing failed", r.err)
			}
			want := "7000000113\talready completed\n7000000112\tcancelled\n"
			if tty {
				want = "\x1b[90m-\x1b[0m run 7000000113 (CI: Add retry to the upload step): already completed\n\x1b[32m✓\x1b[0m run 7000000112 (CI: Login page: remember me): cancelled\n"
			}
			if r.out != want {
				t.Errorf("stdout %q\nwant %q", r.out, want)
			}
			if strings.Contains(r.errOut, "could not") {
				t.Errorf("stderr %q reports a failure", r.errOut)
			}
		})
	}
}
