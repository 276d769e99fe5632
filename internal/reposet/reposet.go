// Package reposet selects the repositories a command works across: every
// repository of an organisation or user (--owner), -R given more than once,
// or a list in a file (--repos), narrowed by archived state, forks and a
// glob on the name.
package reposet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdutil"
)

// Selection holds the repository selection flags.
type Selection struct {
	Owner           string
	File            string
	IncludeArchived bool
	IncludeForks    bool
	Glob            string
	// Yes goes on with a sweep that does not fit the rate limit left.
	Yes bool
}

// AddFlags binds the repository selection flags to s.
func AddFlags(cmd *cobra.Command, s *Selection) {
	fl := cmd.Flags()
	fl.StringVar(&s.Owner, "owner", "", "Work across every repository of an organisation or user `ORG|USER`")
	fl.StringVar(&s.File, "repos", "", "Work across the repositories listed in `FILE` (one OWNER/REPO a line; - reads stdin)")
	fl.BoolVar(&s.IncludeArchived, "include-archived", false, "With --owner, include archived repositories")
	fl.BoolVar(&s.IncludeForks, "include-forks", false, "With --owner, include forks")
	fl.StringVar(&s.Glob, "repo-filter", "", "Only repositories whose name matches `GLOB` (OWNER/NAME when it has a slash)")
	if fl.Lookup("yes") == nil {
		// Bulk commands have their own --yes, which answers this too.
		fl.BoolVarP(&s.Yes, "yes", "y", false, "Go on with a sweep across repositories that does not fit the rate limit left")
	}
}

// Plan is a checked selection, made before any request: the repositories
// named outright, or the owner whose repositories are to be listed.
type Plan struct {
	Host    string
	Owner   string
	Named   []cmdutil.Repository
	glob    string
	archive bool
	forks   bool
}

// Multi reports whether the user asked for more than the one repository:
// --owner, --repos, or -R more than once.
func (s *Selection) Multi(env *cmdutil.Env) bool {
	return s.Owner != "" || s.File != "" || len(env.RepoFlags()) > 1
}

var ownerRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$`)

// Prepare checks the selection and reads the --repos list, before any
// request; every problem is a usage error.
func (s *Selection) Prepare(env *cmdutil.Env) (*Plan, error) {
	host, err := env.Host()
	if err != nil {
		return nil, err
	}
	p := &Plan{Host: host, Owner: s.Owner, glob: s.Glob, archive: s.IncludeArchived, forks: s.IncludeForks}
	if s.Glob != "" {
		if _, err := path.Match(s.Glob, ""); err != nil {
			return nil, cmdutil.FlagErrorf("invalid --repo-filter %q: %s", s.Glob, err)
		}
	}
	flags := env.RepoFlags()
	sources := 0
	for _, set := range []bool{s.Owner != "", s.File != "", len(flags) > 1} {
		if set {
			sources++
		}
	}
	switch {
	case sources > 1 || (len(flags) == 1 && (s.Owner != "" || s.File != "")):
		return nil, cmdutil.FlagErrorf("specify only one of --owner, --repos or -R")
	case s.Owner != "" && (len(s.Owner) > 39 || !ownerRE.MatchString(s.Owner)):
		return nil, cmdutil.FlagErrorf("invalid --owner %q: not a GitHub login", s.Owner)
	case s.Owner != "":
		return p, nil
	}
	names := flags
	if s.File != "" {
		if names, err = readList(s.File, env.IO.In); err != nil {
			return nil, cmdutil.FlagErrorf("--repos %s: %s", s.File, err)
		}
	}
	seen := map[string]bool{}
	for _, n := range names {
		r, err := cmdutil.ParseRepo(n, host)
		if err != nil {
			return nil, &cmdutil.FlagError{Err: err}
		}
		key := strings.ToLower(r.Host + "/" + r.String())
		if seen[key] || !p.matches(r) {
			continue
		}
		seen[key] = true
		if len(p.Named) > 0 && r.Host != p.Named[0].Host {
			return nil, cmdutil.FlagErrorf("repositories on more than one host (%s and %s): run once per host", p.Named[0].Host, r.Host)
		}
		p.Named = append(p.Named, r)
	}
	if len(p.Named) == 0 {
		return nil, cmdutil.FlagErrorf("no repositories selected")
	}
	p.Host = p.Named[0].Host
	return p, nil
}

// readList reads one OWNER/REPO a line; blank lines and # comments are skipped.
func readList(name string, stdin io.Reader) ([]string, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("cannot read the file: %w", err)
		}
		defer f.Close()
		r = f
	}
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

// matches applies --repo-filter: to OWNER/NAME when the glob has a slash,
// else to the name.
func (p *Plan) matches(r cmdutil.Repository) bool {
	if p.glob == "" {
		return true
	}
	subject := r.Name
	if strings.Contains(p.glob, "/") {
		subject = r.String()
	}
	ok, _ := path.Match(strings.ToLower(p.glob), strings.ToLower(subject))
	return ok
}

// Open makes a client for the plan's host and resolves the repositories
// with it: what list, usage and watch need before they sweep.
func (p *Plan) Open(ctx context.Context, env *cmdutil.Env) (*api.Client, []cmdutil.Repository, error) {
	c, err := env.Client(cmdutil.Repository{Host: p.Host}, false)
	if err != nil {
		return nil, nil, err
	}
	repos, err := p.Resolve(ctx, c, env.IO.ErrOut)
	return c, repos, err
}

// Resolve returns the selected repositories, listing the owner's when the
// plan names one; notes says on stderr what was left out and why.
func (p *Plan) Resolve(ctx context.Context, c *api.Client, notes io.Writer) ([]cmdutil.Repository, error) {
	if p.Owner == "" {
		return p.Named, nil
	}
	all, err := c.ListOwnerRepos(ctx, p.Owner)
	if err != nil {
		return nil, fmt.Errorf("listing the repositories of %s: %w", p.Owner, err)
	}
	var out []cmdutil.Repository
	archived, forks, other := 0, 0, 0
	for _, o := range all {
		r := cmdutil.Repository{Host: p.Host, Owner: o.Owner.Login, Name: o.Name}
		if r.Owner == "" {
			r.Owner = p.Owner
		}
		switch {
		case o.Archived && !p.archive:
			archived++
		case o.Fork && !p.forks:
			forks++
		case !p.matches(r):
			other++
		default:
			out = append(out, r)
		}
	}
	if archived+forks > 0 {
		var left []string
		if archived > 0 {
			left = append(left, fmt.Sprintf("%d archived (--include-archived)", archived))
		}
		if forks > 0 {
			left = append(left, fmt.Sprintf("%d forks (--include-forks)", forks))
		}
		fmt.Fprintf(notes, "%s: %d of %d repositories selected; left out %s\n", p.Owner, len(out), len(all), strings.Join(left, ", "))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no repositories of %s selected", p.Owner)
	}
	return out, nil
}
