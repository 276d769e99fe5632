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
	// SIGHUP is the terminal closing: stop and clean up as for Ctrl-C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Main(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
