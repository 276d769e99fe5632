package cmdutil

import (
	"github.com/cli/go-gh/v2/pkg/auth"
	"github.com/spf13/pflag"
)

// repoFlag is -R, which may be given more than once. Its String is the last
// value, as for a plain string flag, so that settings read one repository
// from it; RepoFlags gives them all.
type repoFlag struct{ values []string }

func (f *repoFlag) Set(s string) error { f.values = append(f.values, s); return nil }
func (f *repoFlag) Type() string       { return "string" }

func (f *repoFlag) String() string {
	if len(f.values) == 0 {
		return ""
	}
	return f.values[len(f.values)-1]
}

// AddRepoFlag adds -R, --repo to fs.
func AddRepoFlag(fs *pflag.FlagSet) {
	fs.VarP(&repoFlag{}, "repo", "R", "Select another repository using the `[HOST/]OWNER/REPO` format; repeat it to select several")
}

// RepoFlags are the values of every -R given, in order.
func (e *Env) RepoFlags() []string {
	if e.Flags == nil {
		return nil
	}
	f := e.Flags.Lookup("repo")
	if f == nil || !f.Changed {
		return nil
	}
	if rf, ok := f.Value.(*repoFlag); ok {
		return rf.values
	}
	return []string{f.Value.String()}
}

// Host is the GitHub host that repositories named without one are on:
// GH_HOST or the config's host, else gh's default host.
func (e *Env) Host() (string, error) {
	cfg, err := e.Config()
	if err != nil {
		return "", err
	}
	if cfg.Host != "" {
		return cfg.Host, nil
	}
	host, _ := auth.DefaultHost()
	return host, nil
}
