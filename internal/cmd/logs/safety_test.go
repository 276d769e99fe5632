package logs

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestDownloadClobberFailureKeepsFile: a --clobber download that fails (a
// corrupt archive, a connection cut mid-way) leaves the user's file as it
// was: the new one replaces it only once whole and checked.
func TestDownloadClobberFailureKeepsFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*fakegh.Server)
	}{
		{"corrupt", func(s *fakegh.Server) { setLogs(s, 7000000110, []byte("<html>oops</html>")) }},
		{"cut", func(s *fakegh.Server) { s.InjectFaults(fakegh.Faults{CloseLogAfter: 64}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			dir := t.TempDir()
			t.Chdir(dir)
			os.WriteFile("run-7000000110-logs.zip", []byte("mine"), 0o644)
			os.MkdirAll("out", 0o755)
			os.WriteFile(filepath.Join("out", "0_build.txt"), []byte("mine"), 0o644)
			for _, args := range [][]string{{"7000000110", "--clobber"}, {"7000000110", "--clobber", "-x", "out"}} {
				tc.setup(s) // a cut comes once: set it up for each download
				if r := execCmd(t, download, false, "", args...); r.err == nil {
					t.Fatalf("%v: no error", args)
				}
			}
			for _, f := range []string{"run-7000000110-logs.zip", filepath.Join("out", "0_build.txt")} {
				if got, err := os.ReadFile(f); err != nil || string(got) != "mine" {
					t.Errorf("%s: %q, %v; want the user's file untouched", f, got, err)
				}
			}
			if names := dirList(t, dir); len(names) != 2 {
				t.Errorf("left behind: %v", names)
			}
		})
	}
}

// TestDownloadExtractSymlink: an archive entry that is a symbolic link is
// refused before anything is written, wherever it points.
func TestDownloadExtractSymlink(t *testing.T) {
	for _, target := range []string{"/etc/passwd", "../../elsewhere", "0_build.txt"} {
		t.Run(target, func(t *testing.T) {
			s := cmdtest.Serve(t)
			dir := t.TempDir()
			t.Chdir(dir)
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: "0_build.txt", Method: zip.Store})
			w.Write([]byte("fine\n"))
			h := &zip.FileHeader{Name: "build/1_link.txt", Method: zip.Store}
			h.SetMode(os.ModeSymlink | 0o777)
			w, _ = zw.CreateHeader(h)
			w.Write([]byte(target))
			zw.Close()
			setLogs(s, 7000000110, buf.Bytes())

			r := execCmd(t, download, false, "", "7000000110", "-x", "out")
			if r.err == nil || !strings.Contains(r.err.Error(), `"build/1_link.txt" is a symbolic link`) {
				t.Errorf("error %v, want the link refused", r.err)
			}
			if names := dirList(t, dir); len(names) != 0 {
				t.Errorf("written: %v", names)
			}
		})
	}
}
