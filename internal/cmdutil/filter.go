package cmdutil

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
)

// Statuses are the --status values GitHub accepts: a run's status or its
// conclusion. startup_failure is missing from GitHub's own enum, yet it is
// a conclusion GitHub reports and gh accepts.
var Statuses = []string{
	"queued", "in_progress", "completed", "requested", "waiting", "pending",
	"action_required", "cancelled", "failure", "neutral", "skipped", "stale",
	"startup_failure", "success", "timed_out",
}

var shaRE = regexp.MustCompile(`^[0-9a-fA-F]{4,40}$`)

// Filter is the run selection shared by list, cancel, rerun, logs delete
// and usage.
type Filter struct {
	Workflow string
	Branch   string
	Actor    string
	Event    string
	Status   string
	Commit   string
	Created  string
	Limit    int
}

// AddFilterFlags registers the filter flags on cmd; defaultLimit is -L's default.
func AddFilterFlags(cmd *cobra.Command, f *Filter, defaultLimit int) {
	fl := cmd.Flags()
	fl.StringVarP(&f.Workflow, "workflow", "w", "", "Filter runs by workflow `name`, file or ID")
	fl.StringVarP(&f.Branch, "branch", "b", "", "Filter runs by `branch`")
	fl.StringVarP(&f.Actor, "user", "u", "", "Filter runs by the `login` of the user who triggered them")
	fl.StringVarP(&f.Event, "event", "e", "", "Filter runs by the `event` that triggered them")
	fl.StringVarP(&f.Status, "status", "s", "", "Filter runs by status or conclusion: {"+strings.Join(Statuses, "|")+"}")
	fl.StringVarP(&f.Commit, "commit", "c", "", "Filter runs by the `SHA` of their head commit")
	fl.StringVar(&f.Created, "created", "", "Filter runs by creation `date` in GitHub's search syntax (2026-01-31, >=2026-01-01, 2026-01-01..2026-01-31)")
	fl.IntVarP(&f.Limit, "limit", "L", defaultLimit, "Maximum number of runs to fetch; 0 for every run GitHub serves")
	_ = cmd.RegisterFlagCompletionFunc("status", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return Statuses, cobra.ShellCompDirectiveNoFileComp
	})
}

// Changed reports whether the user set any filter other than --limit.
func (f Filter) Changed(cmd *cobra.Command) bool {
	for _, name := range []string{"workflow", "branch", "user", "event", "status", "commit", "created"} {
		if cmd.Flags().Changed(name) {
			return true
		}
	}
	return false
}

// Validate checks the filter before any request.
func (f Filter) Validate() error {
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return FlagErrorf("invalid --status %q: valid values are %s", f.Status, strings.Join(Statuses, ", "))
	}
	if f.Created != "" {
		if err := ValidateCreated(f.Created); err != nil {
			return &FlagError{Err: err}
		}
	}
	if f.Commit != "" && !shaRE.MatchString(f.Commit) {
		return FlagErrorf("invalid --commit %q: want a hexadecimal commit SHA", f.Commit)
	}
	if f.Limit < 0 {
		return FlagErrorf("invalid --limit %d: must be 0 (every run) or more", f.Limit)
	}
	if f.Workflow != "" && strings.TrimSpace(f.Workflow) == "" {
		return FlagErrorf("invalid --workflow: empty name")
	}
	return nil
}

// API turns the filter into the REST layer's, with the workflow resolved to an ID or file name.
func (f Filter) API(workflow string) api.RunFilter {
	return api.RunFilter{
		Workflow: workflow,
		Actor:    f.Actor,
		Branch:   f.Branch,
		Event:    f.Event,
		Status:   f.Status,
		Created:  f.Created,
		HeadSHA:  f.Commit,
	}
}

// WorkflowLister lists a repository's workflows.
type WorkflowLister interface {
	ListWorkflows(ctx context.Context, repo api.Repo) ([]api.Workflow, error)
}

// ResolveWorkflow turns -w NAME|FILE|ID into what the runs endpoint takes:
// an ID or a file name as given, a name through the workflows list.
func ResolveWorkflow(ctx context.Context, c WorkflowLister, repo api.Repo, value string) (string, error) {
	if value == "" || isDigits(value) || strings.HasSuffix(value, ".yml") || strings.HasSuffix(value, ".yaml") {
		return strings.TrimPrefix(value, ".github/workflows/"), nil
	}
	ws, err := c.ListWorkflows(ctx, repo)
	if err != nil {
		return "", fmt.Errorf("resolving workflow %q: %w", value, err)
	}
	var matches []api.Workflow
	for _, w := range ws {
		if w.Name == value {
			matches = append(matches, w)
		}
	}
	if len(matches) == 0 {
		for _, w := range ws {
			if strings.EqualFold(w.Name, value) {
				matches = append(matches, w)
			}
		}
	}
	switch len(matches) {
	case 1:
		return fmt.Sprint(matches[0].ID), nil
	case 0:
		return "", FlagErrorf("unknown workflow %q in %s; workflows:%s", value, repo, listWorkflows(ws))
	default:
		return "", FlagErrorf("workflow name %q is ambiguous in %s; use the file name or ID of one of:%s", value, repo, listWorkflows(matches))
	}
}

func listWorkflows(ws []api.Workflow) string {
	if len(ws) == 0 {
		return " (none)"
	}
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "\n  %s\t%s\t%d", w.Name, strings.TrimPrefix(w.Path, ".github/workflows/"), w.ID)
	}
	return b.String()
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ParseRunID parses a run ID argument: a positive integer.
func ParseRunID(s string) (int64, error) {
	var id int64
	if !isDigits(s) || len(s) > 18 {
		return 0, FlagErrorf("invalid run ID %q: want a positive whole number", s)
	}
	fmt.Sscan(s, &id)
	if id <= 0 {
		return 0, FlagErrorf("invalid run ID %q: want a positive whole number", s)
	}
	return id, nil
}

// ParseRunIDs parses every argument as a run ID, dropping repeats.
func ParseRunIDs(args []string) ([]int64, error) {
	var ids []int64
	for _, a := range args {
		id, err := ParseRunID(a)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
