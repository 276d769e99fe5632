package main

import (
	"os/exec"
	"strings"
	"testing"
)

// Every package linked into ghruns runs its initialisers at each start,
// --version included: the test helpers some libraries ship in their main
// packages (go-gh's prompter mock) bring the testing package, testify and
// YAML parsers with them, and must stay out.
func TestStartupLinksNoTestCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "testing" || strings.HasPrefix(pkg, "github.com/stretchr/testify") {
			t.Errorf("ghruns links %s", pkg)
		}
	}
}
