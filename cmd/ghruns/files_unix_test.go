//go:build unix

package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// startGhruns starts ghruns, main and its signal handling included, as a
// child process in dir, with the test's environment.
func startGhruns(t *testing.T, dir string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), realMainEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// waitExit waits for cmd to end, at most a while, and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("ghruns did not end within 30 s")
	}
	return -1
}

// stallingWriter sends the first half of an archive, then nothing until
// the client goes.
type stallingWriter struct {
	http.ResponseWriter
	r       *http.Request
	left    int
	stalled chan<- struct{}
}

func (w *stallingWriter) Write(b []byte) (int, error) {
	if w.left <= 0 || len(b) < w.left {
		n, err := w.ResponseWriter.Write(b)
		w.left -= n
		return n, err
	}
	w.ResponseWriter.Write(b[:w.left])
	http.NewResponseController(w.ResponseWriter).Flush()
	w.stalled <- struct{}{}
	<-w.r.Context().Done()
	return 0, w.r.Context().Err()
}

// TestHangupCleansUp: closing the terminal (SIGHUP) mid-download removes
// the temporary files, as Ctrl-C does: the .part file beside the target
// and the archive that --extract and logs view keep in the temporary folder.
func TestHangupCleansUp(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		tmp  string // where the temporary file is, glob
	}{
		{"download", []string{"logs", "download", "7000000110", "-o", "ci.zip"}, "work/.ci.zip.*.part"},
		{"extract", []string{"logs", "download", "7000000110", "-x", "out"}, "tmp/ghruns-logs-*.zip"},
		{"view", []string{"logs", "view", "7000000110"}, "tmp/ghruns-logs-*.zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cmdtest.Serve(t)
			base := t.TempDir()
			work, tmp := filepath.Join(base, "work"), filepath.Join(base, "tmp")
			os.Mkdir(work, 0o755)
			os.Mkdir(tmp, 0o755)
			t.Setenv("TMPDIR", tmp)
			run, _ := s.Run(7000000110)
			stalled := make(chan struct{}, 1)
			cmdtest.FrontLogHost(t, s, func(w http.ResponseWriter, r *http.Request, pass http.Handler) {
				pass.ServeHTTP(&stallingWriter{ResponseWriter: w, r: r, left: len(run.Logs) / 2, stalled: stalled}, r)
			})

			cmd, stderr := startGhruns(t, work, tc.args...)
			select {
			case <-stalled:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("the download never started: %s", stderr)
			}
			// Half the archive is on its way to the temporary file.
			deadline := time.Now().Add(10 * time.Second)
			for {
				if m, _ := filepath.Glob(filepath.Join(base, tc.tmp)); len(m) == 1 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("no temporary file %s while downloading", tc.tmp)
				}
				time.Sleep(10 * time.Millisecond)
			}
			cmd.Process.Signal(syscall.SIGHUP)
			code := waitExit(t, cmd)
			if code != 130 || stderr.String() != "interrupted\n" {
				t.Errorf("exit code %d, stderr %q; want 130 and \"interrupted\"", code, stderr)
			}
			for _, d := range []string{work, tmp} {
				if es, _ := os.ReadDir(d); len(es) != 0 {
					t.Errorf("left in %s: %v", filepath.Base(d), es)
				}
			}
		})
	}
}

// TestConcurrentDownloads: two downloads to one file at once; one saves
// it, the other says it already exists, whichever finishes second.
func TestConcurrentDownloads(t *testing.T) {
	s := cmdtest.Serve(t)
	work := t.TempDir()
	// The log host answers once both downloads have asked: both passed
	// the check that the file is absent before either saves.
	var mu sync.Mutex
	arrived, both := 0, make(chan struct{})
	cmdtest.FrontLogHost(t, s, func(w http.ResponseWriter, r *http.Request, pass http.Handler) {
		mu.Lock()
		if arrived++; arrived == 2 {
			close(both)
		}
		mu.Unlock()
		select {
		case <-both:
		case <-time.After(20 * time.Second):
		}
		pass.ServeHTTP(w, r)
	})

	var outs []string
	var codes []int
	var cmds []*exec.Cmd
	var errs []*bytes.Buffer
	for range 2 {
		cmd, stderr := startGhruns(t, work, "logs", "download", "7000000110", "-o", "same.zip")
		cmds, errs = append(cmds, cmd), append(errs, stderr)
	}
	for i, cmd := range cmds {
		codes = append(codes, waitExit(t, cmd))
		outs = append(outs, fmt.Sprintf("exit %d: %s", codes[i], errs[i]))
	}
	slices.Sort(outs)
	want := []string{
		"exit 0: saved the logs of run 7000000110 to same.zip (2.1 KiB)\n",
		"exit 1: same.zip already exists; use --clobber to overwrite it\n",
	}
	if !slices.Equal(outs, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(outs, ""), strings.Join(want, ""))
	}
	run, _ := s.Run(7000000110)
	if b, _ := os.ReadFile(filepath.Join(work, "same.zip")); !bytes.Equal(b, run.Logs) {
		t.Errorf("same.zip holds %d bytes, not the archive", len(b))
	}
	if es, _ := os.ReadDir(work); len(es) != 1 {
		t.Errorf("folder holds %v", es)
	}
}
