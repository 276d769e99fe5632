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
	ios     *iostreams.IOStreams
	header  []string
	rows    [][]string
	flexCol int
}

// NewTable starts a table with the given terminal header.
func NewTable(ios *iostreams.IOStreams, header ...string) *Table {
	return &Table{ios: ios, header: header, flexCol: -1}
}

// Flex names the column that is cut short when the terminal is too narrow.
func (t *Table) Flex(col int) { t.flexCol = col }

// AddRow adds one row of cells; cells may carry colour codes.
func (t *Table) AddRow(cells ...string) { t.rows = append(t.rows, cells) }

// Render writes the table to standard output.
func (t *Table) Render() error {
	if !t.ios.IsStdoutTTY() {
		var b strings.Builder
		for _, r := range t.rows {
			for i, c := range r {
				r[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
			}
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
	// The last column's padding would leave trailing blanks on every line.
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := fmt.Fprintln(t.ios.Out, strings.Join(lines, "\n"))
	return err
}

// fit truncates the flexible column so that rows fit the terminal's width.
func (t *Table) fit() {
	if t.flexCol < 0 || len(t.rows) == 0 {
		return
	}
	widths := make([]int, len(t.header))
	measure := func(r []string) {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], text.DisplayWidth(stripANSI(c)))
			}
		}
	}
	measure(t.header)
	for _, r := range t.rows {
		measure(r)
	}
	others := 0
	for i, w := range widths {
		if i != t.flexCol {
			others += w + 2
		}
	}
	room := t.ios.TerminalWidth() - others - 2
	if room >= widths[t.flexCol] {
		return
	}
	room = max(room, 10)
	for _, r := range t.rows {
		if t.flexCol < len(r) {
			// Cutting inside a colour code would bleed colour: drop it.
			if plain := stripANSI(r[t.flexCol]); text.DisplayWidth(plain) > room {
				r[t.flexCol] = text.Truncate(room, plain)
			}
		}
	}
}

func stripANSI(s string) string {
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
