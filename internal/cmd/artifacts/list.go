package artifacts

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
)

// Fields are the --json fields of an artifact, in gh's camelCase.
var Fields = []string{"id", "name", "sizeInBytes", "expired", "createdAt", "expiresAt", "updatedAt",
	"workflowRunId", "headBranch", "headSha", "digest"}

// ListOptions are artifacts list's dependencies and flag values.
type ListOptions struct {
	IO       *iostreams.IOStreams
	Client   *api.Client
	Repo     cmdutil.Repository
	Filter   Filter
	Limit    int
	Exporter *output.Exporter
}

// NewListCmd builds the artifacts list command; runF replaces the work in tests.
func NewListCmd(env *cmdutil.Env, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: env.IO}
	cmd := &cobra.Command{
		Use:   "list [<run-id>]",
		Short: "List the artifacts of a run or of the repository",
		Long: `List artifacts, newest first: those of the run named by ID, or the
repository's. Sizes are GitHub's; on a terminal the total follows the
table, since GitHub bills the storage of artifacts that have not expired.

In a pipe each artifact is one tab-separated row: name, size in bytes,
expired (true or false), run ID, artifact ID, created and expires (RFC 3339).`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s -n test-results -n coverage
  %[1]s --older-than 30d -L 0
  %[1]s --json name,sizeInBytes,expired -L 0`, env.Command("artifacts list")),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) > 1:
				return cmdutil.FlagErrorf("%s: unexpected argument %q", cmd.CommandPath(), args[1])
			case len(args) == 1:
				id, err := cmdutil.ParseRunID(args[0])
				if err != nil {
					return err
				}
				opts.Filter.Run = id
			}
			if opts.Limit < 0 {
				return cmdutil.FlagErrorf("invalid --limit %d: must be 0 (all) or more", opts.Limit)
			}
			if err := checkNames(opts.Filter.Names); err != nil {
				return err
			}
			if err := opts.Exporter.Validate(); err != nil {
				return cmdutil.FlagErrorf("%s", err)
			}
			repo, err := env.Repo()
			if err != nil {
				return err
			}
			opts.Repo = repo
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Client, err = env.Client(repo, false); err != nil {
				return err
			}
			opts.Filter.Now = env.Clock()
			return runList(cmd.Context(), opts)
		},
	}
	addFilterFlags(cmd, &opts.Filter)
	cmd.Flags().IntVarP(&opts.Limit, "limit", "L", 30, "List at most `n` artifacts; 0 lists every one")
	opts.Exporter = output.AddJSONFlags(cmd, Fields)
	return cmd
}

// addFilterFlags binds -n and --older-than, which list and delete share.
func addFilterFlags(cmd *cobra.Command, f *Filter) {
	cmd.Flags().StringArrayVarP(&f.Names, "name", "n", nil, "Select artifacts named `name` exactly (repeatable)")
	cmd.Flags().Var(cmdutil.AgeValue(&f.OlderThan), "older-than", "Select artifacts created more than `duration` ago (30d, 12h, 90m, 2w)")
}

func checkNames(names []string) error {
	for _, n := range names {
		if n == "" {
			return cmdutil.FlagErrorf("invalid --name \"\": empty value")
		}
	}
	return nil
}

func runList(ctx context.Context, opts *ListOptions) error {
	as, err := list(ctx, opts.Client, opts.Repo.API(), opts.Filter, opts.Limit)
	if err != nil {
		if opts.Filter.Run != 0 {
			return cmdutil.RunError("", opts.Repo.API(), opts.Filter.Run, err)
		}
		return fmt.Errorf("list artifacts of %s: %w", opts.Repo, err)
	}
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(as))
		for i, a := range as {
			rows[i] = output.Pick(data(a), opts.Exporter.Fields())
		}
		return opts.Exporter.Write(opts.IO, rows)
	}
	ios := opts.IO
	if len(as) == 0 {
		if ios.IsStdoutTTY() {
			fmt.Fprintln(ios.ErrOut, "no artifacts found")
		}
		return nil
	}
	if err := render(ios, as, opts.Filter.Now); err != nil {
		return err
	}
	if ios.IsStdoutTTY() {
		fmt.Fprintln(ios.ErrOut, totals(as))
	}
	return nil
}

// data is every --json field of a.
func data(a api.Artifact) map[string]any {
	return map[string]any{
		"id": a.ID, "name": a.Name, "sizeInBytes": a.SizeInBytes, "expired": a.Expired,
		"createdAt": output.Timestamp(a.CreatedAt), "expiresAt": output.Timestamp(a.ExpiresAt),
		"updatedAt": output.Timestamp(a.UpdatedAt), "workflowRunId": a.RunID(),
		"headBranch": a.HeadBranch(), "headSha": a.HeadSHA(), "digest": a.Digest,
	}
}

// render prints a table on a terminal, tab-separated rows otherwise.
func render(ios *iostreams.IOStreams, as []api.Artifact, now time.Time) error {
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	tty := ios.IsStdoutTTY()
	t := output.NewTable(ios, "NAME", "SIZE", "EXPIRED", "RUN", "ID", "AGE")
	t.Flex(0)
	for _, a := range as {
		name, run, id := output.OneLine(a.Name), strconv.FormatInt(a.RunID(), 10), strconv.FormatInt(a.ID, 10)
		if tty {
			expired := "no"
			if a.Expired {
				expired = cs.Red("yes")
			}
			t.AddRow(cs.Bold(name), output.Bytes(a.SizeInBytes), expired, run, cs.Cyan(id), cs.Gray(output.AgoShort(now, a.CreatedAt)))
			continue
		}
		t.AddRow(name, strconv.FormatInt(a.SizeInBytes, 10), strconv.FormatBool(a.Expired), run, id,
			a.CreatedAt.UTC().Format(time.RFC3339), a.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return t.Render()
}

// totals says how many artifacts and bytes are listed, and how much of it
// GitHub still stores (and bills): the artifacts not expired.
func totals(as []api.Artifact) string {
	var size, stored int64
	kept := 0
	for _, a := range as {
		size += a.SizeInBytes
		if !a.Expired {
			stored += a.SizeInBytes
			kept++
		}
	}
	return fmt.Sprintf("%s, %s; not expired (stored, billed): %s, %s",
		output.Plural(len(as), "artifact"), output.Bytes(size), output.Plural(kept, "artifact"), output.Bytes(stored))
}
