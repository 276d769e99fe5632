// Command genman writes ghruns' man pages (section 1) from its commands;
// releases run it before packaging: `go run ./scripts/genman -out manpages`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/spf13/cobra/doc"

	"github.com/ghruns/gh-runs/internal/cmd/root"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

func main() {
	out := flag.String("out", "manpages", "folder to write the pages into")
	flag.Parse()
	ios, _, _, _ := iostreams.Test()
	cmd := root.NewCmd(&cmdutil.Env{IO: ios, Bin: "ghruns", Version: "dev"})
	cmd.DisableAutoGenTag = true
	err := os.MkdirAll(*out, 0o755)
	if err == nil {
		err = doc.GenManTree(cmd, &doc.GenManHeader{Title: "GHRUNS", Section: "1", Source: "ghruns"}, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genman:", err)
		os.Exit(1)
	}
}
