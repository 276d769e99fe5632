package view

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cli/go-gh/v2/pkg/text"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
	"github.com/ghruns/gh-runs/internal/output"
)

// page is what view shows of a run.
type page struct {
	run         *api.Run
	jobs        []api.Job
	annotations []annotation // of the failed jobs
	now         time.Time
	verbose     bool
	// logHint is the command that prints the failed steps' logs, or "" when
	// no job failed.
	logHint string
}

// render prints the run for a person on a terminal, or as tab-separated
// key and value lines for scripts.
func render(ios *iostreams.IOStreams, p page) error {
	r, jobs, now, verbose := p.run, p.jobs, p.now, p.verbose
	if !ios.IsStdoutTTY() {
		return renderPlain(ios.Out, p)
	}
	cs := output.Colors{Enabled: ios.ColorEnabled()}
	w := ios.Out
	one := output.OneLine
	width := ios.TerminalWidth()
	// fit cuts s so that a line with rest beside it fits the terminal; a
	// title, branch or name gives way, never an ID or a link.
	fit := func(s, rest string) string {
		return output.Truncate(max(width-text.DisplayWidth(rest), 4), s)
	}
	// Title and workflow share the first line; the workflow gets at most a
	// third of it when both are too long.
	number := fmt.Sprintf(" #%d", r.RunNumber)
	avail := width - text.DisplayWidth("X  · "+number)
	nameWidth := min(text.DisplayWidth(one(r.Name)), max(avail-text.DisplayWidth(one(r.DisplayTitle)), avail/3))
	fmt.Fprintf(w, "%s %s · %s%s\n", cs.Symbol(r.Status, r.Conclusion), output.Truncate(max(avail-nameWidth, 4), cs.Bold(one(r.DisplayTitle))),
		output.Truncate(max(nameWidth, 4), one(r.Name)), number)
	before := fmt.Sprintf("Triggered via %s by %s on ", one(r.Event), orDash(one(r.ActorLogin())))
	ago := output.Ago(now, r.CreatedAt)
	fmt.Fprintf(w, "%s%s %s\n\n", before, fit(cs.Bold(one(r.HeadBranch)), before+" "+ago), ago)
	kv := [][2]string{
		{"Status", one(output.State(r.Status, r.Conclusion))},
		{"Workflow", one(r.Name)},
		{"Run ID", fmt.Sprint(r.ID)},
		{"Attempt", fmt.Sprint(r.RunAttempt)},
		{"Started", r.StartedTime().UTC().Format(time.RFC3339)},
		{"Elapsed", orDash(elapsed(r, jobs, now))},
	}
	for _, p := range kv {
		fmt.Fprintf(w, "%-9s %s\n", p[0]+":", fit(p[1], "Workflow: "))
	}
	fmt.Fprintf(w, "\n%s\n", cs.Bold("JOBS"))
	if len(jobs) == 0 {
		fmt.Fprintln(w, cs.Gray("no jobs"))
	}
	for _, j := range jobs {
		after := fmt.Sprintf(" in %s (ID %d)", output.Duration(j.Duration(now)), j.ID)
		fmt.Fprintf(w, "%s %s%s\n", cs.Symbol(j.Status, j.Conclusion), fit(cs.Bold(one(j.Name)), "X "+after), after)
		steps := j.Steps
		if !verbose {
			steps = failedSteps(j) // what gh shows of a failed job
		}
		for _, s := range steps {
			fmt.Fprintf(w, "  %s %s\n", cs.Symbol(s.Status, s.Conclusion), fit(one(s.Name), "  X "))
		}
	}
	if len(p.annotations) > 0 {
		fmt.Fprintf(w, "\n%s\n", cs.Bold("ANNOTATIONS"))
		for _, a := range p.annotations {
			msg := strings.ReplaceAll(output.Lines(strings.TrimSpace(a.Message)), "\n", "\n  ")
			fmt.Fprintf(w, "%s %s\n", annotationSymbol(cs, a.Level), msg)
			fmt.Fprintf(w, "  %s\n\n", fit(cs.Gray(fmt.Sprintf("%s: %s#%d", one(a.job.Name), one(a.Path), a.StartLine)), "  "))
		}
	}
	if p.logHint != "" {
		if len(p.annotations) == 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "To see what failed, try: %s\n", p.logHint)
		fmt.Fprintf(w, "View this run on GitHub: %s\n", one(r.HTMLURL))
		return nil
	}
	fmt.Fprintf(w, "\nView this run on GitHub: %s\n", one(r.HTMLURL))
	return nil
}

func renderPlain(w io.Writer, p page) error {
	r, jobs, now := p.run, p.jobs, p.now
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
		steps := j.Steps
		if !p.verbose {
			steps = failedSteps(j)
		}
		for _, s := range steps {
			line("step", string(s.Status), string(s.Conclusion), s.Name, fmt.Sprint(j.ID))
		}
	}
	for _, a := range p.annotations {
		line("annotation", a.Level, fmt.Sprintf("%s#%d", a.Path, a.StartLine), strings.TrimSpace(a.Message), fmt.Sprint(a.job.ID))
	}
	line("url", r.HTMLURL)
	return nil
}

// annotationSymbol marks an annotation by its level, as gh does.
func annotationSymbol(cs output.Colors, level string) string {
	switch level {
	case "failure":
		return cs.Red("X")
	case "warning":
		return cs.Yellow("!")
	}
	return "-"
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
