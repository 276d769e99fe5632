package completion_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmd/completion"
	"github.com/ghruns/gh-runs/internal/cmd/root"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

// TestCompletionsUpToDate fails when completions/ no longer matches the
// commands; `go generate ./...` rewrites it.
func TestCompletionsUpToDate(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	files, err := completion.Generate(root.NewCmd(&cmdutil.Env{IO: ios, Bin: "ghruns", Version: "dev"}))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "..", "completions", name))
		if err != nil {
			t.Fatalf("%v: run `go generate ./...`", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("completions/%s is stale: run `go generate ./...`", name)
		}
	}
}
