package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sollecito/sollecito/cmd/sollecito/internal/config"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/engine"
	"github.com/sollecito/sollecito/cmd/sollecito/internal/web"
)

// startWeb starts the read-only web page on addr over the engine's ledger,
// with the [http] credentials of cfg. It refuses an address beyond
// loopback without them.
func startWeb(addr string, cfg *config.Config, eng *engine.Engine, now func() time.Time, log *slog.Logger) (*web.Server, error) {
	srv, err := web.Start(eng, web.Options{
		Addr: addr, Username: cfg.HTTP.Username, Password: cfg.HTTPPassword,
		Title: cfg.Business.Name, Lang: cfg.Owner.Language, Log: log, Now: now, Hosts: cfg.HTTP.Host,
	})
	if err != nil {
		return nil, err
	}
	log.Info("web page serving", "url", "http://"+srv.Addr()+"/", "auth", cfg.HTTP.Username != "")
	return srv, nil
}

// serveWeb serves the page until ctx ends (the demo's --http).
func serveWeb(ctx context.Context, addr string, cfg *config.Config, eng *engine.Engine, now func() time.Time, stdout io.Writer, log *slog.Logger) error {
	srv, err := startWeb(addr, cfg, eng, now, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nThe web page is at http://%s/ — press Ctrl-C to stop.\n", srv.Addr())
	<-ctx.Done()
	return srv.Close()
}
