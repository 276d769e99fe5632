package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestManPages generates the pages and checks each command has one.
func TestManPages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", ".", "-out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
	for _, page := range []string{"ghruns.1", "ghruns-list.1", "ghruns-view.1", "ghruns-logs-download.1", "ghruns-usage.1"} {
		b, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), ".TH \"GHRUNS\" \"1\"") {
			t.Errorf("%s: no man header", page)
		}
	}
}
