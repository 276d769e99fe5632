// Package runquery selects workflow runs: the filter that commands read
// from their flags and check before any request, the grammars of creation
// dates and ages, workflow names resolved to what GitHub takes, and the
// listing that goes past GitHub's cap of 1,000 results.
//
// It calls the REST layer (internal/api) and knows nothing of commands.
// Its errors are plain; those that are the user's input and not GitHub's
// answer (every error of Filter.Validate, and an *InputError from List)
// the command layer reports as usage errors.
package runquery

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

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

var shaRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-fA-F]{4,40}$`) })

// Filter is the run selection shared by list, cancel, rerun, logs delete
// and usage: the flag values as given.
type Filter struct {
	Workflow string
	Branch   string
	Actor    string
	Event    string
	Status   string
	Commit   string
	// Created is --created as given, in GitHub's search syntax.
	Created string
	// OlderThan and NewerThan select runs by age (--older-than, --newer-than):
	// a created range counted back from Now.
	OlderThan time.Duration
	NewerThan time.Duration
	Limit     int
	// Now is the instant ages count back from. The command sets it once,
	// from its clock, when OlderThan or NewerThan is set.
	Now time.Time
}

// InputError is a filter that turned out wrong only once GitHub was asked:
// a workflow name that matches no workflow, or several. Commands report it
// as a usage error.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Validate checks the filter before any request. Every error it returns
// is the user's input.
func (f Filter) Validate() error {
	for _, st := range f.statuses() {
		if !slices.Contains(Statuses, st) {
			return fmt.Errorf("invalid --status %q: valid values are %s", st, strings.Join(Statuses, ", "))
		}
	}
	if f.Created != "" {
		if _, err := ParseCreated(f.Created); err != nil {
			return err
		}
	}
	if err := f.validateAge(); err != nil {
		return err
	}
	if f.Commit != "" && !shaRE().MatchString(f.Commit) {
		return fmt.Errorf("invalid --commit %q: want a hexadecimal commit SHA", f.Commit)
	}
	if f.Limit < 0 {
		return fmt.Errorf("invalid --limit %d: must be 0 (every run) or more", f.Limit)
	}
	if f.Workflow != "" && strings.TrimSpace(f.Workflow) == "" {
		return errors.New("invalid --workflow: empty name")
	}
	return nil
}

func (f Filter) validateAge() error {
	switch {
	case f.OlderThan < 0 || f.NewerThan < 0:
		return errors.New("invalid --older-than or --newer-than: want a duration above zero")
	case f.Created != "" && f.OlderThan > 0:
		return errors.New("specify --created or --older-than, not both")
	case f.Created != "" && f.NewerThan > 0:
		return errors.New("specify --created or --newer-than, not both")
	case f.OlderThan > 0 && f.NewerThan > 0 && f.NewerThan-f.OlderThan < time.Second:
		return fmt.Errorf("invalid --newer-than %s with --older-than %s: no run is both newer than %[1]s and older than %[2]s",
			FormatAge(f.NewerThan), FormatAge(f.OlderThan))
	}
	return nil
}

// statuses are the --status values: several, comma-separated, select the
// runs that have any of them ("queued,in_progress").
func (f Filter) statuses() []string {
	if f.Status == "" {
		return nil
	}
	return strings.Split(f.Status, ",")
}

// Relative reports whether the filter selects runs by age.
func (f Filter) Relative() bool { return f.OlderThan > 0 || f.NewerThan > 0 }

// CreatedRange is the span of creation times the filter selects: that of
// --created, or the one that --older-than and --newer-than name at Now,
// from the newer-than cut to a second before the older-than cut.
func (f Filter) CreatedRange() (Range, error) {
	if f.Created != "" {
		return ParseCreated(f.Created)
	}
	cut := func(age time.Duration) time.Time { return f.Now.Add(-age).UTC().Truncate(time.Second) }
	var r Range
	if f.NewerThan > 0 {
		r.From = cut(f.NewerThan)
	}
	if f.OlderThan > 0 {
		r.To = cut(f.OlderThan).Add(-time.Second)
		if f.NewerThan > 0 && r.To.Before(r.From) {
			r.To = r.From
		}
	}
	return r, nil
}

// request is the REST layer's filter for the runs f selects within r, with
// the workflow resolved to an ID or file name. --created goes to GitHub as
// the user wrote it, for GitHub to read by its own rules; a range of ages
// is written from its times.
func (f Filter) request(workflow string, r Range) api.RunFilter {
	created := f.Created
	if created == "" {
		created = r.String()
	}
	return api.RunFilter{
		Workflow: workflow,
		Actor:    f.Actor,
		Branch:   f.Branch,
		Event:    f.Event,
		Status:   f.Status,
		Created:  created,
		HeadSHA:  f.Commit,
	}
}

// WorkflowLister lists a repository's workflows.
type WorkflowLister interface {
	ListWorkflows(ctx context.Context, repo api.Repo) ([]api.Workflow, error)
}

// ResolveWorkflow turns -w NAME|FILE|ID into what the runs endpoint takes:
// an ID or a file name as given, a name through the workflows list. A name
// that matches no workflow, or several, is an *InputError.
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
		return "", &InputError{fmt.Errorf("unknown workflow %q in %s; workflows:%s", value, repo, listWorkflows(ws))}
	default:
		return "", &InputError{fmt.Errorf("workflow name %q is ambiguous in %s; use the file name or ID of one of:%s", value, repo, listWorkflows(matches))}
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
