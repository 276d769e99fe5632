// Command ghruns manages GitHub Actions workflow runs.
package main

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
