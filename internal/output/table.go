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
	_, err := fmt.Fprintln(t.ios.Out, strings.Join(lines, "\n"))
	return err
}

const reset = "\x1b[0m"

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
