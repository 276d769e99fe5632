// Package cmdutil holds the plumbing every ghruns command shares: the
// environment that resolves settings, repository, token and client lazily;
// argument checks and the set-up of a command that acts on one run;
// confirmation; completion; the error kinds that decide exit codes; and
// the binding of the run filter flags to runquery, whose errors it reports
// as usage errors.
package cmdutil

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/ghruns/gh-runs/internal/api"
)

// FlagError is bad command-line input: exit 1, with the usage shown unless
// NoUsage is set.
type FlagError struct {
	Err error
	// NoUsage marks input that is well formed but refused (a file that
	// exists without --clobber, no --yes without a terminal): the usage
	// text would not help, so only the message is shown.
	NoUsage bool
}

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// AuthError means a token is needed or was refused: exit 4.
type AuthError struct{ Err error }

func (e *AuthError) Error() string { return e.Err.Error() }
func (e *AuthError) Unwrap() error { return e.Err }

// ErrAuthRequired is returned before any request by commands that change
// something when no token is available.
var ErrAuthRequired = &AuthError{Err: errors.New("authentication required: run `gh auth login` or set GH_TOKEN")}

// ErrCancel means the user declined a confirmation: exit 2.
var ErrCancel = errors.New("cancelled")

// InterruptedError is an interruption (Ctrl-C) that the command has
// already reported: exit 130, print nothing more.
type InterruptedError struct{ Err error }

func (e *InterruptedError) Error() string { return e.Err.Error() }
func (e *InterruptedError) Unwrap() error { return e.Err }

// ErrSilent means the failure was already reported: exit 1, print nothing more.
var ErrSilent = errors.New("silent error")

// Reported is the error of a command that reported its failures itself,
// one line per run: ErrSilent, which exits 4 as an AuthError when any of
// errs is one, since a refused token fails every run alike and must exit
// as it would for one run.
func Reported(errs ...error) error {
	for _, err := range errs {
		if ExitCode(err) == 4 {
			return &AuthError{Err: ErrSilent}
		}
	}
	return ErrSilent
}

// ExitCode maps an error to the process exit code that README.md documents:
// 0 success, 1 any failure (usage errors included), 2 a declined
// confirmation, 4 authentication required or refused. (An interruption,
// 130, is decided by the caller.)
func ExitCode(err error) int {
	var authErr *AuthError
	var httpErr *api.HTTPError
	var interrupted *InterruptedError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &interrupted):
		return 130
	case errors.Is(err, ErrCancel):
		return 2
	case errors.As(err, &authErr):
		return 4
	case errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusUnauthorized:
		return 4
	default:
		return 1
	}
}

// RunError words an API failure about one run in the user's terms, keeping
// GitHub's message: "run 42 not found in octo/hello (HTTP 404)", or with an
// action, "cancel run 42: …".
func RunError(action string, repo api.Repo, id int64, err error) error {
	subject := fmt.Sprintf("run %d", id)
	if action != "" {
		subject = action + " " + subject + ":"
	}
	if api.IsNotFound(err) {
		return &notFoundError{msg: fmt.Sprintf("%s not found in %s (HTTP 404)", subject, repo), err: err}
	}
	if action == "" {
		subject += ":"
	}
	return fmt.Errorf("%s %w", subject, err)
}

// notFoundError keeps the HTTP error reachable with errors.As.
type notFoundError struct {
	msg string
	err error
}

func (e *notFoundError) Error() string { return e.msg }
func (e *notFoundError) Unwrap() error { return e.err }

// Hint is the known fix for err, or "".
func Hint(err error) string {
	var httpErr *api.HTTPError
	if !errors.As(err, &httpErr) || httpErr.LogHost {
		return ""
	}
	switch httpErr.StatusCode {
	case http.StatusNotFound:
		return "check the repository (-R) and the IDs or names given; GitHub also answers 404 when the token cannot see a private repository"
	case http.StatusUnauthorized:
		return "run `gh auth login` or set GH_TOKEN to a valid token"
	case http.StatusForbidden, http.StatusTooManyRequests:
		if httpErr.IsRateLimit() {
			return "GitHub's rate limit was reached; wait for it to reset, or authenticate to get a higher limit"
		}
		return "the token may lack the permission this needs (classic tokens need the repo scope)"
	}
	return ""
}
