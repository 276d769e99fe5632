// Command ghruns manages GitHub Actions workflow runs.
package main

//go:generate go run ../../scripts/gencompletions -out ../../completions

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ghruns/gh-runs/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
