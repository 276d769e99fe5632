package cmdutil

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/cli/go-gh/v2/pkg/auth"
	"github.com/cli/go-gh/v2/pkg/repository"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/config"
)

// Repository is a repository together with its host.
type Repository struct {
	Host  string
	Owner string
	Name  string
}

func (r Repository) String() string { return r.Owner + "/" + r.Name }

// The patterns are compiled on first use, not at every start of ghruns.
var (
	ownerRE = lazyRE(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$`)
	nameRE  = lazyRE(`^[A-Za-z0-9._-]+$`)
)

func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// ParseRepo parses [HOST/]OWNER/REPO (or a repository URL); defaultHost
// fills in a missing host.
func ParseRepo(s, defaultHost string) (Repository, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") {
		r, err := repository.Parse(s)
		if err != nil {
			return Repository{}, fmt.Errorf("invalid repository %q: %w", s, err)
		}
		// go-gh drops a URL's port (as gh does); a bad one is refused
		// rather than ignored.
		if u, err := url.Parse(s); err == nil && u.Port() != "" {
			if err := config.CheckHost(u.Host); err != nil {
				return Repository{}, fmt.Errorf("invalid repository %q: %w", s, err)
			}
		}
		return validateRepo(s, Repository{Host: r.Host, Owner: r.Owner, Name: r.Name})
	}
	parts := strings.Split(strings.TrimSuffix(s, ".git"), "/")
	switch len(parts) {
	case 2:
		return validateRepo(s, Repository{Host: defaultHost, Owner: parts[0], Name: parts[1]})
	case 3:
		return validateRepo(s, Repository{Host: parts[0], Owner: parts[1], Name: parts[2]})
	}
	return Repository{}, fmt.Errorf("invalid repository %q: expected the [HOST/]OWNER/REPO format", s)
}

func validateRepo(input string, r Repository) (Repository, error) {
	if err := config.CheckHost(r.Host); err != nil {
		return r, fmt.Errorf("invalid repository %q: %w", input, err)
	}
	switch {
	case len(r.Owner) > 39 || !ownerRE().MatchString(r.Owner):
		return r, fmt.Errorf("invalid repository %q: %q is not a valid owner", input, r.Owner)
	case len(r.Name) > 100 || !nameRE().MatchString(r.Name) || r.Name == "." || r.Name == ".." || strings.HasSuffix(r.Name, ".git"):
		return r, fmt.Errorf("invalid repository %q: %q is not a valid repository name", input, r.Name)
	}
	r.Host = strings.ToLower(r.Host)
	return r, nil
}

// APIBaseURL is the REST root for a host: api.github.com, api.SUBDOMAIN.ghe.com,
// or HOST/api/v3 for GitHub Enterprise Server.
func APIBaseURL(host string) string {
	h := auth.NormalizeHostname(host)
	switch {
	case h == "github.com":
		return "https://api.github.com"
	case h == "github.localhost":
		return "http://api.github.localhost"
	case auth.IsTenancy(h):
		return "https://api." + h
	default:
		return "https://" + host + "/api/v3"
	}
}

// API is the repository as the REST layer names it.
func (r Repository) API() api.Repo { return api.Repo{Owner: r.Owner, Name: r.Name} }
