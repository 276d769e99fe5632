package cmdutil

import (
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ghruns/gh-runs/internal/runquery"
)

// AddFilterFlags binds the run filter flags to f; defaultLimit is -L's default.
func AddFilterFlags(cmd *cobra.Command, f *runquery.Filter, defaultLimit int) {
	fl := cmd.Flags()
	fl.StringVarP(&f.Workflow, "workflow", "w", "", "Filter runs by workflow `name`, file or ID")
	fl.StringVarP(&f.Branch, "branch", "b", "", "Filter runs by `branch`")
	fl.StringVarP(&f.Actor, "user", "u", "", "Filter runs by the `login` of the user who triggered them")
	fl.StringVarP(&f.Event, "event", "e", "", "Filter runs by the `event` that triggered them")
	fl.StringVarP(&f.Status, "status", "s", "", "Filter runs by status or conclusion: {"+strings.Join(runquery.Statuses, "|")+"}")
	fl.StringVarP(&f.Commit, "commit", "c", "", "Filter runs by the `SHA` of their head commit")
	fl.StringVar(&f.Created, "created", "", "Filter runs by creation `date` in GitHub's search syntax (2026-01-31, >=2026-01-01, 2026-01-01..2026-01-31)")
	fl.Var(ageValue{&f.OlderThan}, "older-than", "Filter runs created more than `duration` ago (30d, 12h, 90m, 2w)")
	fl.Var(ageValue{&f.NewerThan}, "newer-than", "Filter runs created less than `duration` ago (30d, 12h, 90m, 2w)")
	fl.IntVarP(&f.Limit, "limit", "L", defaultLimit, "Maximum number of runs to fetch; 0 for every run GitHub serves")
	_ = cmd.RegisterFlagCompletionFunc("status", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return runquery.Statuses, cobra.ShellCompDirectiveNoFileComp
	})
}

// ValidateFilter checks f before any request, as a usage error.
func ValidateFilter(f runquery.Filter) error {
	if err := f.Validate(); err != nil {
		return &FlagError{Err: err}
	}
	return nil
}

// RefuseEmptyFilters is a usage error when a filter flag was given empty:
// for a command that lists, as for one that acts, "-b $UNSET" must not
// mean every run, since scripts pipe what list prints into cancel.
func RefuseEmptyFilters(cmd *cobra.Command) error {
	_, err := filterChanged(cmd)
	return err
}

// filterFlags are the flags that select runs (all but --limit).
// keep, workflow-state and all are delete's and logs delete's.
var filterFlags = []string{"workflow", "branch", "user", "event", "status", "commit", "created", "older-than", "newer-than",
	"keep", "workflow-state", "all"}

// filterChanged reports whether the user set any filter other than
// --limit. A filter given empty (an unset shell variable, say) is an
// error, not a filter that selects every run.
func filterChanged(cmd *cobra.Command) (bool, error) {
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

// ageValue is the pflag.Value of --older-than and --newer-than.
type ageValue struct{ d *time.Duration }

func (v ageValue) String() string { return runquery.FormatAge(*v.d) }
func (v ageValue) Type() string   { return "duration" }

func (v ageValue) Set(s string) error {
	d, err := runquery.ParseAge(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// AgeValue is a flag value that reads an age with runquery.ParseAge into
// d, for commands that take --older-than outside the run filters.
func AgeValue(d *time.Duration) pflag.Value { return ageValue{d} }
