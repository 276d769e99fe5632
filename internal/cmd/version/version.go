// Package version implements `ghruns version` and the --version text.
package version

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/build"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// Line is the one-line version text: "ghruns version 1.2.3 (abc1234, 2026-11-25)".
func Line(bin string) string {
	var extra []string
	if build.Commit != "" {
		extra = append(extra, build.Commit[:min(7, len(build.Commit))])
	}
	if build.Date != "" {
		extra = append(extra, strings.SplitN(build.Date, "T", 2)[0])
	}
	line := fmt.Sprintf("%s version %s", bin, build.Version)
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, ", ") + ")"
	}
	return line
}

// Template is the root's --version template; it escapes braces, since
// cobra reads it as a Go template.
func Template(bin string) string {
	return strings.NewReplacer("{", "{{`{`}}", "}", "{{`}`}}").Replace(Line(bin)) + "\n"
}

// NewCmd builds the version command.
func NewCmd(env *cmdutil.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of " + env.Bin,
		Args:  cmdutil.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(env.IO.Out, Line(env.Bin))
			return err
		},
	}
}
