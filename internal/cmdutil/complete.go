package cmdutil

import (
	"fmt"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
)

// Completion lists are small and must come fast: the shell waits for them.
const completeRuns = 20

// CompleteRunIDs completes run IDs with recent runs of the repository that
// want keeps (nil: all), their titles as descriptions.
func (e *Env) CompleteRunIDs(want func(api.Run) bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		repo, err := e.Repo()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		c, err := e.quietClient(repo)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		list, err := c.ListRuns(cmd.Context(), repo.API(), api.RunFilter{}, completeRuns)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, r := range list.Runs {
			id := fmt.Sprint(r.ID)
			if (want == nil || want(r)) && strings.HasPrefix(id, toComplete) {
				out = append(out, fmt.Sprintf("%s\t%s (%s, %s)", id, r.DisplayTitle, r.Name, r.Status))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// CompleteWorkflows completes -w with the repository's workflow names.
func (e *Env) CompleteWorkflows(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	repo, err := e.Repo()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	c, err := e.quietClient(repo)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ws, err := c.ListWorkflows(cmd.Context(), repo.API())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, w := range ws {
		out = append(out, fmt.Sprintf("%s\t%s", w.Name, strings.TrimPrefix(w.Path, ".github/workflows/")))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// CompleteBranches completes -b with the local git branches.
func CompleteBranches(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	out, err := exec.CommandContext(cmd.Context(), "git", "branch", "--format=%(refname:short)").Output()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return strings.Fields(string(out)), cobra.ShellCompDirectiveNoFileComp
}

// quietClient is a client for completion: no warning may reach the shell.
func (e *Env) quietClient(repo Repository) (*api.Client, error) {
	e.warnOnce.Do(func() {}) // completions print nothing but candidates
	return e.Client(repo, false)
}
