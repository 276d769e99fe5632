package artifacts

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/bulk"
	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/config"
	"github.com/ghruns/gh-runs/internal/output"
	"github.com/ghruns/gh-runs/internal/reposet"
)

// DeleteFields are the --json fields of artifacts delete's report.
var DeleteFields = []string{"id", "name", "repository", "sizeInBytes", "result", "error"}

// DeleteOptions are artifacts delete's dependencies and flag values.
type DeleteOptions struct {
	bulk.Request
	Filter Filter
	// Keep is --keep: the newest artifacts of each name that stay.
	Keep int
	// All is --all: a filtered delete with no filter deletes every artifact.
	All bool
}

// NewDeleteCmd builds the artifacts delete command; runF replaces the work in tests.
func NewDeleteCmd(env *cmdutil.Env, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{}
	cmd := &cobra.Command{
		Use:   "delete [<artifact-id>...]",
		Short: "Delete artifacts",
		Long: `Delete artifacts named by ID, or every artifact of the repository that
matches filters. This cannot be undone.

--keep N keeps the newest N artifacts of each name; with --older-than an
artifact goes only when it is both that old and outside the newest N of its
name. A filtered delete needs --older-than, --name or --keep, or --all.
An artifact already gone counts as deleted. Writes are paced to stay under
GitHub's secondary rate limit.

--owner, --repos or -R given more than once delete across repositories,
by filters only (an artifact ID belongs to one repository): each
repository keeps its own newest N of each name, one question gives the
count per repository after the bytes each frees, and each outcome names
its repository.

--json reports each artifact's outcome: id, name, repository, sizeInBytes
(null for an artifact named by ID, unless --dry-run looked it up), result
and error.`,
		Example: fmt.Sprintf(`  %[1]s 9000001101
  %[1]s --older-than 30d --dry-run
  %[1]s -n test-results --keep 5 --yes
  %[1]s --owner my-org --older-than 30d --dry-run`, env.Command("artifacts delete")),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IO = env.IO
			if err := parseDelete(cmd, args, opts, opts.Select.Multi(env)); err != nil {
				return err
			}
			if opts.Select.Multi(env) {
				if runF != nil {
					// The selection checked, without the requests
					// PrepareAcross makes to list an owner's repositories.
					if _, err := opts.Select.Prepare(env); err != nil {
						return err
					}
					return runF(cmd.Context(), opts)
				}
				if err := bulk.PrepareAcross(cmd.Context(), env, &opts.Request); err != nil {
					return err
				}
				opts.Filter.Now = env.Clock()
				return runDelete(cmd.Context(), opts)
			}
			repo, err := env.Repo()
			if err != nil {
				return err
			}
			opts.Repo = repo
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Client, opts.Pace, err = env.PacedClient(repo, !opts.DryRun, opts.WriteRate); err != nil {
				return err
			}
			opts.Filter.Now = env.Clock()
			return runDelete(cmd.Context(), opts)
		},
	}
	addFilterFlags(cmd, &opts.Filter)
	fl := cmd.Flags()
	fl.IntVar(&opts.Keep, "keep", 0, "Keep the newest `n` artifacts of each name among those selected")
	fl.BoolVar(&opts.All, "all", false, "Allow a filtered delete with no filter: every artifact of the repository")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "Delete the artifacts selected by filters without asking")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "Print what would be deleted and the bytes freed, and change nothing")
	fl.IntVar(&opts.WriteRate, "write-rate", 0, "Pace writes at `n` a minute at most (default: the write_rate setting, 160)")
	reposet.AddFlags(cmd, &opts.Select)
	opts.Exporter = output.AddJSONFlags(cmd, DeleteFields)
	return cmd
}

// parseDelete checks the arguments before any request; multi is set when
// the command works across repositories.
func parseDelete(cmd *cobra.Command, args []string, opts *DeleteOptions, multi bool) error {
	var err error
	if opts.IDs, err = cmdutil.ParseIDs(args, "artifact"); err != nil {
		return err
	}
	fl := cmd.Flags()
	if fl.Changed("keep") && opts.Keep < 1 {
		return cmdutil.FlagErrorf("invalid --keep %d: must be 1 or more", opts.Keep)
	}
	if err := checkNames(opts.Filter.Names); err != nil {
		return err
	}
	if opts.WriteRate < 0 || opts.WriteRate > config.MaxWriteRate {
		return cmdutil.FlagErrorf("invalid --write-rate %d: must be between 1 and %d writes a minute", opts.WriteRate, config.MaxWriteRate)
	}
	if err := opts.Exporter.Validate(); err != nil {
		return cmdutil.FlagErrorf("%s", err)
	}
	filtered := fl.Changed("older-than") || fl.Changed("name") || fl.Changed("keep")
	switch {
	case len(args) > 0 && multi:
		return cmdutil.FlagErrorf("an artifact ID names an artifact of one repository: with --owner, --repos or several -R, select artifacts with --older-than, --name or --keep")
	case len(args) > 0 && (filtered || opts.All):
		return cmdutil.FlagErrorf("give artifact IDs or filters, not both")
	case len(args) == 0 && !filtered && !opts.All && multi:
		return cmdutil.FlagErrorf("refusing to delete every artifact of every selected repository: select artifacts with --older-than, --name or --keep, or say --all")
	case len(args) == 0 && !filtered && !opts.All:
		return cmdutil.FlagErrorf("refusing to delete every artifact of the repository: select artifacts with --older-than, --name or --keep, or say --all")
	}
	return nil
}

// runDelete deletes the artifacts named by ID, or those the filters
// select, after saying how many go and the bytes they free.
func runDelete(ctx context.Context, opts *DeleteOptions) error {
	ios := opts.IO
	// Sizes of what goes, for the bytes freed and --json: from the
	// listing, or from the dry run's look-ups of artifacts named by ID.
	// Artifact IDs are unique across GitHub, so they key every repository's.
	sizes := map[int64]api.Artifact{}
	action := deleteAction(opts, sizes)
	if len(opts.IDs) > 0 {
		targets := make([]bulk.Target, len(opts.IDs))
		for i, id := range opts.IDs {
			targets[i] = bulk.Target{ID: id, Kind: "artifact"}
		}
		err := bulk.RunTargets(ctx, opts.Request, action, targets, false)
		if opts.DryRun && len(sizes) > 0 {
			fmt.Fprintf(ios.ErrOut, "would free %s\n", freed(slices.Collect(maps.Values(sizes))))
		}
		return err
	}

	across := len(opts.Repos) > 1
	where := opts.Repo.String()
	if across {
		where = output.Repositories(len(opts.Repos))
	}
	if !opts.Yes && !opts.DryRun && !ios.CanPrompt() {
		// The confirmation refuses without a terminal: do so before listing.
		return cmdutil.ConfirmContext(ctx, ios, fmt.Sprintf("Delete the artifacts selected by filters in %s?", where), "--yes")
	}
	var gone []repoArtifact
	var failed error
	if across {
		var err error
		if gone, err = chooseAcross(ctx, opts); gone == nil && err != nil {
			return err
		}
		failed = err
	} else {
		as, err := choose(ctx, opts.Client, opts.Repo.API(), opts.Filter, opts.Keep)
		if err != nil {
			return fmt.Errorf("list artifacts of %s: %w", opts.Repo, err)
		}
		gone = inRepo(opts.Repo, as)
	}
	targets := make([]bulk.Target, len(gone))
	for i, a := range gone {
		targets[i] = target(a.Artifact)
		if across {
			targets[i].Repo = a.Repo.API()
		}
		sizes[a.ID] = a.Artifact
	}
	if len(gone) > 0 {
		plan(ios.ErrOut, gone, across, opts.DryRun)
	}
	return bulk.RunTargets(ctx, opts.Request, action, targets, failed != nil)
}

// plan says, before the question or a dry run's report, how many
// artifacts go and the bytes they free; across repositories, per
// repository too, those that free the most first.
func plan(w io.Writer, gone []repoArtifact, across, dryRun bool) {
	verb := "deleting"
	if dryRun {
		verb = "would delete"
	}
	if !across {
		fmt.Fprintf(w, "%s %s, freeing %s\n", verb, output.Plural(len(gone), "artifact"), freed(artifactsOf(gone)))
		return
	}
	groups := byRepo(gone)
	fmt.Fprintf(w, "%s %s in %s, freeing %s\n", verb, output.Plural(len(gone), "artifact"),
		output.Repositories(len(groups)), freed(artifactsOf(gone)))
	for _, g := range groups {
		fmt.Fprintf(w, "  %s: %s, freeing %s\n", g.repo, output.Plural(len(g.artifacts), "artifact"), freed(g.artifacts))
	}
}

// deleteAction deletes one artifact, and for a dry run of IDs looks one
// up; every artifact it finds goes into sizes, for the --json report.
func deleteAction(opts *DeleteOptions, sizes map[int64]api.Artifact) bulk.Action {
	return bulk.Action{
		Noun: "artifact",
		Verb: "delete",
		Done: "deleted",
		Act: func(ctx context.Context, t bulk.Target) error {
			err := opts.Client.DeleteArtifact(ctx, opts.RepoOf(t), t.ID)
			if api.IsNotFound(err) {
				// Deleted meanwhile, by someone else or by a repeat.
				return &bulk.AlreadyDone{Result: "already deleted"}
			}
			if err != nil {
				return fmt.Errorf("delete artifact %d: %w", t.ID, err)
			}
			return nil
		},
		Lookup: func(ctx context.Context, id int64) (bulk.Target, error) {
			repo := opts.Repo.API()
			a, err := opts.Client.GetArtifact(ctx, repo, id)
			if api.IsNotFound(err) {
				return bulk.Target{}, fmt.Errorf("artifact %d not found in %s (HTTP 404)", id, repo)
			}
			if err != nil {
				return bulk.Target{}, fmt.Errorf("artifact %d: %w", id, err)
			}
			sizes[id] = *a
			return target(*a), nil
		},
		Data: func(t bulk.Target) map[string]any {
			row := map[string]any{"id": t.ID, "name": nil, "sizeInBytes": nil}
			if t.Title != "" {
				row["name"] = t.Title
			}
			if a, ok := sizes[t.ID]; ok {
				row["sizeInBytes"] = a.SizeInBytes
			}
			return row
		},
	}
}

// chooseAcross lists, after one check of the rate limit left, the
// artifacts to go in every repository, each repository's chosen on its
// own (its newest --keep of each name stay), grouped by repository in the
// order listed. A repository that failed was reported: the rest come back
// with sweep.ErrFailed.
func chooseAcross(ctx context.Context, opts *DeleteOptions) ([]repoArtifact, error) {
	return eachRepo(ctx, opts.IO, opts.Client, opts.Repos, listCost(opts.Filter, 0), opts.Yes, func(ctx context.Context, repo api.Repo) ([]api.Artifact, error) {
		return choose(ctx, opts.Client, repo, opts.Filter, opts.Keep)
	})
}

// choose lists the artifacts the filters select in repo and keeps those
// to go: outside the newest keep of each name, then older than
// --older-than. The newest count whatever their age, so the listing takes
// every age.
func choose(ctx context.Context, c *api.Client, repo api.Repo, f Filter, keep int) ([]api.Artifact, error) {
	age := f.OlderThan
	if keep > 0 {
		f.OlderThan = 0
	}
	as, err := list(ctx, c, repo, f, 0)
	if err != nil {
		return nil, err
	}
	if keep == 0 {
		return as, nil
	}
	seen := map[string]int{}
	cut := f.Now.Add(-age)
	var gone []api.Artifact
	for _, a := range as {
		seen[a.Name]++
		if seen[a.Name] > keep && (age == 0 || a.CreatedAt.Before(cut)) {
			gone = append(gone, a)
		}
	}
	return gone, nil
}

// target names an artifact for the outcome lines: "artifact 42 (coverage)".
func target(a api.Artifact) bulk.Target {
	return bulk.Target{ID: a.ID, Title: a.Name, Kind: "artifact", Listed: true}
}

// freed says what deleting the artifacts frees: their sizes, less those
// already expired, which GitHub no longer stores.
func freed(as []api.Artifact) string {
	var stored int64
	expired := 0
	for _, a := range as {
		if a.Expired {
			expired++
			continue
		}
		stored += a.SizeInBytes
	}
	s := fmt.Sprintf("%s of storage (%d bytes)", output.Bytes(stored), stored)
	if expired > 0 {
		s += fmt.Sprintf("; %s already expired, stored no more", output.Plural(expired, "artifact"))
	}
	return s
}
