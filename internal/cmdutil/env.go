package cmdutil

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cli/go-gh/v2/pkg/auth"
	"github.com/cli/go-gh/v2/pkg/repository"
	"github.com/spf13/pflag"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/config"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/pace"
	"github.com/ghruns/gh-runs/internal/picker"
)

// Env is what commands share: the streams, how ghruns was invoked, and
// settings, repository and client, each resolved only when a command first
// asks, so that --help and --version touch nothing.
type Env struct {
	IO *iostreams.IOStreams
	// Bin is how the user invoked the tool: "ghruns" or "gh runs".
	Bin     string
	Version string
	Now     func() time.Time
	// Flags are the root's persistent flags (-R, --no-color).
	Flags *pflag.FlagSet
	// Prompter asks the person at the terminal to choose; nil when there is none.
	Prompter picker.Prompter
	// PaceClock is the clock bulk writes are paced on; nil means the real
	// one (tests pass a simulated clock).
	PaceClock pace.Clock

	cfgOnce sync.Once
	cfg     *config.Config
	cfgErr  error

	warnOnce sync.Once
}

// Config loads the settings once.
func (e *Env) Config() (*config.Config, error) {
	e.cfgOnce.Do(func() {
		e.cfg, e.cfgErr = config.Load(e.Flags)
		if e.cfgErr == nil {
			e.IO.SetColor(e.cfg.Color)
			for _, w := range e.cfg.Warnings {
				fmt.Fprintf(e.IO.ErrOut, "warning: %s\n", w)
			}
		}
	})
	return e.cfg, e.cfgErr
}

// Repo resolves the repository: -R, GH_REPO or the config's repo, else the
// current git repository's GitHub remote.
func (e *Env) Repo() (Repository, error) {
	if len(e.RepoFlags()) > 1 {
		return Repository{}, FlagErrorf("-R given more than once: this command works on one repository")
	}
	cfg, err := e.Config()
	if err != nil {
		return Repository{}, err
	}
	host := cfg.Host
	if host == "" {
		host, _ = auth.DefaultHost()
	}
	if cfg.Repo != "" {
		r, err := ParseRepo(cfg.Repo, host)
		if err != nil && cfg.RepoSource == "-R" {
			return r, &FlagError{Err: err}
		} else if err != nil {
			// Not a usage error: the value came from the environment or
			// the config file, which the message names.
			return r, fmt.Errorf("%w (from %s)", err, cfg.RepoSource)
		}
		return r, nil
	}
	cur, err := currentRepo(host)
	if err != nil {
		why := err.Error()
		if strings.Contains(why, "not a git repository") {
			why = "this folder is not in a git repository"
		}
		return Repository{}, fmt.Errorf("could not determine the repository: %s\nhint: run inside a clone of a GitHub repository, or pass -R OWNER/REPO", why)
	}
	return Repository{Host: cur.Host, Owner: cur.Owner, Name: cur.Name}, nil
}

// hostMu guards GH_HOST while currentRepo borrows it.
var hostMu sync.Mutex

// currentRepo is the current git repository's remote on a known GitHub
// host. go-gh counts as known only the hosts with a token, plus GH_HOST, so
// without a token a clone of github.com would match nothing: host (the
// configured or default one) is made known by naming it in GH_HOST for the
// call, when GH_HOST is unset. Read-only use needs no token.
func currentRepo(host string) (repository.Repository, error) {
	hostMu.Lock()
	defer hostMu.Unlock()
	if prev, set := os.LookupEnv("GH_HOST"); prev == "" && os.Setenv("GH_HOST", host) == nil {
		defer func() {
			if set {
				os.Setenv("GH_HOST", prev)
			} else {
				os.Unsetenv("GH_HOST")
			}
		}()
	}
	return repository.Current()
}

// Client returns a client for the repository's host. needAuth refuses,
// before any request, to go on without a token; otherwise a missing token
// is one warning on stderr.
func (e *Env) Client(repo Repository, needAuth bool) (*api.Client, error) {
	return e.client(repo, needAuth, nil)
}

func (e *Env) client(repo Repository, needAuth bool, transport http.RoundTripper) (*api.Client, error) {
	cfg, err := e.Config()
	if err != nil {
		return nil, err
	}
	token, _ := auth.TokenForHost(repo.Host)
	if token == "" {
		if needAuth {
			return nil, ErrAuthRequired
		}
		e.warnOnce.Do(func() {
			fmt.Fprintf(e.IO.ErrOut, "warning: no GitHub token for %s; making unauthenticated requests (60 an hour, public repositories only). Run `gh auth login` or set GH_TOKEN\n", repo.Host)
		})
	}
	base := cfg.APIURL
	if base == "" {
		base = APIBaseURL(repo.Host)
	}
	c, err := api.New(api.Options{
		BaseURL:     base,
		Token:       token,
		UserAgent:   "ghruns/" + e.Version,
		Concurrency: cfg.Concurrency,
		Debug:       debugWriter(e.IO),
		CacheDir:    config.CacheDir(),
		Notice:      e.IO.ErrOut,
		Timeout:     cfg.Timeout,
		Transport:   transport,
	})
	if err != nil {
		source := cfg.APIURLSource
		if cfg.APIURL == "" {
			source = "the host name"
		}
		return nil, fmt.Errorf("%w (from %s)", err, source)
	}
	return c, nil
}

// Command names a subcommand the way the user invoked the tool.
func (e *Env) Command(sub string) string {
	return strings.TrimSpace(e.Bin + " " + sub)
}

// Clock returns the current time, from Now when set.
func (e *Env) Clock() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}
