package fakegh

import "slices"

// UpdateRun changes the current attempt of run id in place, as GitHub's state
// changes while a run goes on: edit may set the run's status and conclusion,
// and its jobs' and steps' through r.Jobs. It runs with the server locked,
// between requests, so a test may call it while a client polls; edit must not
// call the server. The next answer about the run shows the change, with a new
// ETag. It reports whether the run exists.
func (s *Server) UpdateRun(id int64, edit func(r *Run)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs, ok := s.runs[id]
	if !ok {
		return false
	}
	r := cloneRun(rs.Run)
	edit(&r)
	rs.Run = r
	return true
}

// Job returns a pointer to the job of r named name, or nil, for UpdateRun's
// edit functions.
func (r *Run) Job(name string) *Job {
	i := slices.IndexFunc(r.Jobs, func(j Job) bool { return j.Name == name })
	if i < 0 {
		return nil
	}
	return &r.Jobs[i]
}

// Step returns a pointer to the step of j numbered n, or nil.
func (j *Job) Step(n int) *Step {
	i := slices.IndexFunc(j.Steps, func(st Step) bool { return st.Number == n })
	if i < 0 {
		return nil
	}
	return &j.Steps[i]
}
