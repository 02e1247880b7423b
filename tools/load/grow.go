package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/valyala/fasthttp"

	"motcua/internal/app"
	"motcua/internal/catalog"
)

// growRow is one line of the growth table.
type growRow struct {
	What                 string
	Dossiers, Procedures int
	Track, Search        result
	InProcP50, InProcP99 time.Duration
}

var growWords = []string{"khai sinh", "ket hon", "dat dai", "chung thuc", "ho kinh doanh", "xay dung", "giay phep", "cu tru", "nuoi con nuoi", "tu phap"}

// growRun measures tracking and search on a second fresh store as it grows:
// dossiers first (search beside them), then procedures.
func growRun(ctx context.Context, o options, _ *app.App, bin, _, dir, logPath string, _ fixture, logf func(string, ...any)) ([]growRow, error) {
	gdir := filepath.Join(dir, "grow")
	if err := os.MkdirAll(gdir, 0o755); err != nil {
		return nil, err
	}
	g := o
	g.dsn = o.dsn
	dbURL, cleanup, err := freshNamed(g, gdir, "grow")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	e, err := openApp(ctx, dbURL, gdir)
	if err != nil {
		return nil, err
	}
	defer e.Close()
	f, err := seed(ctx, e, 0, 0, 0, logf)
	if err != nil {
		return nil, err
	}
	p, err := startPortal(bin, dbURL, gdir, logPath)
	if err != nil {
		return nil, err
	}
	defer func() { p.stop() }()
	var rows []growRow
	have := 0
	for _, n := range o.growSizes {
		t0 := time.Now()
		if err := addDossiers(ctx, e.DB, have, n); err != nil {
			return nil, err
		}
		have = n
		logf("grow: %d dossiers (%s to add)", n, time.Since(t0).Round(time.Second))
		row := growRow{What: "dossiers", Dossiers: n, Procedures: len(f.procedures)}
		row.Track, row.Search = growMeasure(p.addr, o, n)
		rows = append(rows, row)
	}
	// Procedures: copies of the bundled ones under new codes, imported as
	// a file would be, then a restart so the portal reads them.
	base := e.Catalog.All()
	count := len(base)
	for _, n := range o.procSizes {
		if n > count {
			var add []catalog.Procedure
			for i := count; i < n; i++ {
				c := base[i%len(base)]
				c.Code = fmt.Sprintf("G%06d.%s", i, c.Code)
				if len(c.Code) > catalog.MaxCodeLen {
					c.Code = c.Code[:catalog.MaxCodeLen]
				}
				add = append(add, c)
			}
			t0 := time.Now()
			if _, err := e.Catalog.Import(ctx, add, nil, catalog.ImportOptions{}); err != nil {
				return nil, fmt.Errorf("import procedures: %w", err)
			}
			count = n
			logf("grow: %d procedures (%s to import)", n, time.Since(t0).Round(time.Second))
		}
		if err := e.Catalog.Refresh(ctx); err != nil {
			return nil, err
		}
		p.stop()
		if p, err = startPortal(bin, dbURL, gdir, logPath); err != nil {
			return nil, err
		}
		row := growRow{What: "procedures", Dossiers: have, Procedures: e.Catalog.Count()}
		_, row.Search = growMeasure(p.addr, o, 0)
		// In process: the catalog's own search, no HTTP.
		var lat []time.Duration
		for i := 0; i < 20000; i++ {
			t0 := time.Now()
			if _, err := e.Catalog.Search(catalog.Query{Q: growWords[i%len(growWords)]}); err != nil {
				return nil, err
			}
			lat = append(lat, time.Since(t0))
		}
		row.InProcP50, row.InProcP99, _ = percentiles(lat)
		rows = append(rows, row)
	}
	return rows, nil
}

// growMeasure runs tracking (when there are dossiers) and search for a
// third of a scenario's time each.
func growMeasure(addr string, o options, dossiers int) (track, search result) {
	c := []*fasthttp.HostClient{newClient(addr, o.conns)}
	d := max(o.dur/2, time.Second)
	if dossiers > 0 {
		track = hammer("tracking API", c, o.conns, d, func(w, i int, req *fasthttp.Request) {
			req.SetRequestURI("/api/v1/dossiers/" + dossierCode((w*7919+i*104729)%dossiers) + "?phone=" + url.QueryEscape(loadAsked))
		}, status(http.StatusOK))
	}
	search = hammer("search API", c, o.conns, d, func(w, i int, req *fasthttp.Request) {
		req.SetRequestURI("/api/v1/procedures?q=" + url.QueryEscape(growWords[(w+i)%len(growWords)]))
	}, status(http.StatusOK))
	return track, search
}

func printGrow(out io.Writer, rows []growRow) {
	fmt.Fprintf(out, "\nhow cost grows (%s per measure)\n", "half a scenario")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "dossiers\tprocedures\ttracking req/s\ttracking p50\ttracking p99\terrors\tsearch req/s\tsearch p50\tsearch p99\terrors\tin-process search p50\tp99\t")
	for _, r := range rows {
		tr := []string{"", "", "", ""}
		if r.Track.Reqs > 0 {
			tr = []string{fmt.Sprintf("%.0f", r.Track.RPS()), ms(r.Track.P50), ms(r.Track.P99), fmt.Sprint(r.Track.Errors)}
		}
		ip := []string{"", ""}
		if r.InProcP99 > 0 {
			ip = []string{fmt.Sprintf("%.3fms", float64(r.InProcP50)/1e6), fmt.Sprintf("%.3fms", float64(r.InProcP99)/1e6)}
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%.0f\t%s\t%s\t%d\t%s\t%s\t\n", r.Dossiers, r.Procedures, tr[0], tr[1], tr[2], tr[3],
			r.Search.RPS(), ms(r.Search.P50), ms(r.Search.P99), r.Search.Errors, ip[0], ip[1])
	}
	tw.Flush()
	var first, last time.Duration
	for _, r := range rows {
		if r.What == "dossiers" && r.Track.Reqs > 0 {
			if first == 0 {
				first = r.Track.P99
			}
			last = r.Track.P99
		}
	}
	if first > 0 {
		fmt.Fprintf(out, "tracking p99, largest over smallest volume: %.2f\n", float64(last)/float64(first))
	}

}

// profile fetches a CPU profile over d and then a heap profile from the
// portal's loopback pprof listener, into dir.
func profile(addr, dir, name string, d time.Duration) func() []string {
	_ = os.MkdirAll(dir, 0o755)
	secs := max(1, int(d.Seconds())-1)
	done := make(chan []string, 1)
	go func() {
		var got []string
		cpu := filepath.Join(dir, "cpu-"+name+".pprof")
		if fetch(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs), cpu, d+30*time.Second) == nil {
			got = append(got, cpu)
		}
		heap := filepath.Join(dir, "heap-"+name+".pprof")
		if fetch("http://"+addr+"/debug/pprof/heap", heap, 30*time.Second) == nil {
			got = append(got, heap)
		}
		done <- got
	}()
	return func() []string { return <-done }
}

func fetch(u, path string, timeout time.Duration) error {
	c := &http.Client{Timeout: timeout}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %s", u, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}
