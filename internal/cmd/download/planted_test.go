package download

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/fakegh"
)

// TestDownloadPlantedSymlink: a symbolic link in the directory named like
// an artifact (a cloned repository may hold one) is not followed: the
// artifact is refused, nothing lands where the link points, and the other
// artifacts go on.
func TestDownloadPlantedSymlink(t *testing.T) {
	cmdtest.Serve(t)
	work, outside := t.TempDir(), t.TempDir()
	t.Chdir(work)
	if err := os.Symlink(outside, "coverage"); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun))
	if err == nil || cmdutil.ExitCode(err) != 1 {
		t.Errorf("error %v, want exit 1", err)
	}
	want := "download artifact coverage (ID 9000001102): coverage is a symbolic link; refusing to extract through it\n"
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr:\n%s\nwant it to hold %q", errOut, want)
	}
	sameFiles(t, outside, map[string]string{})
	sameFiles(t, filepath.Join(work, "test-results"), map[string]string{"test-results.txt": body("test-results", fakegh.FailedRun)})

	// A dangling link too: the folder would be made where it points.
	t.Chdir(t.TempDir())
	target := filepath.Join(outside, "made")
	if err := os.Symlink(target, "coverage"); err != nil {
		t.Fatal(err)
	}
	_, errOut, _ = cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun))
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr:\n%s\nwant it to hold %q", errOut, want)
	}
	if _, err := os.Lstat(target); err == nil {
		t.Errorf("%s was made through the link", target)
	}
}

// TestDownloadNameOfAFile: an artifact named like a file already in the
// directory is refused, saying so; the file is kept.
func TestDownloadNameOfAFile(t *testing.T) {
	cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	if err := os.WriteFile("coverage", []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.FailedRun), "--clobber")
	if err == nil || cmdutil.ExitCode(err) != 1 {
		t.Errorf("error %v, want exit 1", err)
	}
	want := "download artifact coverage (ID 9000001102): coverage is a file, not a folder; refusing to extract into it\n"
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr:\n%s\nwant it to hold %q", errOut, want)
	}
	if b, _ := os.ReadFile("coverage"); string(b) != "mine" {
		t.Errorf("coverage holds %q", b)
	}
}

// TestDownloadNamesDifferInCase: two artifacts whose names differ only in
// case would share a folder on a file system that ignores case (macOS,
// Windows), the second unpacked into the first's: the second is refused
// on every system, so that a download does the same everywhere.
func TestDownloadNamesDifferInCase(t *testing.T) {
	s := cmdtest.Serve(t)
	t.Chdir(t.TempDir())
	s.AddArtifacts(fakegh.Artifact{ID: 1, Name: "Deploy-Manifest", RunID: fakegh.SuccessfulRun})
	_, errOut, err := cmdtest.Run(false, "", newCmd, cmdtest.Arg(fakegh.SuccessfulRun))
	if err == nil || cmdutil.ExitCode(err) != 1 {
		t.Errorf("error %v, want exit 1", err)
	}
	want := `download artifact "deploy-manifest" (ID 9000001111): its name differs from artifact Deploy-Manifest's only in case, ` +
		"so it cannot be a folder name beside it on every system; skipped\n"
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr:\n%s\nwant it to hold %q", errOut, want)
	}
	sameFiles(t, ".", map[string]string{"Deploy-Manifest/Deploy-Manifest.txt": body("Deploy-Manifest", fakegh.SuccessfulRun)})
}

// TestUnsafeFolderNameWindows: names Windows reserves for devices, with or
// without an extension and in any case, and names ending in a dot or a
// space (which Windows drops, so two names would be one folder) are
// refused there; elsewhere they are ordinary names.
func TestUnsafeFolderNameWindows(t *testing.T) {
	for _, name := range []string{"CON", "nul", "Aux.txt", "com1", "LPT9.log", "coverage.", "coverage ", "CONIN$"} {
		if why := unsafeFolderNameOn(name, true); why == "" {
			t.Errorf("%q accepted on Windows", name)
		}
		if why := unsafeFolderNameOn(name, false); why != "" {
			t.Errorf("%q refused elsewhere: %s", name, why)
		}
	}
	for _, name := range []string{"console", "nullable", "com10", "auxiliary.txt", "coverage.v1", "a b"} {
		if why := unsafeFolderNameOn(name, true); why != "" {
			t.Errorf("%q refused on Windows: %s", name, why)
		}
	}
}

// TestUnsafeFolderNameBidi: a bidi override in a name would show its
// folder's name in another order than it is ("report<U+202E>fdp.exe"
// reads as report exe.pdf).
func TestUnsafeFolderNameBidi(t *testing.T) {
	for _, name := range []string{"report\u202efdp.exe", "a\u2066b"} {
		if why := unsafeFolderNameOn(name, false); why != "holds a bidi control character" {
			t.Errorf("%q: %q", name, why)
		}
	}
}
