package view

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
)

// render prints the run for a person on a terminal, or as tab-separated
// key and value lines for scripts.
func render(ios *iostreams.IOStreams, r *api.Run, jobs []api.Job, now time.Time, verbose bool) error {
	if !ios.IsStdoutTTY() {
		return renderPlain(ios.Out, r, jobs, now, verbose)
	}
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	w := ios.Out
	one := output.OneLine
	fmt.Fprintf(w, "%s %s · %s #%d\n", cs.Symbol(r.Status, r.Conclusion), cs.Bold(one(r.DisplayTitle)), one(r.Name), r.RunNumber)
	fmt.Fprintf(w, "Triggered via %s by %s on %s %s\n\n", one(r.Event), orDash(one(r.ActorLogin())), cs.Bold(one(r.HeadBranch)), output.Ago(now, r.CreatedAt))
	kv := [][2]string{
		{"Status", one(output.State(r.Status, r.Conclusion))},
		{"Workflow", one(r.Name)},
		{"Run ID", fmt.Sprint(r.ID)},
		{"Attempt", fmt.Sprint(r.RunAttempt)},
		{"Started", r.StartedTime().UTC().Format(time.RFC3339)},
		{"Elapsed", orDash(elapsed(r, jobs, now))},
	}
	for _, p := range kv {
		fmt.Fprintf(w, "%-9s %s\n", p[0]+":", p[1])
	}
	fmt.Fprintf(w, "\n%s\n", cs.Bold("JOBS"))
	if len(jobs) == 0 {
		fmt.Fprintln(w, cs.Gray("no jobs"))
	}
	for _, j := range jobs {
		fmt.Fprintf(w, "%s %s in %s (ID %d)\n", cs.Symbol(j.Status, j.Conclusion), cs.Bold(one(j.Name)), output.Duration(j.Duration(now)), j.ID)
		if verbose {
			for _, s := range j.Steps {
				fmt.Fprintf(w, "  %s %s\n", cs.Symbol(s.Status, s.Conclusion), one(s.Name))
			}
		}
	}
	fmt.Fprintf(w, "\nView this run on GitHub: %s\n", one(r.HTMLURL))
	return nil
}

func renderPlain(w io.Writer, r *api.Run, jobs []api.Job, now time.Time, verbose bool) error {
	line := func(fields ...string) {
		for i, f := range fields {
			fields[i] = output.OneLine(f)
		}
		fmt.Fprintln(w, strings.Join(fields, "\t"))
	}
	line("id", fmt.Sprint(r.ID))
	line("title", r.DisplayTitle)
	line("workflow", r.Name)
	line("status", string(r.Status))
	line("conclusion", string(r.Conclusion))
	line("branch", r.HeadBranch)
	line("event", r.Event)
	line("actor", r.ActorLogin())
	line("attempt", fmt.Sprint(r.RunAttempt))
	line("started", r.StartedTime().UTC().Format(time.RFC3339))
	line("elapsed", elapsed(r, jobs, now))
	for _, j := range jobs {
		line("job", string(j.Status), string(j.Conclusion), j.Name, output.Duration(j.Duration(now)), fmt.Sprint(j.ID))
		if verbose {
			for _, s := range j.Steps {
				line("step", string(s.Status), string(s.Conclusion), s.Name, fmt.Sprint(j.ID))
			}
		}
	}
	line("url", r.HTMLURL)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// elapsed is the run's wall-clock time, which ends with its last job, or ""
// when it cannot be known.
func elapsed(r *api.Run, jobs []api.Job, now time.Time) string {
	if d, ok := api.RunElapsed(*r, jobs, now); ok {
		return output.Duration(d)
	}
	return ""
}
