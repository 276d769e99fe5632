package logs

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/output"
)

const logsPath = "/repos/octo/hello/actions/runs/7000000110/logs"

// progressRE matches the meter's redraws, whose rate varies.
var progressRE = regexp.MustCompile(`\r\x1b\[K(downloading logs of run [^\r\n]*)?`)

// TestDownload saves the archive under its default name, byte for byte,
// and never shows the token to the log host.
func TestDownload(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			s := cmdtest.Serve(t)
			dir := t.TempDir()
			t.Chdir(dir)
			run, _ := s.Run(fakegh.FailedRun)

			r := execCmd(t, download, tty, "", cmdtest.Arg(fakegh.FailedRun))
			if r.err != nil {
				t.Fatal(r.err)
			}
			want := "saved the logs of run 7000000110 to run-7000000110-logs.zip (" + output.ByteSize(int64(len(run.Logs))) + ")\n"
			if r.out != "" || progressRE.ReplaceAllString(r.errOut, "") != want {
				t.Errorf("got %q, %q; want stderr %q", r.out, r.errOut, want)
			}
			if meter := strings.Contains(r.errOut, "downloading logs of run 7000000110:"); meter != tty {
				t.Errorf("progress meter shown: %v, want %v: %q", meter, tty, r.errOut)
			}
			got, err := os.ReadFile("run-7000000110-logs.zip")
			if err != nil || !bytes.Equal(got, run.Logs) {
				t.Errorf("saved %d bytes (%v), want the fake's %d", len(got), err, len(run.Logs))
			}
			if names := dirList(t, dir); !slices.Equal(names, []string{"run-7000000110-logs.zip"}) {
				t.Errorf("folder holds %v", names)
			}
			reqs, logReqs := s.Requests(), s.LogRequests()
			if len(reqs) != 1 || reqs[0].Path != logsPath || reqs[0].Header.Get("Authorization") == "" {
				t.Errorf("API requests %+v, want one authenticated GET %s", reqs, logsPath)
			}
			if len(logReqs) != 1 || logReqs[0].Header.Get("Authorization") != "" {
				t.Errorf("log host got %d requests, Authorization %q", len(logReqs), logReqs[0].Header.Get("Authorization"))
			}
		})
	}
}

// TestDownloadLarge saves a 6 MB archive intact.
func TestDownloadLarge(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	rng := rand.New(rand.NewChaCha8([32]byte{1}))
	blob := make([]byte, 6<<20)
	for i := range blob {
		blob[i] = byte(rng.Uint32())
	}
	data := zipOf(t, map[string][]byte{"0_build.txt": blob, "build/1_Set up job.txt": []byte("hello\n")}, "0_build.txt", "build/1_Set up job.txt")
	setLogs(s, fakegh.FailedRun, data)

	r := execCmd(t, download, true, "", cmdtest.Arg(fakegh.FailedRun), "-o", "big.zip")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := progressRE.ReplaceAllString(r.errOut, ""); got != "saved the logs of run 7000000110 to big.zip (6.0 MiB)\n" {
		t.Errorf("stderr %q", got)
	}
	// GitHub sends archives chunked, with no length: the meter counts bytes
	// and never invents a total.
	if !strings.Contains(r.errOut, "downloading logs of run 7000000110: ") || strings.Contains(r.errOut, "%)") {
		t.Errorf("the meter did not count bytes alone: %q", r.errOut)
	}
	if got, _ := os.ReadFile("big.zip"); !bytes.Equal(got, data) {
		t.Errorf("saved %d bytes, not the %d of the archive", len(got), len(data))
	}
}

func TestDownloadToStdout(t *testing.T) {
	s := cmdtest.Serve(t)
	dir := t.TempDir()
	t.Chdir(dir)
	run, _ := s.Run(fakegh.FailedRun)
	r := execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "-o", "-")
	if r.err != nil || r.out != string(run.Logs) || r.errOut != "" {
		t.Errorf("error %v; stdout %d bytes, want %d; stderr %q", r.err, len(r.out), len(run.Logs), r.errOut)
	}
	if names := dirList(t, dir); len(names) != 0 {
		t.Errorf("files written: %v", names)
	}
}

// TestDownloadAttempt takes an earlier attempt's archive.
func TestDownloadAttempt(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	r := execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "--attempt", "1", "-o", "first.zip")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Path != "/repos/octo/hello/actions/runs/7000000110/attempts/1/logs" {
		t.Errorf("requests %+v", reqs)
	}
	zr, err := zip.OpenReader("first.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("0_build.txt")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(f)
	if !strings.Contains(string(text), "(run 7000000110 attempt 1, job build)") {
		t.Errorf("not attempt 1's log:\n%s", text)
	}
}

// TestDownloadExtract unpacks every entry, and nothing else.
func TestDownloadExtract(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	run, _ := s.Run(fakegh.FailedRun)
	r := execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "-x", "out")
	if r.err != nil || r.out != "" {
		t.Fatalf("error %v, stdout %q", r.err, r.out)
	}
	zr, err := zip.NewReader(bytes.NewReader(run.Logs), int64(len(run.Logs)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "extracted 8 files of the logs of run 7000000110 into out\n"; r.errOut != want || len(zr.File) != 8 {
		t.Errorf("stderr %q, want %q (archive of %d files)", r.errOut, want, len(zr.File))
	}
	var want, got []string
	for _, f := range zr.File {
		want = append(want, f.Name)
		rc, _ := f.Open()
		content, _ := io.ReadAll(rc)
		rc.Close()
		if disk, err := os.ReadFile(filepath.Join("out", filepath.FromSlash(f.Name))); err != nil || !bytes.Equal(disk, content) {
			t.Errorf("%s: %v, %d bytes on disk, %d in the archive", f.Name, err, len(disk), len(content))
		}
	}
	filepath.WalkDir("out", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel("out", p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("extracted %v\nwant %v", got, want)
	}

	// Again: the files are there now, and stay unless --clobber.
	os.WriteFile(filepath.Join("out", "0_build.txt"), []byte("mine"), 0o644)
	r = execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "-x", "out")
	if want := " already exists; use --clobber to overwrite"; r.err == nil || !strings.HasSuffix(r.err.Error(), want) {
		t.Errorf("error %v, want %q", r.err, want)
	}
	if b, _ := os.ReadFile(filepath.Join("out", "0_build.txt")); string(b) != "mine" {
		t.Error("overwritten without --clobber")
	}
	r = execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "-x", "out", "--clobber")
	if b, _ := os.ReadFile(filepath.Join("out", "0_build.txt")); r.err != nil || string(b) == "mine" {
		t.Errorf("--clobber: error %v, file %q", r.err, b)
	}
}

// TestDownloadNoToken: downloading only reads, so it works unauthenticated
// with one warning.
func TestDownloadNoToken(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Setenv("GH_TOKEN", "")
	t.Chdir(t.TempDir())
	r := execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "-o", "ci.zip")
	if r.err != nil || !strings.HasPrefix(r.errOut, "warning: no GitHub token for github.com;") ||
		!strings.HasSuffix(r.errOut, "\nsaved the logs of run 7000000110 to ci.zip (2.1 KiB)\n") {
		t.Errorf("error %v, stderr %q", r.err, r.errOut)
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Header.Get("Authorization") != "" {
		t.Errorf("requests %+v", reqs)
	}
}

// TestDownloadExtractUnsafe refuses archives whose entries would land
// outside the folder, and writes nothing at all.
func TestDownloadExtractUnsafe(t *testing.T) {
	for _, evil := range []string{"../evil.txt", "ABS/evil.txt", "build/../../evil.txt", `..\evil.txt`} {
		t.Run(evil, func(t *testing.T) {
			s := cmdtest.Serve(t)
			dir, elsewhere := t.TempDir(), t.TempDir()
			t.Chdir(dir)
			evil = strings.Replace(evil, "ABS", filepath.ToSlash(elsewhere), 1)
			files := map[string][]byte{"0_build.txt": []byte("fine\n"), evil: []byte("gotcha\n")}
			setLogs(s, fakegh.FailedRun, zipOf(t, files, "0_build.txt", evil))

			r := execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "-x", "out")
			if r.err == nil || !strings.Contains(r.err.Error(), "archive entry "+strconv.Quote(evil)) {
				t.Errorf("error %v, want the entry %q refused", r.err, evil)
			}
			if names := dirList(t, dir); len(names) != 0 {
				t.Errorf("written: %v", names)
			}
			if names := dirList(t, elsewhere); len(names) != 0 {
				t.Errorf("written outside: %v", names)
			}
		})
	}
}

// TestDownloadExisting refuses to overwrite before any request, unless --clobber.
func TestDownloadExisting(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	os.WriteFile("run-7000000110-logs.zip", []byte("mine"), 0o644)
	r := execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun))
	if r.err == nil || r.err.Error() != "run-7000000110-logs.zip already exists; use --clobber to overwrite it" {
		t.Errorf("error %v", r.err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	r = execCmd(t, download, false, "", cmdtest.Arg(fakegh.FailedRun), "--clobber")
	run, _ := s.Run(fakegh.FailedRun)
	if got, _ := os.ReadFile("run-7000000110-logs.zip"); r.err != nil || !bytes.Equal(got, run.Logs) {
		t.Errorf("--clobber: error %v, file of %d bytes", r.err, len(got))
	}
}

// TestDownloadFails: no logs, a corrupt archive and an expired link each
// leave the folder as it was, temporary file included.
func TestDownloadFails(t *testing.T) {
	for _, tc := range []struct {
		name, wantErr string
		args          []string
		setup         func(*fakegh.Server)
	}{
		{name: "no logs", args: []string{cmdtest.Arg(fakegh.StartupFailureRun)},
			wantErr: "download logs of run 7000000101: run 7000000101 has no logs: no job of it ran"},
		{name: "unknown run", args: []string{"999"},
			wantErr: "download logs of run 999: not found in octo/hello (HTTP 404)"},
		{name: "run in progress", args: []string{cmdtest.Arg(fakegh.InProgressRun)},
			wantErr: "download logs of run 7000000113: Failed to generate URL to download logs (HTTP 500, request ID C33A:BCB4:2791:52FA:00000032)\n" +
				"hint: run 7000000113 is not completed yet; GitHub serves its logs once it is"},
		{name: "attempt that did not happen", args: []string{cmdtest.Arg(fakegh.FailedRun), "--attempt", "9"},
			wantErr: "download logs of run 7000000110: not found in octo/hello (HTTP 404)\nhint: run 7000000110 has 2 attempts; --attempt takes 1 to 2"},
		{name: "corrupt", args: []string{cmdtest.Arg(fakegh.FailedRun)}, setup: func(s *fakegh.Server) { setLogs(s, fakegh.FailedRun, []byte("<html>oops</html>")) },
			wantErr: "the downloaded archive is not a readable zip file: zip: not a valid zip file"},
		{name: "corrupt extract", args: []string{cmdtest.Arg(fakegh.FailedRun), "-x", "out"}, setup: func(s *fakegh.Server) { setLogs(s, fakegh.FailedRun, []byte("PK oops")) },
			wantErr: "the downloaded archive is not a readable zip file: zip: not a valid zip file"},
		{name: "expired", args: []string{cmdtest.Arg(fakegh.FailedRun)}, setup: func(s *fakegh.Server) {
			// Every redirect is two minutes old when the log host sees it:
			// the one fresh redirect the client asks for expires too.
			var calls atomic.Int32
			s.Now = func() time.Time {
				if calls.Add(1)%2 == 1 {
					return cmdtest.Now
				}
				return cmdtest.Now.Add(2 * time.Minute)
			}
		}, wantErr: "download logs of run 7000000110: the log storage host localhost refused the download link (such links expire a minute after GitHub makes them) (HTTP 403)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			dir := t.TempDir()
			t.Chdir(dir)
			if tc.setup != nil {
				tc.setup(s)
			}
			r := execCmd(t, download, false, "", tc.args...)
			if r.err == nil || r.err.Error() != tc.wantErr {
				t.Errorf("error %v, want %q", r.err, tc.wantErr)
			}
			if r.out != "" || r.errOut != "" {
				t.Errorf("printed %q, %q", r.out, r.errOut)
			}
			if names := dirList(t, dir); len(names) != 0 {
				t.Errorf("left behind: %v", names)
			}
		})
	}
}
