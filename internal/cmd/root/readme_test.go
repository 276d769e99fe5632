package root

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/cmdutil"
	"github.com/ghruns/gh-runs/internal/iostreams"
)

// TestReadmeCommands: every ghruns command in the README's sh examples
// names a real command, and its flags and arguments parse, so that a user
// who copies one meets no "unknown flag" or "unknown command".
func TestReadmeCommands(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := readmeCommands(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) < 40 {
		t.Fatalf("found %d ghruns commands in the README's sh blocks; the extraction is broken", len(cmds))
	}
	for _, args := range cmds {
		line := strings.Join(args, " ")
		ios := iostreams.New(strings.NewReader(""), io.Discard, io.Discard, "never")
		root := NewCmd(&cmdutil.Env{IO: ios, Bin: "ghruns", Version: "test"})
		cmd, rest, err := root.Find(args)
		if err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		if cmd == root || cmd.HasSubCommands() {
			t.Errorf("%s: names no command", line)
			continue
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
			t.Errorf("%s: %v", line, err)
		}
		if err := cmd.ValidateFlagGroups(); err != nil {
			t.Errorf("%s: %v", line, err)
		}
	}
}

// TestReadmeCommandsCatchUnknownFlags: the check above fails on a flag
// that does not exist, so it cannot pass by checking nothing.
func TestReadmeCommandsCatchUnknownFlags(t *testing.T) {
	ios := iostreams.New(strings.NewReader(""), io.Discard, io.Discard, "never")
	root := NewCmd(&cmdutil.Env{IO: ios, Bin: "ghruns", Version: "test"})
	cmd, rest, err := root.Find([]string{"list", "--no-such-flag"})
	if err != nil {
		t.Fatal(err)
	}
	if cmd.ParseFlags(rest) == nil {
		t.Error("an unknown flag parsed")
	}
}

// readmeCommands returns the ghruns command lines of the README's sh
// blocks, as words: those after "ghruns" (or "go run ./cmd/ghruns"), up
// to a pipe, redirection, "&&" or ";". Each line is split as sh would
// for the quoting the README uses: single and double quotes, comments,
// no escapes or expansions.
func readmeCommands(readme string) ([][]string, error) {
	var out [][]string
	in := false
	sc := bufio.NewScanner(strings.NewReader(readme))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			in = line == "```sh"
			continue
		}
		if !in {
			continue
		}
		words, err := shellWords(line)
		if err != nil {
			return nil, err
		}
		for i := 0; i < len(words); i++ {
			var start int
			switch {
			case words[i] == "ghruns":
				start = i + 1
			case words[i] == "go" && i+2 < len(words) && words[i+1] == "run" && words[i+2] == "./cmd/ghruns":
				start = i + 3
			default:
				continue
			}
			end := start
			for end < len(words) && !isOperator(words[end]) {
				end++
			}
			out = append(out, words[start:end])
			i = end
		}
	}
	return out, sc.Err()
}

// operators are the shell's control and redirection characters, each
// returned by shellWords as a word of its own.
const operators = "|&;<>"

func isOperator(w string) bool { return len(w) == 1 && strings.Contains(operators, w) }

// shellWords splits a line into words and operator characters, dropping
// a comment: a # at the start of a word, outside quotes.
func shellWords(line string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	flush := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				word.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			flush()
		case r == '#' && !inWord:
			return words, nil
		case strings.ContainsRune(operators, r):
			flush()
			words = append(words, string(r))
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote in %q", line)
	}
	flush()
	return words, nil
}

// TestReadmeCommandsExtraction: quoted pipes stay in their word, and
// pipes, redirections, "&&" and comments end a command.
func TestReadmeCommandsExtraction(t *testing.T) {
	got, err := readmeCommands("text `ghruns no`\n```sh\n" +
		"go run ./cmd/ghruns list -R cli/cli    # comment\n" +
		"ghruns list --jq '.[] | select(.a==\"b\")' | wc -l\n" +
		"ghruns watch 1 --exit-status && echo passed\n" +
		"gh repo list o -q '.[].x' | ghruns list --repos -\n" +
		"ghruns logs download 1 -o - > logs.zip\n" +
		"```\n```yaml\nghruns yaml\n```\n")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"list", "-R", "cli/cli"},
		{"list", "--jq", `.[] | select(.a=="b")`},
		{"watch", "1", "--exit-status"},
		{"list", "--repos", "-"},
		{"logs", "download", "1", "-o", "-"},
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
