package artifacts

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
	"github.com/ghruns/gh-runs/internal/runquery"
	"github.com/ghruns/gh-runs/internal/sweep"
)

// Fields are the --json fields of an artifact, in gh's camelCase, and
// the OWNER/NAME of its repository.
var Fields = []string{"id", "name", "sizeInBytes", "expired", "createdAt", "expiresAt", "updatedAt",
	"workflowRunId", "headBranch", "headSha", "digest", "repository"}

// ListOptions are artifacts list's dependencies and flag values.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client *api.Client
	Repo   cmdutil.Repository
	// Repos, when more than one, are listed across instead of Repo.
	Repos  []cmdutil.Repository
	Select reposet.Selection
	Filter Filter
	Limit  int
	// Summary prints one row per repository instead of one per artifact.
	Summary  bool
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
expired (true or false), run ID, artifact ID, created and expires (RFC 3339).

--owner, --repos or -R given more than once list across repositories:
merged newest first, -L counting across them all, a REPO column first
(repository in --json), and on a terminal the totals per repository too.
A run ID belongs to one repository, so across them select with -n or
--older-than.

--summary answers which repositories use the storage: one row per
repository with artifacts (REPO, ARTIFACTS, SIZE, STORED: the bytes of
those not expired, which GitHub bills), most stored first, in place of
thousands of artifact rows. It reads every artifact the filters select,
so -L does not apply; in a pipe each row is repository, count, bytes and
bytes stored.`,
		Example: fmt.Sprintf(`  %[1]s 123456
  %[1]s -n test-results -n coverage
  %[1]s --older-than 30d -L 0
  %[1]s --json name,sizeInBytes,expired -L 0
  %[1]s --owner my-org --summary
  %[1]s -R my-org/api -R my-org/web -n coverage -L 50`, env.Command("artifacts list")),
		RunE: func(cmd *cobra.Command, args []string) error {
			multi := opts.Select.Multi(env)
			switch {
			case len(args) > 1:
				return cmdutil.FlagErrorf("%s: unexpected argument %q", cmd.CommandPath(), args[1])
			case len(args) == 1:
				id, err := cmdutil.ParseRunID(args[0])
				if err != nil {
					return err
				}
				if multi {
					return cmdutil.FlagErrorf("a run ID names a run of one repository: with --owner, --repos or several -R, select artifacts with -n or --older-than")
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
			if opts.Summary {
				switch {
				case cmd.Flags().Changed("limit"):
					return cmdutil.FlagErrorf("--summary totals every artifact selected: -L does not apply")
				case opts.Exporter.Enabled():
					return cmdutil.FlagErrorf("--summary is for reading; for scripts, --json repository,sizeInBytes,expired -L 0 gives every artifact with its repository")
				}
				opts.Limit = 0
			}
			if multi {
				return listAcross(cmd.Context(), env, opts, runF)
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
	cmd.Flags().BoolVar(&opts.Summary, "summary", false, "Print one row per repository: artifacts, size and bytes stored, most stored first")
	reposet.AddFlags(cmd, &opts.Select)
	opts.Exporter = output.AddJSONFlags(cmd, Fields)
	return cmd
}

// listAcross selects the repositories (checked before any request) and
// lists across them.
func listAcross(ctx context.Context, env *cmdutil.Env, opts *ListOptions, runF func(context.Context, *ListOptions) error) error {
	plan, err := opts.Select.Prepare(env)
	if err != nil {
		return err
	}
	opts.Repos = plan.Named
	if runF != nil {
		return runF(ctx, opts)
	}
	if opts.Client, opts.Repos, err = plan.Open(ctx, env); err != nil {
		return err
	}
	opts.Repo = opts.Repos[0]
	opts.Filter.Now = env.Clock()
	return runList(ctx, opts)
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
	var as []repoArtifact
	var failed error
	across := len(opts.Repos) > 1
	if across {
		var err error
		if as, err = sweepArtifacts(ctx, opts.IO, opts.Client, opts.Repos, opts.Filter, opts.Limit, opts.Select.Yes); as == nil && err != nil {
			return err
		}
		failed = err
	} else {
		list, err := list(ctx, opts.Client, opts.Repo.API(), opts.Filter, opts.Limit)
		if err != nil {
			if opts.Filter.Run != 0 {
				return cmdutil.RunError("", opts.Repo.API(), opts.Filter.Run, err)
			}
			return fmt.Errorf("list artifacts of %s: %w", opts.Repo, err)
		}
		as = inRepo(opts.Repo, list)
	}
	if err := show(opts, as, across); err != nil {
		return err
	}
	if failed != nil {
		return cmdutil.ErrSilent
	}
	return nil
}

// show prints the artifacts listed: JSON, a summary, or a table (rows in
// a pipe) with the totals on a terminal.
func show(opts *ListOptions, as []repoArtifact, across bool) error {
	ios := opts.IO
	if opts.Exporter.Enabled() {
		rows := make([]map[string]any, len(as))
		for i, a := range as {
			rows[i] = output.Pick(data(a), opts.Exporter.Fields())
		}
		return opts.Exporter.Write(ios, rows)
	}
	if len(as) == 0 {
		if ios.IsStdoutTTY() {
			fmt.Fprintln(ios.ErrOut, "no artifacts found")
		}
		return nil
	}
	if opts.Summary {
		return summarise(ios, as)
	}
	if err := render(ios, as, across, opts.Filter.Now); err != nil {
		return err
	}
	if !ios.IsStdoutTTY() {
		return nil
	}
	fmt.Fprintln(ios.ErrOut, totals(artifactsOf(as)))
	if across {
		for _, g := range byRepo(as) {
			fmt.Fprintf(ios.ErrOut, "  %s: %s\n", g.repo, totals(g.artifacts))
		}
	}
	return nil
}

// repoArtifact is an artifact with the repository it belongs to.
type repoArtifact struct {
	Repo cmdutil.Repository
	api.Artifact
}

func inRepo(repo cmdutil.Repository, as []api.Artifact) []repoArtifact {
	out := make([]repoArtifact, len(as))
	for i, a := range as {
		out[i] = repoArtifact{Repo: repo, Artifact: a}
	}
	return out
}

func artifactsOf(as []repoArtifact) []api.Artifact {
	out := make([]api.Artifact, len(as))
	for i, a := range as {
		out[i] = a.Artifact
	}
	return out
}

// sweepArtifacts lists the artifacts f selects in every repository, after
// one check of the rate limit left (refused unless yes when it does not
// fit), merged newest first and cut at limit (0: all). Each repository is
// asked for at most limit, since the newest N across them all are among
// each one's newest N. A repository that failed was reported on stderr:
// the rest come back with sweep.ErrFailed.
func sweepArtifacts(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repos []cmdutil.Repository, f Filter, limit int, yes bool) ([]repoArtifact, error) {
	all, err := eachRepo(ctx, ios, c, repos, listCost(f, limit), yes, func(ctx context.Context, repo api.Repo) ([]api.Artifact, error) {
		return list(ctx, c, repo, f, limit)
	})
	if all == nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b repoArtifact) int { return newestFirst(a.Artifact, b.Artifact) })
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, err
}

// eachRepo calls artifacts for every repository, after one check of the
// rate limit left for cost requests in each (refused unless yes when it
// does not fit), and returns what it gave grouped by repository, in the
// order of repos. A repository that failed was reported on stderr: the
// rest come back, not nil, with sweep.ErrFailed.
func eachRepo(ctx context.Context, ios *iostreams.IOStreams, c *api.Client, repos []cmdutil.Repository, cost int, yes bool,
	artifacts func(ctx context.Context, repo api.Repo) ([]api.Artifact, error)) ([]repoArtifact, error) {
	if err := sweep.CheckRequests(ctx, ios, c, len(repos), len(repos)*cost, yes); err != nil {
		return nil, err
	}
	per := make([][]api.Artifact, len(repos))
	swept, err := sweep.Each(ctx, ios, c, repos, func(ctx context.Context, i int, _ io.Writer) error {
		as, err := artifacts(ctx, repos[i].API())
		if err != nil {
			return fmt.Errorf("list artifacts of %s: %w", repos[i], err)
		}
		per[i] = as
		return nil
	})
	if swept == nil {
		return nil, err
	}
	all := []repoArtifact{}
	for i, repo := range repos {
		all = append(all, inRepo(repo, per[i])...)
	}
	return all, err
}

// listCost is the fewest requests list makes in one repository: a listing
// per name, each of the pages limit asks for (one when every artifact is
// wanted, since more is not known before the first answer), counted as a
// sweep of runs counts its pages.
func listCost(f Filter, limit int) int {
	if f.OlderThan > 0 {
		limit = 0 // list reads every age: GitHub cannot filter by it
	}
	return max(1, len(f.Names)) * sweep.Estimate(1, runquery.Filter{Limit: limit})
}

// data is every --json field of a.
func data(a repoArtifact) map[string]any {
	return map[string]any{
		"id": a.ID, "name": a.Name, "sizeInBytes": a.SizeInBytes, "expired": a.Expired,
		"createdAt": output.Timestamp(a.CreatedAt), "expiresAt": output.Timestamp(a.ExpiresAt),
		"updatedAt": output.Timestamp(a.UpdatedAt), "workflowRunId": a.RunID(),
		"headBranch": a.HeadBranch(), "headSha": a.HeadSHA(), "digest": a.Digest,
		"repository": a.Repo.String(),
	}
}

// render prints a table on a terminal, tab-separated rows otherwise;
// across repositories, the repository comes first.
func render(ios *iostreams.IOStreams, as []repoArtifact, across bool, now time.Time) error {
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	tty := ios.IsStdoutTTY()
	header := []string{"NAME", "SIZE", "EXPIRED", "RUN", "ID", "AGE"}
	if across {
		header = append([]string{"REPO"}, header...)
	}
	t := output.NewTable(ios, header...)
	if across {
		t.Flex(1)
	} else {
		t.Flex(0)
	}
	for _, a := range as {
		var lead []string
		if across {
			lead = []string{a.Repo.String()}
		}
		name, run, id := output.OneLine(a.Name), strconv.FormatInt(a.RunID(), 10), strconv.FormatInt(a.ID, 10)
		if tty {
			expired := "no"
			if a.Expired {
				expired = cs.Red("yes")
			}
			t.AddRow(append(lead, cs.Bold(name), output.Bytes(a.SizeInBytes), expired, run, cs.Cyan(id), cs.Gray(output.AgoShort(now, a.CreatedAt)))...)
			continue
		}
		t.AddRow(append(lead, name, strconv.FormatInt(a.SizeInBytes, 10), strconv.FormatBool(a.Expired), run, id,
			output.RFC3339(a.CreatedAt), output.RFC3339(a.ExpiresAt))...)
	}
	return t.Render()
}

// repoGroup is one repository's artifacts, and the bytes GitHub stores of them.
type repoGroup struct {
	repo      cmdutil.Repository
	artifacts []api.Artifact
	size      int64
	stored    int64
}

// byRepo groups artifacts by repository, most bytes stored first, then
// most bytes, then by name: the repositories that cost the most lead.
func byRepo(as []repoArtifact) []*repoGroup {
	index := map[cmdutil.Repository]*repoGroup{}
	var groups []*repoGroup
	for _, a := range as {
		g := index[a.Repo]
		if g == nil {
			g = &repoGroup{repo: a.Repo}
			index[a.Repo] = g
			groups = append(groups, g)
		}
		g.artifacts = append(g.artifacts, a.Artifact)
		g.size += a.SizeInBytes
		if !a.Expired {
			g.stored += a.SizeInBytes
		}
	}
	slices.SortStableFunc(groups, func(a, b *repoGroup) int {
		return cmp.Or(cmp.Compare(b.stored, a.stored), cmp.Compare(b.size, a.size), strings.Compare(a.repo.String(), b.repo.String()))
	})
	return groups
}

// summarise prints --summary: a row per repository, and on a terminal
// the totals after.
func summarise(ios *iostreams.IOStreams, as []repoArtifact) error {
	tty := ios.IsStdoutTTY()
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	t := output.NewTable(ios, "REPO", "ARTIFACTS", "SIZE", "STORED")
	t.Flex(0)
	groups := byRepo(as)
	for _, g := range groups {
		n := strconv.Itoa(len(g.artifacts))
		if tty {
			t.AddRow(cs.Bold(g.repo.String()), n, output.Bytes(g.size), output.Bytes(g.stored))
			continue
		}
		t.AddRow(g.repo.String(), n, strconv.FormatInt(g.size, 10), strconv.FormatInt(g.stored, 10))
	}
	if err := t.Render(); err != nil {
		return err
	}
	if tty {
		fmt.Fprintf(ios.ErrOut, "%s: %s\n", output.Repositories(len(groups)), totals(artifactsOf(as)))
	}
	return nil
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
