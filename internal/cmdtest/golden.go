package cmdtest

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the -update flag of every test binary that imports cmdtest: a
// package that does must not define its own, or the flag is defined twice.
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// testdata is the package's testdata folder, made absolute while the test
// binary is still in the package's folder: some tests change directory.
var testdata, _ = filepath.Abs("testdata")

// Golden compares a command's whole stdout and stderr with
// testdata/NAME.golden, or rewrites that file when the test runs with -update.
func Golden(t testing.TB, name, stdout, stderr string) {
	t.Helper()
	got := "-- stdout --\n" + stdout + "-- stderr --\n" + stderr
	path := filepath.Join(testdata, name+".golden")
	if *update {
		if err := os.MkdirAll(testdata, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}
