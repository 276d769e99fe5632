// Command gencompletions writes the shell completion scripts into
// completions/; run it with `go generate ./...` from the repository root.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ghruns/gh-runs/internal/cmd/completion"
	"github.com/ghruns/gh-runs/internal/cmd/root"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

func main() {
	out := flag.String("out", "completions", "folder to write the scripts into")
	flag.Parse()
	ios, _, _, _ := iostreams.Test()
	files, err := completion.Generate(root.NewCmd(&cmdutil.Env{IO: ios, Bin: "ghruns", Version: "dev"}))
	if err == nil {
		err = os.MkdirAll(*out, 0o755)
	}
	for name, body := range files {
		if err != nil {
			break
		}
		err = os.WriteFile(filepath.Join(*out, name), body, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencompletions:", err)
		os.Exit(1)
	}
}
