package cmdutil

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// OlderThan and NewerThan select runs by age (--older-than, --newer-than):
	// a created range counted back from Now.
	OlderThan time.Duration
	NewerThan time.Duration
	Limit     int
	// Now is the instant ages count back from; the zero value means the
	// time of the listing. Commands set it from Env.Clock.
	Now time.Time
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
	fl.Var(ageValue{&f.OlderThan}, "older-than", "Filter runs created more than `duration` ago (30d, 12h, 90m, 2w)")
	fl.Var(ageValue{&f.NewerThan}, "newer-than", "Filter runs created less than `duration` ago (30d, 12h, 90m, 2w)")
	fl.IntVarP(&f.Limit, "limit", "L", defaultLimit, "Maximum number of runs to fetch; 0 for every run GitHub serves")
	_ = cmd.RegisterFlagCompletionFunc("status", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return Statuses, cobra.ShellCompDirectiveNoFileComp
	})
}

// filterFlags are the flags that select runs (all but --limit).
var filterFlags = []string{"workflow", "branch", "user", "event", "status", "commit", "created", "older-than", "newer-than"}

// Changed reports whether the user set any filter other than --limit. A
// filter given empty (an unset shell variable, say) is an error, not a
// filter that selects every run.
func (f Filter) Changed(cmd *cobra.Command) (bool, error) {
	changed := false
	for _, name := range filterFlags {
		fl := cmd.Flags().Lookup(name)
		if fl == nil || !fl.Changed {
			continue
		}
		if fl.Value.Type() == "string" && strings.TrimSpace(fl.Value.String()) == "" {
			return false, FlagErrorf("invalid --%s %q: empty value", name, fl.Value.String())
		}
		changed = true
	}
	return changed, nil
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
	if err := f.validateAge(); err != nil {
		return err
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

func (f Filter) validateAge() error {
	switch {
	case f.OlderThan < 0 || f.NewerThan < 0:
		return FlagErrorf("invalid --older-than or --newer-than: want a duration above zero")
	case f.Created != "" && f.OlderThan > 0:
		return FlagErrorf("specify --created or --older-than, not both")
	case f.Created != "" && f.NewerThan > 0:
		return FlagErrorf("specify --created or --newer-than, not both")
	case f.OlderThan > 0 && f.NewerThan > 0 && f.NewerThan-f.OlderThan < time.Second:
		return FlagErrorf("invalid --newer-than %s with --older-than %s: no run is both newer than %[1]s and older than %[2]s",
			FormatAge(f.NewerThan), FormatAge(f.OlderThan))
	}
	return nil
}

// Relative reports whether the filter selects runs by age.
func (f Filter) Relative() bool { return f.OlderThan > 0 || f.NewerThan > 0 }

// CreatedQuery is the created filter sent to GitHub: --created as given, or
// the range that --older-than and --newer-than name at f.Now, in full
// date-times: <T, >=T, or A..B with B a second before the older-than cut.
func (f Filter) CreatedQuery() string {
	if !f.Relative() {
		return f.Created
	}
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	cut := func(age time.Duration) time.Time { return now.Add(-age).UTC().Truncate(time.Second) }
	switch {
	case f.NewerThan == 0:
		return "<" + formatSearchTime(cut(f.OlderThan))
	case f.OlderThan == 0:
		return ">=" + formatSearchTime(cut(f.NewerThan))
	}
	from, to := cut(f.NewerThan), cut(f.OlderThan).Add(-time.Second)
	if to.Before(from) {
		to = from
	}
	return formatSearchTime(from) + ".." + formatSearchTime(to)
}

// API turns the filter into the REST layer's, with the workflow resolved to
// an ID or file name and ages to a created range.
func (f Filter) API(workflow string) api.RunFilter {
	return api.RunFilter{
		Workflow: workflow,
		Actor:    f.Actor,
		Branch:   f.Branch,
		Event:    f.Event,
		Status:   f.Status,
		Created:  f.CreatedQuery(),
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
	id, err := strconv.ParseInt(s, 10, 64)
	if !isDigits(s) || err != nil || id <= 0 {
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
