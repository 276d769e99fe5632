package output

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

func TestTablePlain(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	tb := NewTable(ios, "A", "B")
	tb.AddRow("x\ty", "line\nbreak")
	tb.AddRow("1", "")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	// No header; tabs and newlines inside cells cannot break the columns.
	if want := "x y\tline break\n1\t\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestTableTerminal(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	ios.SetTTY(true)
	tb := NewTable(ios, "STATUS", "TITLE", "ID")
	tb.Flex(1)
	tb.AddRow("✓", strings.Repeat("long title ", 10), "42")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing blank in %q", line)
		}
		if w := len([]rune(line)); w > 80 {
			t.Errorf("line of %d columns on an 80-column terminal: %q", w, line)
		}
	}
	if !strings.HasPrefix(out.String(), "STATUS  TITLE") || !strings.Contains(out.String(), "...  42") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestSymbols(t *testing.T) {
	c := Colors{}
	for _, tc := range []struct {
		status     api.Status
		conclusion api.Conclusion
		want       string
	}{
		{"completed", "success", "✓"}, {"completed", "failure", "X"}, {"completed", "cancelled", "X"},
		{"completed", "timed_out", "X"}, {"completed", "startup_failure", "X"}, {"completed", "action_required", "X"},
		{"completed", "stale", "X"}, {"completed", "skipped", "-"}, {"completed", "neutral", "-"},
		{"in_progress", "", "*"}, {"queued", "", "*"},
	} {
		if got := c.Symbol(tc.status, tc.conclusion); got != tc.want {
			t.Errorf("Symbol(%s, %s) = %q, want %q", tc.status, tc.conclusion, got, tc.want)
		}
	}
	if got := (Colors{Enabled: true}).Symbol("completed", "success"); got != "\x1b[32m✓\x1b[0m" {
		t.Errorf("coloured success %q", got)
	}
}

// TestState pins the two ways a state is worded: watch's change lines and
// view's Status line, and the logs view note already in parentheses.
func TestState(t *testing.T) {
	for _, tc := range []struct {
		status             api.Status
		conclusion         api.Conclusion
		want, wantInParens string
	}{
		{api.StatusInProgress, "", "in_progress", "in_progress"},
		{api.StatusCompleted, api.ConclusionSuccess, "completed (success)", "completed, success"},
		{api.StatusCompleted, api.ConclusionTimedOut, "completed (timed_out)", "completed, timed_out"},
	} {
		if got := State(tc.status, tc.conclusion); got != tc.want {
			t.Errorf("State(%s, %s) = %q, want %q", tc.status, tc.conclusion, got, tc.want)
		}
		if got := StateInParens(tc.status, tc.conclusion); got != tc.wantInParens {
			t.Errorf("StateInParens(%s, %s) = %q, want %q", tc.status, tc.conclusion, got, tc.wantInParens)
		}
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if got := Ago(now, now.Add(-5*time.Minute)); got != "about 5 minutes ago" {
		t.Errorf("Ago = %q", got)
	}
	if Ago(now, time.Time{}) != "" {
		t.Error("an unknown time has no age")
	}
}

func TestExporterValidate(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--json", "databaseId,nope"}, `unknown JSON field: "nope"`},
		{[]string{"--jq", ".x"}, "cannot use `--jq` without specifying `--json`"},
		{[]string{"--template", "{{.}}"}, "cannot use `--template` without specifying `--json`"},
		{[]string{"--json", "databaseId", "--jq", ".[", "--template", "x"}, "specify only one of `--jq` or `--template`"},
		{[]string{"--json", "databaseId", "--jq", ".["}, "invalid jq expression"},
		{[]string{"--json", "databaseId", "--jq", "nosuchfunc"}, "invalid jq expression"},
		{[]string{"--json", "databaseId", "--template", "{{"}, "invalid template"},
		{[]string{"--json", "databaseId", "--jq", ".[].databaseId"}, ""},
	} {
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		e := AddJSONFlags(cmd, []string{"databaseId", "status"})
		if err := cmd.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		err := e.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestExporterWrite(t *testing.T) {
	cmd := &cobra.Command{Use: "x"}
	e := AddJSONFlags(cmd, []string{"databaseId", "status"})
	cmd.ParseFlags([]string{"--json", "databaseId,status"})
	data := []map[string]any{Pick(map[string]any{"databaseId": 7000000113, "status": "queued", "other": 1}, e.Fields())}

	ios, _, out, _ := iostreams.Test()
	if err := e.Write(ios, data); err != nil {
		t.Fatal(err)
	}
	if out.String() != `[{"databaseId":7000000113,"status":"queued"}]`+"\n" {
		t.Errorf("compact JSON %q", out.String())
	}
	ios, _, out, _ = iostreams.Test()
	ios.SetTTY(true)
	e.Write(ios, data)
	if !strings.Contains(out.String(), "\n  {\n    \"databaseId\": 7000000113,") {
		t.Errorf("indented JSON on a terminal:\n%s", out.String())
	}
}

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"build":                                          "build",
		"Fix\x1b[2J\x1b[Hthe screen":                     "Fixthe screen",
		"two\nlines\tand\rreturn":                        "two lines and return",
		"bell\a and \u009b31m C1 CSI":                    "bell and  C1 CSI",
		"ünïcode ✓ stays":                                "ünïcode ✓ stays",
		"\x7fdelete\x00nul\x08bsp":                       "deletenulbsp",
		"feature/login: remember me 🙂":                   "feature/login: remember me 🙂",
		"copy \x1b]52;c;ZXZpbA==\x07me":                  "copy me",
		"a \x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\": "a link",
		"txt.exe\u202egnp.":                              "txt.exegnp.",
		"iso\u2066late\u2069d \u202aL\u202c":             "isolated L",
		"\u009d0;title\u009c\u0090dcs\u009cok":           "ok",
		"not utf-8 \xff":                                 "not utf-8 \ufffd",
		"cut \x1b":                                       "cut ",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLines keeps the layout of a message of several lines and removes
// what OneLine removes.
func TestLines(t *testing.T) {
	in := "Validation Failed\x1b[2J\n\tbranch \u202eniam\r\n"
	if got, want := Lines(in), "Validation Failed\n\tbranch niam\n"; got != want {
		t.Errorf("Lines(%q) = %q, want %q", in, got, want)
	}
}

// TestJSONKeepsValues: --json and, in a pipe, --jq print GitHub's text as
// it is; C1 and bidi controls are written as JSON escapes, which decode to
// the same value.
func TestJSONKeepsValues(t *testing.T) {
	title := "a\x1b[2J\u202eb\u009bc"
	data := []map[string]any{{"displayTitle": title}}
	for _, tc := range []struct {
		args []string
		tty  bool
		want string
	}{
		{[]string{"--json", "displayTitle"}, false, `[{"displayTitle":"a\u001b[2J\u202eb\u009bc"}]` + "\n"},
		{[]string{"--json", "displayTitle", "--jq", ".[].displayTitle"}, false, title + "\n"},
		{[]string{"--json", "displayTitle", "--jq", ".[].displayTitle"}, true, "ab\n"},
	} {
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		e := AddJSONFlags(cmd, []string{"displayTitle"})
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
		ios, _, out, _ := iostreams.Test()
		ios.SetTTY(tc.tty)
		if err := e.Write(ios, data); err != nil {
			t.Fatal(err)
		}
		if out.String() != tc.want {
			t.Errorf("%v tty=%v: %q, want %q", tc.args, tc.tty, out.String(), tc.want)
		}
	}
}

// TestTableFitsWidth: at 80 and 120 columns every line of a list-like table
// fits, every text column gives way (with gh's ellipsis), IDs stay whole,
// and a cut cell keeps its bold.
func TestTableFitsWidth(t *testing.T) {
	for _, width := range []int{80, 120} {
		ios, _, out, _ := iostreams.Test()
		ios.SetTTY(true)
		ios.SetColorEnabled(true)
		ios.SetTerminalWidth(width)
		cs := Colors{Enabled: true}
		tb := NewTable(ios, "STATUS", "TITLE", "WORKFLOW", "BRANCH", "EVENT", "ID", "AGE")
		tb.Flex(1, 2, 3, 4)
		long := strings.Repeat("word ", 30)
		tb.AddRow(cs.Symbol("completed", "success"), cs.Bold(long), long, cs.Bold(long), "workflow_dispatch", cs.Cyan("12345678901"), "12m")
		if err := tb.Render(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		for _, line := range lines {
			if w := len([]rune(StripANSI(line))); w > width {
				t.Errorf("%d columns: line of %d: %q", width, w, StripANSI(line))
			}
		}
		row := lines[1]
		if !strings.Contains(row, "12345678901") {
			t.Errorf("%d columns: the ID was cut: %q", width, row)
		}
		// At 120 columns EVENT fits whole; at 80 it too gives way.
		cut := map[int]int{80: 4, 120: 3}[width]
		if strings.Contains(row, "workflow_dispatch") == (width == 80) || strings.Count(StripANSI(row), "...") != cut {
			t.Errorf("%d columns: want %d columns cut with \"...\": %q", width, cut, StripANSI(row))
		}
		if !strings.Contains(row, "\x1b[1mword") || !strings.Contains(row, "...\x1b[0m") {
			t.Errorf("%d columns: a cut cell lost its bold: %q", width, row)
		}
	}
}

func TestAgoShort(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ago  time.Duration
		want string
	}{
		{30 * time.Second, "0m"}, {12 * time.Minute, "12m"}, {3*time.Hour + 59*time.Minute, "3h"},
		{49 * time.Hour, "2d"}, {29 * 24 * time.Hour, "29d"}, {45 * 24 * time.Hour, "Feb 14, 2026"},
		{-time.Minute, "0m"},
	} {
		if got := AgoShort(now, now.Add(-tc.ago)); got != tc.want {
			t.Errorf("AgoShort(%s ago) = %q, want %q", tc.ago, got, tc.want)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1.0 KB", 18_432: "18.4 KB", 999_960: "1.0 MB",
		1_234_567: "1.2 MB", 12_582_912: "12.6 MB", 3_000_000_000: "3.0 GB", 5e15: "5000.0 TB",
	} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
