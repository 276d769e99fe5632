package fakegh

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestTestdataUpToDate checks that testdata/github-api is what scripts/syncapi makes
// of its source, the maintainers' folder ../shared/github-api beside the checkout
// (outside the repository); where that folder is missing, as in a clone, there is
// nothing to compare with.
func TestTestdataUpToDate(t *testing.T) {
	shared, err := filepath.Abs("../../../shared/github-api")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(shared); err != nil {
		t.Skip("../shared/github-api is not beside the checkout; nothing to compare testdata with")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run scripts/syncapi")
	}
	out := t.TempDir()
	cmd := exec.Command(goTool, "run", "./scripts/syncapi", "-src", shared, "-out", out)
	cmd.Dir = "../.."
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./scripts/syncapi: %v\n%s", err, msg)
	}
	want, got := readTree(t, out), readTree(t, "testdata/github-api")
	names := func(m map[string][]byte) []string { return slices.Sorted(maps.Keys(m)) }
	if !slices.Equal(names(want), names(got)) {
		t.Fatalf("testdata/github-api holds %v, syncapi makes %v; run go run ./scripts/syncapi", names(got), names(want))
	}
	for name, data := range want {
		if !bytes.Equal(data, got[name]) {
			t.Errorf("testdata/github-api/%s is out of date; run go run ./scripts/syncapi", name)
		}
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
