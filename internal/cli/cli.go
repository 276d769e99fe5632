// Package cli is ghruns' entry point behind main: it builds the command
// tree for the given streams, runs it, and maps the outcome to an exit code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/build"
	"github.com/ghruns/gh-runs/internal/cmd/root"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/config"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/picker"
)

// Main runs ghruns with args (args[0] is the program's name) and returns
// the exit code: 0 success, 1 failure, 2 declined, 4 authentication, 130 interrupted.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ios := iostreams.New(stdin, stdout, stderr, config.EnvColor())
	env := &cmdutil.Env{IO: ios, Bin: binName(args), Version: build.Version}
	if in, ok := stdin.(*os.File); ok && ios.CanPrompt() {
		out, _ := stdout.(*os.File)
		errOut, _ := stderr.(*os.File)
		if out != nil && errOut != nil {
			env.Prompter = picker.NewTerminal(in, out, errOut)
		}
	}
	cmd := root.NewCmd(env)
	cmd.SetArgs(args[1:])
	cmd.SetIn(stdin)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)

	executed, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	return report(ios, executed, err, ctx)
}

// report prints err as the user should see it and returns the exit code.
func report(ios *iostreams.IOStreams, cmd *cobra.Command, err error, ctx context.Context) int {
	var flagErr *cmdutil.FlagError
	switch {
	case errors.Is(err, cmdutil.ErrSilent):
		return 1
	case errors.Is(err, cmdutil.ErrCancel):
		return 2
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintln(ios.ErrOut, "interrupted")
		return 130
	case errors.As(err, &flagErr):
		msg := err.Error()
		if fields, ok := cmd.Annotations[output.FieldsAnnotation]; ok && msg == "flag needs an argument: --json" {
			fmt.Fprintln(ios.ErrOut, output.FieldList(strings.Split(fields, ",")))
			return 1
		}
		fmt.Fprintln(ios.ErrOut, msg)
		if !strings.Contains(msg, "\n") {
			fmt.Fprintf(ios.ErrOut, "\n%s", cmd.UsageString())
		}
		return 1
	}
	if strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(ios.ErrOut, "%s\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
		return 1
	}
	fmt.Fprintln(ios.ErrOut, err)
	if hint := cmdutil.Hint(err); hint != "" && !strings.Contains(err.Error(), "hint:") {
		fmt.Fprintf(ios.ErrOut, "hint: %s\n", hint)
	}
	return cmdutil.ExitCode(err)
}

// binName is how help names the tool: "gh runs" when gh runs it as an extension.
func binName(args []string) string {
	if os.Getenv("GH_EXTENSION") == "1" {
		return "gh runs"
	}
	if len(args) > 0 && strings.TrimSuffix(filepath.Base(args[0]), ".exe") == "gh-runs" {
		return "gh runs"
	}
	return "ghruns"
}
