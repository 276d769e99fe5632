package cmdutil

import (
	"net/http"

	"github.com/ghruns/gh-runs/internal/api"
	"github.com/ghruns/gh-runs/internal/pace"
)

// PacedClient is Client for a bulk job: every request passes through one
// pace.Limiter, at writeRate writes a minute (0: the write_rate setting),
// on the environment's PaceClock.
func (e *Env) PacedClient(repo Repository, needAuth bool, writeRate int) (*api.Client, *pace.Limiter, error) {
	cfg, err := e.Config()
	if err != nil {
		return nil, nil, err
	}
	if writeRate == 0 {
		writeRate = cfg.WriteRate
	}
	l := pace.New(writeRate, e.PaceClock)
	base := http.DefaultTransport.(*http.Transport).Clone()
	// Keep a connection per worker alive, as Client does.
	base.MaxIdleConnsPerHost = max(cfg.Concurrency, 2)
	c, err := e.client(repo, needAuth, l.Transport(base))
	if err != nil {
		return nil, nil, err
	}
	return c, l, nil
}
