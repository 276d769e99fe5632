//go:build unix

package logs

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
)

// setUmask sets the process's umask for the test.
func setUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func perm(t *testing.T, name string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestDownloadModes: saved and extracted files get 0666 less the umask,
// folders 0777 less the umask, as a shell would give them; --clobber keeps
// the mode of the file it replaces.
func TestDownloadModes(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	setUmask(t, 0o002)

	if r := execCmd(t, download, false, "", "7000000110", "-o", "ci.zip"); r.err != nil {
		t.Fatal(r.err)
	}
	if m := perm(t, "ci.zip"); m != 0o664 {
		t.Errorf("saved with mode %04o, want 0664 under umask 0002", m)
	}
	if r := execCmd(t, download, false, "", "7000000110", "-x", "out"); r.err != nil {
		t.Fatal(r.err)
	}
	for _, name := range []string{"out", "out/build"} {
		if m := perm(t, name); m != 0o775 {
			t.Errorf("folder %s has mode %04o, want 0775", name, m)
		}
	}
	if m := perm(t, "out/build/1_Set up job.txt"); m != 0o664 {
		t.Errorf("extracted with mode %04o, want 0664", m)
	}

	os.WriteFile("mine.zip", []byte("mine"), 0o600)
	os.Chmod("mine.zip", 0o640)
	if r := execCmd(t, download, false, "", "7000000110", "-o", "mine.zip", "--clobber"); r.err != nil {
		t.Fatal(r.err)
	}
	run, _ := s.Run(7000000110)
	if b, _ := os.ReadFile("mine.zip"); !bytes.Equal(b, run.Logs) {
		t.Error("mine.zip was not replaced")
	}
	if m := perm(t, "mine.zip"); m != 0o640 {
		t.Errorf("replaced file has mode %04o, want its 0640 kept", m)
	}
}

// TestDownloadDanglingLink: a symbolic link at -o is a file there even if
// it points nowhere: kept without --clobber, and with it replaced itself,
// never written through.
func TestDownloadDanglingLink(t *testing.T) {
	s := cmdtest.Serve(t)
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Symlink("elsewhere.zip", "ci.zip"); err != nil {
		t.Fatal(err)
	}
	r := execCmd(t, download, false, "", "7000000110", "-o", "ci.zip")
	if r.err == nil || r.err.Error() != "ci.zip already exists; use --clobber to overwrite it" {
		t.Errorf("error %v", r.err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if target, err := os.Readlink("ci.zip"); err != nil || target != "elsewhere.zip" {
		t.Errorf("the link was changed: %q, %v", target, err)
	}

	r = execCmd(t, download, false, "", "7000000110", "-o", "ci.zip", "--clobber")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if fi, err := os.Lstat("ci.zip"); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("ci.zip is %v (%v), want a regular file", fi, err)
	}
	if names := dirList(t, dir); !slices.Equal(names, []string{"ci.zip"}) {
		t.Errorf("folder holds %v: written through the link?", names)
	}
}

// TestDownloadExtractThroughLink: a symbolic link already in the target
// folder is never followed, even when it stays inside the folder.
func TestDownloadExtractThroughLink(t *testing.T) {
	for _, link := range []string{"../outside", "inside"} {
		t.Run(link, func(t *testing.T) {
			cmdtest.Serve(t)
			dir := t.TempDir()
			t.Chdir(dir)
			os.Mkdir("outside", 0o755)
			os.MkdirAll(filepath.Join("out", "inside"), 0o755)
			if err := os.Symlink(link, filepath.Join("out", "build")); err != nil {
				t.Fatal(err)
			}
			r := execCmd(t, download, false, "", "7000000110", "-x", "out", "--clobber")
			want := filepath.Join("out", "build") + " is a symbolic link; refusing to extract through it"
			if r.err == nil || r.err.Error() != want {
				t.Errorf("error %v, want %q", r.err, want)
			}
			for _, d := range []string{"outside", filepath.Join("out", "inside")} {
				if names := dirList(t, d); len(names) != 0 {
					t.Errorf("written through the link into %s: %v", d, names)
				}
			}
			if names := dirList(t, "out"); !slices.Equal(names, []string{"build", "inside"}) {
				t.Errorf("out holds %v", names)
			}
		})
	}
}
