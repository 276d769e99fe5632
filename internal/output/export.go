package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

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
	_ = cmd.RegisterFlagCompletionFunc("json", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return completeFields(available, toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	return e
}

// completeFields completes the last of the comma-separated fields in
// toComplete: "databaseId,con" gives "databaseId,conclusion". Fields already
// listed are not offered again. No space follows, so that another comma can.
func completeFields(available []string, toComplete string) []string {
	prefix, last := "", toComplete
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		prefix, last = toComplete[:i+1], toComplete[i+1:]
	}
	chosen := strings.Split(prefix, ",")
	var out []string
	for _, f := range available {
		if strings.HasPrefix(strings.ToLower(f), strings.ToLower(last)) && !slices.Contains(chosen, f) {
			out = append(out, prefix+f)
		}
	}
	return out
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
//
// JSON is exact: it escapes C0 controls itself, and escapeJSON escapes
// the C1 and bidi controls it leaves raw, which is the same JSON value. A template prints
// values as text, so every string it is given has been through Lines; its
// own text and functions (color, hyperlink) are the user's. A jq string
// result, printed as raw text, goes through Lines on a terminal, where it
// could act on the screen, and stays exact in a pipe, where a script wants
// the value itself (a branch name handed to git).
func (e *Exporter) Write(ios *iostreams.IOStreams, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	switch {
	case e.jq != "" && ios.IsStdoutTTY():
		return e.jqTerminal(ios, raw)
	case e.jq != "":
		// Not a terminal: no colour even when forced (CLICOLOR_FORCE,
		// color: always): a program reads it, and escape codes would
		// break its parser.
		return jq.EvaluateFormatted(bytes.NewReader(raw), ios.Out, e.jq, "", false)
	case e.template != "":
		t := template.New(ios.Out, ios.TerminalWidth(), ios.ColorEnabled())
		if err := t.Parse(e.template); err != nil {
			return err
		}
		if raw, err = cleanJSON(raw); err != nil {
			return err
		}
		if err := t.Execute(bytes.NewReader(raw)); err != nil {
			return err
		}
		return t.Flush()
	case ios.IsStdoutTTY():
		var b bytes.Buffer
		if err := jsonpretty.Format(&b, bytes.NewReader(raw), "  ", ios.ColorEnabled()); err != nil {
			return err
		}
		_, err := ios.Out.Write(escapeJSON(b.Bytes()))
		return err
	default:
		_, err := fmt.Fprintf(ios.Out, "%s\n", escapeJSON(raw))
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

// jqTerminal is jq.EvaluateFormatted for a terminal: string results are
// printed through Lines, others as indented, coloured JSON.
func (e *Exporter) jqTerminal(ios *iostreams.IOStreams, raw []byte) error {
	q, err := gojq.Parse(e.jq)
	if err != nil {
		return err
	}
	code, err := gojq.Compile(q, gojq.WithEnvironLoader(os.Environ))
	if err != nil {
		return err
	}
	var input any
	if err := json.Unmarshal(raw, &input); err != nil {
		return err
	}
	iter := code.Run(input)
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := v.(error); isErr {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return nil
			}
			return err
		}
		if s, isString := v.(string); isString {
			if _, err := fmt.Fprintln(ios.Out, Lines(s)); err != nil {
				return err
			}
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		var formatted bytes.Buffer
		if err := jq.EvaluateFormatted(bytes.NewReader(b), &formatted, ".", "  ", ios.ColorEnabled()); err != nil {
			return err
		}
		if _, err := ios.Out.Write(escapeJSON(formatted.Bytes())); err != nil {
			return err
		}
	}
}

// cleanJSON passes every string in a JSON document, keys aside, through
// Lines; numbers keep their text.
func cleanJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(cleanValue(v))
}

func cleanValue(v any) any {
	switch v := v.(type) {
	case string:
		return Lines(v)
	case []any:
		for i := range v {
			v[i] = cleanValue(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = cleanValue(v[k])
		}
	}
	return v
}

// escapeJSON writes DEL, the C1 controls and the bidi controls of JSON
// text, where they can only be inside strings, as \u escapes: the same
// value to a JSON reader, and nothing a terminal acts on.
func escapeJSON(b []byte) []byte {
	if plainASCII(string(b)) {
		return b
	}
	var out bytes.Buffer
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == 0x7f || r >= 0x80 && r < 0xa0 || isBidiControl(r) {
			fmt.Fprintf(&out, "\\u%04x", r)
		} else {
			out.Write(b[:size])
		}
		b = b[size:]
	}
	return out.Bytes()
}
