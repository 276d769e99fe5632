package fakegh

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// dispatching is what workflow dispatches need beyond runs: the workflow
// files, how the server answers, and how dispatched runs go on.
type dispatching struct {
	// files are workflow files' text, by workflow ID.
	files map[int64]string
	// noDetails answers every dispatch 204, as servers that predate
	// return_run_details do.
	noDetails bool
	// step is how long a dispatched run stays queued, and then in
	// progress; 0 leaves it queued.
	step time.Duration
	// conclusion ends a dispatched run, by workflow ID ("success" if unset).
	conclusion map[int64]string
}

// dispatchState returns the state, made on first use; s.mu is held.
func (s *Server) dispatchState() *dispatching {
	if s.dispatch == nil {
		s.dispatch = &dispatching{files: map[int64]string{}, conclusion: map[int64]string{}}
	}
	return s.dispatch
}

// AddWorkflowFile gives workflow id the file text, served by GET
// …/contents/{path} at any ref; a dispatch checks its inputs against it as
// GitHub does.
func (s *Server) AddWorkflowFile(id int64, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dispatchState().files[id] = text
}

// DispatchWithoutDetails makes dispatches answer 204 with no body, as
// servers without return_run_details (older GitHub Enterprise Server) do.
func (s *Server) DispatchWithoutDetails() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dispatchState().noDetails = true
}

// ProgressDispatched makes runs dispatched from now on start after step
// and complete after another step, with conclusion for workflow id's runs
// (success for others). Without it a dispatched run stays queued.
func (s *Server) ProgressDispatched(step time.Duration, id int64, conclusion string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.dispatchState()
	d.step = step
	if conclusion != "" {
		d.conclusion[id] = conclusion
	}
}

// SeedDispatch gives CI and Deploy (as Seed adds them) workflow files that
// take inputs: CI an optional debug flag, Deploy a required environment
// and an optional version.
func SeedDispatch(s *Server) {
	s.AddWorkflowFile(1, `name: CI
on:
  push:
  workflow_dispatch:
    inputs:
      debug:
        type: boolean
        default: false
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
`)
	s.AddWorkflowFile(2, `name: Deploy
on:
  workflow_dispatch:
    inputs:
      environment:
        description: Where to deploy
        required: true
        type: choice
        options: [staging, production]
      version:
        description: The tag to deploy
        required: false
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy "${{ inputs.environment }}" "${{ inputs.version }}"
`)
}

// dispatchRoutes are served by this file. GitHub has them; the description
// the fake checks against lacks them, so they get the header checks only.
var dispatchRoutes = []route{
	{"POST", "workflows/{workflow_id}/dispatches", docFlows + "create-a-workflow-dispatch-event", false, (*Server).dispatchWorkflow},
	{"GET", "/contents/.github/workflows/{file}", "https://docs.github.com/rest/repos/contents#get-repository-content", false, (*Server).workflowFile},
}

func init() { routes = append(routes, dispatchRoutes...) }

// declaredInputs are the names a workflow file declares under
// on.workflow_dispatch.inputs, with whether each must be given (required,
// with no default); nil when
// the file declares none or does not parse.
func declaredInputs(text string) map[string]bool {
	var f struct {
		On struct {
			Dispatch struct {
				Inputs map[string]struct {
					Required bool `yaml:"required"`
					Default  any  `yaml:"default"`
				} `yaml:"inputs"`
			} `yaml:"workflow_dispatch"`
		} `yaml:"on"`
	}
	if yaml.Unmarshal([]byte(text), &f) != nil {
		return nil
	}
	out := map[string]bool{}
	for name, in := range f.On.Dispatch.Inputs {
		out[name] = in.Required && in.Default == nil
	}
	return out
}

// dispatchWorkflow serves POST …/dispatches: it checks the ref and the
// inputs against the workflow file as GitHub does (422 for an input the
// file does not declare or a required one missing), creates a queued
// workflow_dispatch run on the ref, and answers 200 with the run when
// asked with return_run_details, 204 otherwise.
func (s *Server) dispatchWorkflow(c *call) response {
	w, ok := s.findWorkflow(c.vars["workflow_id"])
	if !ok {
		return notFound(c.doc)
	}
	var body struct {
		Ref              *string        `json:"ref"`
		Inputs           map[string]any `json:"inputs"`
		ReturnRunDetails bool           `json:"return_run_details"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil {
		return errorResponse(http.StatusBadRequest, "Problems parsing JSON", c.doc)
	}
	if body.Ref == nil || *body.Ref == "" {
		return invalid(`"ref" wasn't supplied.`, c.doc)
	}
	d := s.dispatchState()
	if text, ok := d.files[w.ID]; ok {
		declared := declaredInputs(text)
		var unexpected []string
		for name := range body.Inputs {
			if _, ok := declared[name]; !ok {
				unexpected = append(unexpected, name)
			}
		}
		if len(unexpected) > 0 {
			slices.Sort(unexpected)
			return errorResponse(http.StatusUnprocessableEntity, fmt.Sprintf("Unexpected inputs provided: %q", unexpected), c.doc)
		}
		for name, required := range declared {
			if _, given := body.Inputs[name]; required && !given {
				return errorResponse(http.StatusUnprocessableEntity, fmt.Sprintf("Required input '%s' not provided", name), c.doc)
			}
		}
	}
	id, number := int64(0), 0
	for _, rs := range s.runs {
		id = max(id, rs.ID)
		if rs.WorkflowID == w.ID {
			number = max(number, rs.Number)
		}
	}
	id++
	r := Run{ID: id, Number: number + 1, Attempt: 1, WorkflowID: w.ID, Name: w.Name, DisplayTitle: w.Name,
		HeadBranch: *body.Ref, HeadSHA: hexHash(fmt.Sprint("dispatch ", *body.Ref, " ", id)), Event: "workflow_dispatch",
		Status: "queued", Actor: "monalisa", CreatedAt: c.now, UpdatedAt: c.now, StartedAt: c.now}
	s.runs[id] = &runState{Run: r, earlier: map[int]Run{}}
	if d.step > 0 {
		conclusion := cmp.Or(d.conclusion[w.ID], "success")
		// The completion is timed from the start, not both from now: two
		// timers due close together may fire in either order, and a run
		// completed and then started again would stay in progress.
		time.AfterFunc(d.step, func() {
			s.advance(id, "in_progress", "")
			time.AfterFunc(d.step, func() { s.advance(id, "completed", conclusion) })
		})
	}
	if d.noDetails || !body.ReturnRunDetails {
		return emptyResponse(http.StatusNoContent)
	}
	rd := s.renderer()
	return jsonResponse(http.StatusOK, map[string]any{
		"workflow_run_id": id,
		"run_url":         fmt.Sprintf("%s/actions/runs/%d", rd.base, id),
		"html_url":        fmt.Sprintf("%s/actions/runs/%d", rd.web, id),
	})
}

// advance moves a dispatched run on, as its runner would.
func (s *Server) advance(id int64, status, conclusion string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs, ok := s.runs[id]
	if !ok {
		return
	}
	rs.Status, rs.Conclusion, rs.UpdatedAt = status, conclusion, s.now()
	if status == "in_progress" {
		rs.StartedAt = rs.UpdatedAt
	}
}

// workflowFile serves GET …/contents/.github/workflows/{file} for the
// workflows given a file with AddWorkflowFile, base64 in lines of 60 as
// GitHub sends it; any other path is 404.
func (s *Server) workflowFile(c *call) response {
	p := ".github/workflows/" + c.vars["file"]
	var text string
	found := false
	for _, w := range s.sortedWorkflows() {
		if t, ok := s.dispatchState().files[w.ID]; ok && w.Path == p {
			text, found = t, true
		}
	}
	if !found {
		return notFound(c.doc)
	}
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	var lines []string
	for len(enc) > 60 {
		lines = append(lines, enc[:60])
		enc = enc[60:]
	}
	lines = append(lines, enc)
	rd := s.renderer()
	sha := hexHash("blob " + text)
	return jsonResponse(http.StatusOK, map[string]any{
		"type":         "file",
		"encoding":     "base64",
		"size":         len(text),
		"name":         path.Base(p),
		"path":         p,
		"content":      strings.Join(lines, "\n") + "\n",
		"sha":          sha,
		"url":          rd.base + "/contents/" + p,
		"git_url":      rd.base + "/git/blobs/" + sha,
		"html_url":     rd.web + "/blob/main/" + p,
		"download_url": "https://raw.githubusercontent.com/" + s.Owner + "/" + s.Repo + "/main/" + p,
	})
}
