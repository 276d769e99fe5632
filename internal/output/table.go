// Package output renders what commands print: terminal tables and
// tab-separated rows, run status symbols and ages, and --json, --jq and
// --template output through one Exporter.
package output

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cli/go-gh/v2/pkg/text"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/ghruns/gh-runs/internal/iostreams"
)

// Table prints rows: on a terminal, aligned columns under a header; else
// tab-separated fields with no header, for scripts.
type Table struct {
	ios    *iostreams.IOStreams
	header []string
	rows   [][]string
	flex   []int
	// notes are lines under rows, by row index.
	notes map[int]note
}

// note is a line of text under a row, starting where column col starts.
type note struct {
	col  int
	text string
}

// NewTable starts a table with the given terminal header.
func NewTable(ios *iostreams.IOStreams, header ...string) *Table {
	return &Table{ios: ios, header: header}
}

// Flex names the columns that may be cut short when the terminal is too
// narrow; the widest of them gives way first.
func (t *Table) Flex(cols ...int) { t.flex = cols }

// AddRow adds one row of cells; cells may carry Colors' colour codes.
// Everything else a terminal would act on is removed when the table is
// rendered, as OneLine does; callers still pass text from GitHub through
// OneLine before painting it, so that a colour code inside it is not
// taken for one of Colors'.
func (t *Table) AddRow(cells ...string) { t.rows = append(t.rows, cells) }

// AddNote puts a line of text under the row added last, on a terminal,
// starting where column col starts. It is not a cell: column widths do not
// count it, and it is cut to the terminal's width. It is cleaned as cells
// are and may carry Colors' codes. Rows for scripts leave notes out, so
// that every line stays a row.
func (t *Table) AddNote(col int, text string) {
	if len(t.rows) == 0 {
		return
	}
	if t.notes == nil {
		t.notes = map[int]note{}
	}
	t.notes[len(t.rows)-1] = note{col: col, text: cell(text)}
}

// Render writes the table to standard output.
func (t *Table) Render() error {
	for _, r := range t.rows {
		for i, c := range r {
			r[i] = cell(c)
		}
	}
	if !t.ios.IsStdoutTTY() {
		var b strings.Builder
		for _, r := range t.rows {
			b.WriteString(strings.Join(r, "\t"))
			b.WriteByte('\n')
		}
		_, err := fmt.Fprint(t.ios.Out, b.String())
		return err
	}
	t.fit()
	var buf bytes.Buffer
	tbl := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.Off, ShowTop: tw.Off, ShowBottom: tw.Off},
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithPadding(tw.Padding{Left: "", Right: "  ", Overwrite: true}),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	if len(t.header) > 0 {
		tbl.Header(t.header)
	}
	for _, r := range t.rows {
		if err := tbl.Append(r); err != nil {
			return err
		}
	}
	if err := tbl.Render(); err != nil {
		return err
	}
	// The last column's padding would leave trailing blanks (and colour
	// resets) on every line; a line that had colour still ends with a reset.
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	for i, l := range lines {
		trimmed := strings.TrimRight(l, " ")
		for strings.HasSuffix(trimmed, reset) {
			before := strings.TrimSuffix(trimmed, reset)
			if !strings.HasSuffix(before, " ") && !strings.HasSuffix(before, reset) {
				break
			}
			trimmed = strings.TrimRight(before, " ")
		}
		if strings.Contains(trimmed, "\x1b[") && !strings.HasSuffix(trimmed, reset) {
			trimmed += reset
		}
		lines[i] = trimmed
	}
	if len(t.notes) > 0 {
		lines = t.withNotes(lines)
	}
	_, err := fmt.Fprintln(t.ios.Out, strings.Join(lines, "\n"))
	return err
}

const reset = "\x1b[0m"

// withNotes puts each note on a line of its own under its row's line.
func (t *Table) withNotes(lines []string) []string {
	head := 0
	if len(t.header) > 0 {
		head = 1
	}
	if len(lines) != len(t.rows)+head {
		return lines // not one line per row: no line to put a note under
	}
	out := make([]string, 0, len(lines)+len(t.notes))
	out = append(out, lines[:head]...)
	for i, l := range lines[head:] {
		out = append(out, l)
		if n, ok := t.notes[i]; ok {
			indent := t.columnStart(lines[0], n.col)
			text := Truncate(max(t.ios.TerminalWidth()-indent, minCut), n.text)
			if strings.Contains(text, "\x1b[") && !strings.HasSuffix(text, reset) {
				text += reset
			}
			out = append(out, strings.Repeat(" ", indent)+text)
		}
	}
	return out
}

// columnStart is the display column where column col starts, found in
// the rendered header line; 0 without a header.
func (t *Table) columnStart(headerLine string, col int) int {
	if len(t.header) == 0 || col >= len(t.header) {
		return 0
	}
	plain := StripANSI(headerLine)
	pos, start := 0, 0
	for k := 0; k <= col; k++ {
		i := strings.Index(plain[pos:], t.header[k])
		if i < 0 {
			return 0
		}
		start = pos + i
		pos = start + len(t.header[k])
	}
	return text.DisplayWidth(plain[:start])
}

// minFlex is the narrowest a flexible column is cut to while others can
// give way; past that, flexible columns are cut to minCut.
const (
	minFlex = 10
	minCut  = 4
)

// fit truncates the flexible columns so that rows fit the terminal's width.
// The widest flexible column gives way first (ties: the one named first to
// Flex) down to minFlex; if the rows are still too wide, the columns are cut
// further in the order Flex named them, down to minCut. Other columns, such
// as IDs, are never cut.
func (t *Table) fit() {
	if len(t.flex) == 0 || len(t.rows) == 0 {
		return
	}
	widths := make([]int, len(t.header))
	measure := func(r []string) {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], text.DisplayWidth(StripANSI(c)))
			}
		}
	}
	measure(t.header)
	for _, r := range t.rows {
		measure(r)
	}
	total := 0
	for _, w := range widths {
		total += w + 2
	}
	excess := total - 2 - t.ios.TerminalWidth()
	for excess > 0 {
		widest := -1
		for _, c := range t.flex {
			if widths[c] > minFlex && (widest < 0 || widths[c] > widths[widest]) {
				widest = c
			}
		}
		if widest < 0 {
			break
		}
		widths[widest]--
		excess--
	}
	for _, c := range t.flex {
		cut := min(excess, widths[c]-max(minCut, text.DisplayWidth(t.header[c])))
		if cut > 0 {
			widths[c] -= cut
			excess -= cut
		}
	}
	for _, c := range t.flex {
		for _, r := range t.rows {
			if c < len(r) {
				r[c] = Truncate(widths[c], r[c])
			}
		}
	}
}

// Truncate cuts s to width display columns with an ellipsis, as gh does. A cell painted as a whole (bold, a colour) keeps its paint: the
// codes before its text are kept and the colour is reset after the cut.
func Truncate(width int, s string) string {
	plain := StripANSI(s)
	if text.DisplayWidth(plain) <= width {
		return s
	}
	cut := strings.TrimRight(text.Truncate(width, plain), " ")
	prefix := leadingANSI(s)
	if prefix == "" {
		return cut
	}
	return prefix + cut + reset
}

// leadingANSI is the run of escape sequences that s starts with.
func leadingANSI(s string) string {
	i := 0
	for i+1 < len(s) && s[i] == 0x1b && s[i+1] == '[' {
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		i = min(j+1, len(s))
	}
	return s[:i]
}

// StripANSI removes the colour codes (CSI sequences) this package writes.
func StripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
