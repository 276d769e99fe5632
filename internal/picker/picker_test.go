package picker_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/cmdtest"
	"github.com/ghruns/gh-runs/internal/fakegh"
	"github.com/ghruns/gh-runs/internal/picker"
)

type fakePrompter struct {
	options []string
	choose  int
}

func (f *fakePrompter) Select(_, _ string, options []string) (int, error) {
	f.options = options
	return f.choose, nil
}

func TestPickRun(t *testing.T) {
	_, c := cmdtest.Fake(t, 8)
	ios, _, _, _ := cmdtest.Streams(true)
	p := &fakePrompter{choose: 1}
	id, err := picker.PickRun(context.Background(), picker.Options{
		IO: ios, Prompter: p, Client: c, Repo: cmdtest.Repo.API(), Now: cmdtest.Now, Prompt: "Select a run to cancel",
		Want: func(r api.Run) bool { return r.Status != "completed" },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"* Add retry to the upload step, CI [main] about 1 hour ago (ID 7000000113)",
		"* Login page: remember me, CI [feature/login] about 1 hour ago (ID 7000000112)",
	}
	if id != fakegh.QueuedRun || strings.Join(p.options, "\n") != strings.Join(want, "\n") {
		t.Errorf("picked %d from\n%s", id, strings.Join(p.options, "\n"))
	}
}

func TestPickRunNeedsTerminal(t *testing.T) {
	s, c := cmdtest.Fake(t, 8)
	ios, _, _, _ := cmdtest.Streams(false)
	_, err := picker.PickRun(context.Background(), picker.Options{IO: ios, Prompter: &fakePrompter{}, Client: c, Repo: cmdtest.Repo.API()})
	if !errors.Is(err, picker.ErrNeedID) || len(s.Requests()) != 0 {
		t.Errorf("error %v after %d requests; want picker.ErrNeedID and none", err, len(s.Requests()))
	}
}
