package cmdutil

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/output"
)

// CompleteJobs completes --job with the jobs of the run given as the first
// argument, of the attempt that --attempt names (the latest by default):
// their names, then their IDs, each described by the other. With no run
// given there is nothing to offer, and never files.
func (e *Env) CompleteJobs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	const none = cobra.ShellCompDirectiveNoFileComp
	if len(args) == 0 {
		return nil, none
	}
	runID, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || runID <= 0 {
		return nil, none
	}
	attempt, _ := cmd.Flags().GetInt("attempt")
	repo, err := e.Repo()
	if err != nil {
		return nil, none
	}
	c, err := e.quietClient(repo)
	if err != nil {
		return nil, none
	}
	jobs, err := c.ListJobs(cmd.Context(), repo.API(), runID, max(attempt, 0))
	if err != nil {
		return nil, none
	}
	var names, ids []string
	seen := map[string]bool{}
	for _, j := range jobs {
		// A completion is one line, and a tab ends the candidate.
		name := strings.ReplaceAll(output.OneLine(j.Name), "\t", " ")
		id := strconv.FormatInt(j.ID, 10)
		if strings.HasPrefix(name, toComplete) && !seen[name] {
			seen[name] = true
			names = append(names, fmt.Sprintf("%s\tjob %s", name, id))
		}
		if strings.HasPrefix(id, toComplete) {
			ids = append(ids, fmt.Sprintf("%s\t%s", id, name))
		}
	}
	return append(names, ids...), none | cobra.ShellCompDirectiveKeepOrder
}
