package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// write creates a file for target holding text and publishes it.
func write(t *testing.T, target, text string, replace bool) error {
	t.Helper()
	f, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	return f.Publish(replace)
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestPublishKeepsFileCreatedMeanwhile: a file that appears at the target
// while ours is written survives, and ours is gone.
func TestPublishKeepsFileCreatedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.zip")
	f, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("ours")
	if err := os.WriteFile(target, []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.Publish(false); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Publish: %v, want an error wrapping fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "theirs" {
		t.Errorf("target holds %q, want the file created meanwhile", b)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v, want the target alone", names)
	}
	f.Abort() // harmless after a failed Publish
}

func TestPublishReplace(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.zip")
	os.WriteFile(target, []byte("old"), 0o644)
	if err := os.Chmod(target, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := write(t, target, "new", true); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(target)
	if b, _ := os.ReadFile(target); err != nil || string(b) != "new" {
		t.Fatalf("target holds %q (%v)", b, err)
	}
	if m := fi.Mode().Perm(); m != 0o640 && os.PathSeparator == '/' {
		t.Errorf("mode %v, want the replaced file's 0640", m)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v", names)
	}
}

// TestPublishDanglingLink: a symbolic link at the target counts as a file
// there, even when it points nowhere; replacing replaces the link, not
// what it points to.
func TestPublishDanglingLink(t *testing.T) {
	dir := t.TempDir()
	target, pointee := filepath.Join(dir, "out.zip"), filepath.Join(dir, "elsewhere.zip")
	if err := os.Symlink(pointee, target); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := write(t, target, "new", false); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Publish: %v, want an error wrapping fs.ErrExist", err)
	}
	if fi, err := os.Lstat(target); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was not kept: %v, %v", fi, err)
	}
	if err := write(t, target, "new", true); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(target); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("target is %v (%v), want a regular file", fi, err)
	}
	if _, err := os.Lstat(pointee); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("written through the link: %v", err)
	}
}

func TestRenameDir(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	tmp, err := MkdirTemp(target)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tmp, "a.txt"), []byte("a"), 0o666)
	// An empty folder appearing meanwhile is not replaced either.
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := RenameDir(tmp, target); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("RenameDir: %v, want an error wrapping fs.ErrExist", err)
	}
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := RenameDir(tmp, target); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(target, "a.txt")); err != nil || string(b) != "a" {
		t.Errorf("moved folder holds %q (%v)", b, err)
	}
}
