package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/cli/go-gh/v2/pkg/jq"
	"github.com/cli/go-gh/v2/pkg/jsonpretty"
	"github.com/cli/go-gh/v2/pkg/template"
	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/iostreams"
)

// FieldsAnnotation is the cobra annotation under which a command lists its
// --json fields, so the flag error handler can print them.
const FieldsAnnotation = "ghruns/json-fields"

// Exporter holds the --json, --jq and --template flags of one command.
type Exporter struct {
	fields    []string
	jq        string
	template  string
	available []string
}

// AddJSONFlags registers --json, --jq and --template on cmd, offering the
// given fields.
func AddJSONFlags(cmd *cobra.Command, available []string) *Exporter {
	e := &Exporter{available: available}
	f := cmd.Flags()
	f.StringSliceVar(&e.fields, "json", nil, "Output JSON with the specified `fields`")
	f.StringVarP(&e.jq, "jq", "q", "", "Filter JSON output using a jq `expression`")
	f.StringVarP(&e.template, "template", "t", "", "Format JSON output using a Go template; see \"gh help formatting\"")
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[FieldsAnnotation] = strings.Join(available, ",")
	_ = cmd.RegisterFlagCompletionFunc("json", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return available, cobra.ShellCompDirectiveNoFileComp
	})
	return e
}

// FieldList is the message for --json given without fields.
func FieldList(fields []string) string {
	return "specify one or more comma-separated fields for `--json`:\n  " + strings.Join(fields, "\n  ")
}

// Validate checks the flags before anything is fetched: known fields, and
// a jq expression and template that parse.
func (e *Exporter) Validate() error {
	if len(e.fields) == 0 {
		switch {
		case e.jq != "":
			return errors.New("cannot use `--jq` without specifying `--json`")
		case e.template != "":
			return errors.New("cannot use `--template` without specifying `--json`")
		}
		return nil
	}
	if e.jq != "" && e.template != "" {
		return errors.New("specify only one of `--jq` or `--template`")
	}
	for i, f := range e.fields {
		e.fields[i] = strings.TrimSpace(f)
		if !slices.Contains(e.available, e.fields[i]) {
			return fmt.Errorf("unknown JSON field: %q\n%s", e.fields[i], FieldList(e.available))
		}
	}
	if e.jq != "" {
		q, err := gojq.Parse(e.jq)
		if err == nil {
			_, err = gojq.Compile(q, gojq.WithEnvironLoader(os.Environ))
		}
		if err != nil {
			return fmt.Errorf("invalid jq expression %q: %w", e.jq, err)
		}
	}
	if e.template != "" {
		if err := template.New(&bytes.Buffer{}, 80, false).Parse(e.template); err != nil {
			return fmt.Errorf("invalid template: %w", err)
		}
	}
	return nil
}

// Enabled reports whether the user asked for JSON.
func (e *Exporter) Enabled() bool { return e != nil && len(e.fields) > 0 }

// Fields are the fields asked for.
func (e *Exporter) Fields() []string { return e.fields }

// Has reports whether field was asked for.
func (e *Exporter) Has(field string) bool { return slices.Contains(e.fields, field) }

// Write prints data (already reduced to the asked fields) as JSON, through
// the jq expression or the template when given. JSON is indented and
// coloured on a terminal and compact otherwise.
func (e *Exporter) Write(ios *iostreams.IOStreams, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	switch {
	case e.jq != "":
		indent := ""
		if ios.IsStdoutTTY() {
			indent = "  "
		}
		return jq.EvaluateFormatted(bytes.NewReader(raw), ios.Out, e.jq, indent, ios.ColorEnabled())
	case e.template != "":
		t := template.New(ios.Out, ios.TerminalWidth(), ios.ColorEnabled())
		if err := t.Parse(e.template); err != nil {
			return err
		}
		if err := t.Execute(bytes.NewReader(raw)); err != nil {
			return err
		}
		return t.Flush()
	case ios.IsStdoutTTY():
		return jsonpretty.Format(ios.Out, bytes.NewReader(raw), "  ", ios.ColorEnabled())
	default:
		_, err := fmt.Fprintf(ios.Out, "%s\n", raw)
		return err
	}
}

// Pick keeps the asked fields of a full field map, in a new map.
func Pick(all map[string]any, fields []string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		out[f] = all[f]
	}
	return out
}
