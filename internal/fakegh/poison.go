package fakegh

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// Poison is what anyone who can open a pull request can put in a run's
// title, and a hostile server in any string: an OSC 52 clipboard write, a
// screen clear, an OSC 8 link, a carriage return, a bell, a C1 CSI, a DCS
// string and bidi overrides and isolates. Printed raw, a terminal acts on it.
// It has no "/", which would make folders of log archive entries.
const Poison = "\x1b]52;c;cG9pc29u\x07\x1b[2J\x1b[H\x1b]8;;https:evil.example\x1b\\link\x1b]8;;\x1b\\" +
	"\rover\u202eevil\u202c\u2066iso\u2069\a\u009b31m\x1bP1$r\x1b\\\u009d0;title\u009c"

// PoisonedRunID is the run SeedPoisoned adds: the newest of the repository.
const PoisonedRunID int64 = 7000000199

// PoisonedWorkflowID is its workflow.
const PoisonedWorkflowID int64 = 99

// SeedPoisoned adds to s a failed run whose every name from GitHub carries
// Poison after a plain marker ("title", "workflow", "branch", "actor",
// "job", "step"), so that a test can see the text arrived, cleaned: its
// title, workflow, branch, actor, jobs and steps, and so its usage and log
// archive. It is created a minute before SeedBase.
func SeedPoisoned(s *Server) {
	s.AddWorkflows(Workflow{ID: PoisonedWorkflowID, Name: "workflow" + Poison, Path: ".github/workflows/poisoned.yml"})
	created := SeedBase.Add(-time.Minute)
	r := GenerateRuns(1, PoisonedRunID, created, func(_ int, r *Run) {
		r.WorkflowID, r.Name = PoisonedWorkflowID, "workflow"+Poison
		r.DisplayTitle, r.HeadBranch, r.Actor = "title"+Poison, "branch"+Poison, "actor"+Poison
		r.Number, r.Conclusion = 1, "failure"
		j := &r.Jobs[0]
		j.Name, j.Conclusion = "job"+Poison, "failure"
		for i := range j.Steps {
			j.Steps[i].Name = "step" + Poison
		}
		j.Steps[1].Conclusion = "failure"
	})[0]
	r.Usage = usageOf(r)
	r.Logs = logArchive(r)
	s.AddRuns(r)
}

// PoisonErrors appends text to the message of every error the API host
// answers from now on, as a hostile server or proxy could: a client that
// prints GitHub's message prints it. Call it before the requests it
// affects; InjectFaults called after it undoes it.
func (s *Server) PoisonErrors(text string) {
	next := s.api.Config.Handler
	s.api.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var e map[string]any
		if rec.Code >= 400 && json.Unmarshal(body, &e) == nil {
			if msg, ok := e["message"].(string); ok {
				e["message"] = msg + text
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				if enc.Encode(e) == nil {
					body = b.Bytes()
				}
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}
