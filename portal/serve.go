package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"time"

	"motcua/internal/config"
	"motcua/internal/demo"
)

//go:embed templates/*.html
var templatesFS embed.FS

func portalPages() fs.FS {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		panic(err) // the directory is embedded above; this cannot fail
	}
	return sub
}

// serveCommand runs the portal until ctx ends, then shuts down gracefully.
func serveCommand(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	withDemo := fs.Bool("demo", false, "add a demo office, staff and dossiers")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usagef("bad arguments\n%s", usage)
	}
	// The log is buffered while serving (logWriter); the deferred Close
	// runs last, after the graceful shutdown has logged its lines.
	logs := newLogWriter(stderr, 200*time.Millisecond)
	defer logs.Close()
	e, err := open(ctx, getenv, logs)
	if err != nil {
		return err
	}
	defer e.Close()
	n, err := e.Catalog.SeedIfEmpty(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		e.Log.Info("bundled catalog loaded", "procedures", n)
	}
	if *withDemo {
		if err := demo.Seed(ctx, e, stdout); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	s, app, err := newServer(e)
	if err != nil {
		return err
	}
	// The log's handler writes to logs: the access log writes its lines
	// there directly, in the same JSON.
	s.access = logs
	ln, err := net.Listen("tcp", e.Cfg.Addr)
	if err != nil {
		return err
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	metricsDone := make(chan error, 1)
	if e.Cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", e.Cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("metrics listener: %w", err)
		}
		fmt.Fprintf(stdout, "metrics listening on %s\n", mln.Addr())
		go func() { metricsDone <- s.metrics.serve(watchCtx, mln) }()
	} else {
		metricsDone <- nil
	}
	if e.Cfg.PprofAddr != "" {
		pln, err := net.Listen("tcp", e.Cfg.PprofAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("pprof listener: %w", err)
		}
		go servePprof(watchCtx, pln)
	}
	// Tests and operators read the real address (":0" picks a free port).
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
	go e.Catalog.Watch(watchCtx, 5*time.Second, func(err error) { s.log.Error("catalog refresh", "err", err) })

	// Opening the store, migrating and loading the catalog leave garbage
	// behind; an idle portal should not hold it (README, "Performance").
	go debug.FreeOSMemory()
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	s.stopStreams()
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	stopWatch()
	if err := <-metricsDone; err != nil {
		return err
	}
	return <-served
}

// servePprof serves Go's profiles on a loopback listener (config checks
// the address) until ctx ends: the load command's -profile reads them.
func servePprof(ctx context.Context, ln net.Listener) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	_ = srv.Serve(ln)
}
