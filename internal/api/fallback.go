package api

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
)

// GitHub's runs from before 2021 have no name, display_title, run_attempt
// or actor, and a run that failed to start (startup_failure) may carry its
// workflow's file path as its name. ghruns fills them in as GitHub CLI does:
// the title from the head commit's first line, the workflow's name from the
// repository's workflows, the attempt as 1. (The actor falls back in
// Run.ActorLogin.)

// fillRun completes what the run itself can tell.
func fillRun(r *Run) {
	if r.DisplayTitle == "" && r.HeadCommit != nil {
		title, _, _ := strings.Cut(r.HeadCommit.Message, "\n")
		r.DisplayTitle = strings.TrimSpace(title)
	}
	if r.RunAttempt == 0 {
		r.RunAttempt = 1
	}
	if r.Actor == nil && r.TriggeringActor != nil {
		r.Actor = r.TriggeringActor
	}
}

// misnamed reports whether the run lacks its workflow's name.
func misnamed(r Run) bool {
	return r.Name == "" || (r.Path != "" && r.Name == r.Path) || strings.HasPrefix(r.Name, ".github/workflows/")
}

// namesCache holds the workflows' names of each repository, listed once.
type namesCache struct {
	mu    sync.Mutex
	repos map[Repo]map[int64]string
}

// fillRuns completes runs, listing the repository's workflows once when any
// run lacks its workflow's name. A failed listing leaves the names as they are:
// the runs are still worth showing.
func (c *Client) fillRuns(ctx context.Context, repo Repo, runs []Run) {
	need := false
	for i := range runs {
		fillRun(&runs[i])
		need = need || misnamed(runs[i])
	}
	if !need {
		return
	}
	names := c.workflowNames(ctx, repo)
	for i := range runs {
		r := &runs[i]
		if !misnamed(*r) {
			continue
		}
		if name := names[r.WorkflowID]; name != "" {
			r.Name = name
		} else if name := c.workflowNameByFile(ctx, repo, r.WorkflowID, r.Path); name != "" {
			r.Name = name
		} else if r.Name == "" {
			r.Name = r.Path
		}
	}
}

// workflowNameByFile asks GitHub for one workflow by its file name, which
// GitHub's "get a workflow" takes in place of the ID, when the workflows
// list did not name it (the listing failed, or it lacks the workflow). Only
// files of the repository itself are asked for, each once per client.
func (c *Client) workflowNameByFile(ctx context.Context, repo Repo, id int64, file string) string {
	if !strings.HasPrefix(file, ".github/workflows/") || strings.Contains(file, "@") {
		return ""
	}
	c.names.mu.Lock()
	defer c.names.mu.Unlock()
	if c.names.repos == nil {
		c.names.repos = map[Repo]map[int64]string{}
	}
	names := c.names.repos[repo]
	if names == nil {
		names = map[int64]string{}
		c.names.repos[repo] = names
	}
	if name, asked := names[id]; asked {
		return name
	}
	var w Workflow
	if _, err := c.do(ctx, http.MethodGet, repo.path("workflows/"+url.PathEscape(path.Base(file))), nil, nil, &w); err != nil {
		c.logf("! getting workflow %s for the name its runs lack: %v", file, err)
	}
	if w.ID != id {
		w.Name = "" // another workflow now has that file
	}
	names[id] = w.Name // an empty name: asked, and no answer worth asking again
	return w.Name
}

func (c *Client) workflowNames(ctx context.Context, repo Repo) map[int64]string {
	c.names.mu.Lock()
	defer c.names.mu.Unlock()
	if names, ok := c.names.repos[repo]; ok {
		return names
	}
	ws, err := c.ListWorkflows(ctx, repo)
	if err != nil {
		c.logf("! listing workflows for the names runs lack: %v", err)
		return nil
	}
	names := make(map[int64]string, len(ws))
	for _, w := range ws {
		names[w.ID] = w.Name
	}
	if c.names.repos == nil {
		c.names.repos = map[Repo]map[int64]string{}
	}
	c.names.repos[repo] = names
	return names
}
