// Command load measures the portal under load, the way anyone can repeat
// it (README, "Performance"): it builds the portal, fills a fresh store
// (SQLite, or a PostgreSQL database it creates and drops) with a realistic
// volume, starts the portal as a process, hammers it with keep-alive
// connections, and prints for each scenario req/s, p50/p99/max latency,
// errors and the portal's peak memory, beside its ceiling: a bare Fiber
// handler, and one running tracking's SQL with no middleware.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	_ "github.com/lib/pq"
	"github.com/valyala/fasthttp"
)

type options struct {
	store, dsn      string
	dossiers, conns int
	kiosks, tickets int
	dur             time.Duration
	grow            bool
	growSizes       []int
	procSizes       []int
	sse             int
	profile         string
	profileOf       string
	instances       int
	rounds          int
	only            []string
}

func main() {
	if os.Getenv(envCeilingDB) != "" {
		os.Exit(serveCeilingProcess(os.Getenv))
	}
	var o options
	var grow, procs string
	flag.StringVar(&o.store, "store", "sqlite", "sqlite or postgres")
	flag.StringVar(&o.dsn, "dsn", os.Getenv("MOTCUA_TEST_POSTGRES"), "PostgreSQL server DSN (postgres store): a fresh database is created on it and dropped after")
	flag.IntVar(&o.dossiers, "dossiers", 200000, "dossiers to load (each with its events)")
	flag.IntVar(&o.conns, "conns", 64, "keep-alive connections of the load generator")
	flag.IntVar(&o.kiosks, "kiosks", 64, "enrolled kiosks issuing tickets at once")
	flag.IntVar(&o.tickets, "tickets", 2000, "tickets already issued today before the run")
	flag.DurationVar(&o.dur, "duration", 10*time.Second, "length of each scenario")
	flag.BoolVar(&o.grow, "grow", false, "also measure how tracking and search grow with the volume (long)")
	flag.StringVar(&grow, "grow-dossiers", "10000,100000,1000000", "dossier counts for -grow")
	flag.StringVar(&procs, "grow-procedures", "1000,10000,50000", "procedure counts for -grow")
	flag.IntVar(&o.sse, "sse", 5000, "live event subscribers to one office (0 skips)")
	flag.StringVar(&o.profile, "profile", "", "directory for CPU and heap profiles of the portal under the mixed load")
	flag.StringVar(&o.profileOf, "profile-scenario", "mix", "profile the scenarios whose name contains this (sse: the heap and goroutines under the streams)")
	flag.IntVar(&o.rounds, "rounds", 4, "slices in which a scenario with a budget alternates with its ceiling")
	flag.IntVar(&o.instances, "instances", 2, "portal instances for the ticket scenario on PostgreSQL")
	var only string
	flag.StringVar(&only, "only", "", "comma-separated words: run only the scenarios whose name contains one of them (the ceilings always run)")
	flag.Parse()
	for _, w := range strings.Split(only, ",") {
		if w = strings.TrimSpace(w); w != "" {
			o.only = append(o.only, w)
		}
	}
	var err error
	if o.rounds < 1 {
		err = fmt.Errorf("-rounds %d: want at least 1", o.rounds)
	} else if o.growSizes, err = ints(grow); err == nil {
		o.procSizes, err = ints(procs)
	}
	if err == nil {
		err = run(o, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(f), &n); err != nil || n <= 0 {
			return nil, fmt.Errorf("bad count %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// fresh makes an empty store and returns its DATABASE_URL and a cleanup.
func fresh(o options, dir string) (string, func(), error) { return freshNamed(o, dir, "") }

func freshNamed(o options, dir, suffix string) (string, func(), error) {
	switch o.store {
	case "sqlite":
		return "sqlite:" + filepath.Join(dir, "motcua.db"), func() {}, nil
	case "postgres":
		if o.dsn == "" {
			return "", nil, errors.New("-store postgres needs -dsn (or MOTCUA_TEST_POSTGRES)")
		}
		admin, err := sql.Open("postgres", o.dsn)
		if err != nil {
			return "", nil, err
		}
		name := fmt.Sprintf("motcua_load_%d%s", os.Getpid(), suffix)
		if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
			admin.Close()
			return "", nil, fmt.Errorf("create database: %w", err)
		}
		u, err := url.Parse(o.dsn)
		if err != nil {
			admin.Close()
			return "", nil, err
		}
		u.Path = "/" + name
		return u.String(), func() {
			_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			admin.Close()
		}, nil
	}
	return "", nil, fmt.Errorf("-store: want sqlite or postgres, not %q", o.store)
}

func run(o options, out io.Writer) error {
	logf := func(f string, a ...any) { fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+f+"\n", a...) }
	files := raiseFiles()
	dir, err := os.MkdirTemp("", "motcua-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "portal")
	logf("building the portal")
	build := exec.Command("go", "build", "-o", bin, "./portal")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build ./portal (run the command from the repository's root): %w", err)
	}
	dbURL, cleanup, err := fresh(o, dir)
	if err != nil {
		return err
	}
	defer cleanup()
	ctx := context.Background()
	e, err := openApp(ctx, dbURL, dir)
	if err != nil {
		return err
	}
	defer e.Close()
	f, err := seed(ctx, e, o.dossiers, o.kiosks, o.tickets, logf)
	if err != nil {
		return err
	}
	ceilAddr, stopCeil, err := ceilingProcess(dbURL, dir)
	if err != nil {
		return err
	}
	defer stopCeil()

	logPath := filepath.Join(dir, "portal.log")
	var extra []string
	pprofAddr := ""
	if o.profile != "" {
		if pprofAddr, err = freeAddr(); err != nil {
			return err
		}
		extra = append(extra, "MOTCUA_PPROF_ADDR="+pprofAddr)
	}
	p, err := startPortal(bin, dbURL, dir, logPath, extra...)
	if err != nil {
		return err
	}
	defer p.stop()
	time.Sleep(time.Second)
	idle := procStatus(p.pid(), "VmRSS")
	// A second start on the existing database: the time an operator waits.
	p.stop()
	if p, err = startPortal(bin, dbURL, dir, logPath, extra...); err != nil {
		return err
	}
	defer p.stop()
	logf("portal ready in %s, idle %.1f MB", p.ready.Round(time.Millisecond), idle)

	home, procPage := wireSize(p.addr, "/"), wireSize(p.addr, "/procedures/"+f.procedures[0])

	pc := []*fasthttp.HostClient{newClient(p.addr, o.conns)}
	cc := []*fasthttp.HostClient{newClient(ceilAddr, o.conns)}
	rng := func(w, i int) int { return (w*7919 + i*104729) % f.dossiers }
	words := []string{"khai sinh", "ket hon", "dat dai", "chung thuc", "ho kinh doanh", "xay dung", "giay phep", "cu tru", "nuoi con nuoi", "tu phap"}
	get := func(path func(w, i int) string) request {
		return func(w, i int, req *fasthttp.Request) {
			req.SetRequestURI(path(w, i))
			req.Header.Set("Accept-Encoding", "gzip")
		}
	}
	track := func(w, i int) string {
		return "/api/v1/dossiers/" + dossierCode(rng(w, i)) + "?phone=" + url.QueryEscape(loadAsked)
	}
	trackPage := func(w, i int) string {
		return "/track?code=" + dossierCode(rng(w, i)) + "&phone=" + url.QueryEscape(loadAsked)
	}
	search := func(w, i int) string { return "/api/v1/procedures?q=" + url.QueryEscape(words[(w+i)%len(words)]) }
	page := func(w, i int) string { return "/procedures/" + f.procedures[(w+i)%len(f.procedures)] }
	issue := func(w, i int, req *fasthttp.Request) {
		req.SetRequestURI("/api/v1/offices/" + loadOffice + "/tickets")
		req.Header.SetMethod("POST")
		req.Header.SetContentType("application/json")
		req.Header.SetCookie("motcua_kiosk", f.kioskSecrets[w%len(f.kioskSecrets)])
		req.SetBodyString(`{"service":"` + f.services[(w+i)%len(f.services)] + `"}`)
	}
	numbers := make([][]string, o.conns)
	ticketOK := func(w int, resp *fasthttp.Response) bool {
		if resp.StatusCode() != 201 {
			return false
		}
		var t struct{ ID, Number string }
		if json.Unmarshal(resp.Body(), &t) != nil {
			return false
		}
		numbers[w] = append(numbers[w], t.Number)
		return true
	}
	var profiles []string
	// run measures a scenario; with a ceiling (cl, cnext) it alternates
	// slices of the two, o.rounds of each, so that both see the machine
	// alike: on shared cores, a minute's drift moves the figures of runs
	// made one after the other more than the difference being measured.
	run := func(name string, clients []*fasthttp.HostClient, conns int, next request, ok check, cl []*fasthttp.HostClient, cnext request) result {
		if !strings.HasPrefix(name, "ceiling:") && !o.runs(name) {
			return result{Name: name, Skipped: true}
		}
		if p != nil {
			resetPeak(p.pid())
		}
		var stopProfile func() []string
		if o.profile != "" && strings.Contains(name, o.profileOf) && !strings.HasPrefix(name, "ceiling:") {
			stopProfile = profile(pprofAddr, o.profile, profileName(name), o.dur)
		}
		var r result
		if cl == nil {
			r = hammer(name, clients, conns, o.dur, next, ok)
		} else {
			var c result
			slice := o.dur / time.Duration(o.rounds)
			for k := range o.rounds {
				if k == 0 {
					c, r = hammer("", cl, conns, slice, cnext, status(200)), hammer(name, clients, conns, slice, next, ok)
					continue
				}
				c = merge(c, hammer("", cl, conns, slice, cnext, status(200)))
				r = merge(r, hammer(name, clients, conns, slice, next, ok))
			}
			r.Paired = c.RPS()
		}
		if stopProfile != nil {
			profiles = append(profiles, stopProfile()...)
		}
		if clients[0] != cc[0] {
			r.PeakMB = procStatus(p.pid(), "VmHWM")
		}
		logf("%-28s %8.0f req/s p99 %s errors %d", name, r.RPS(), r.P99.Round(10*time.Microsecond), r.Errors)
		return r
	}
	scenario := func(name string, clients []*fasthttp.HostClient, conns int, next request, ok check) result {
		return run(name, clients, conns, next, ok, nil, nil)
	}
	var rs []result
	bareReq := get(func(int, int) string { return "/bare" })
	trackReq := get(func(w, i int) string { return "/track/" + dossierCode(rng(w, i)) })
	bare := scenario("ceiling: bare Fiber", cc, o.conns, bareReq, status(200))
	ceilTrack := scenario("ceiling: tracking SQL", cc, o.conns, trackReq, status(200))
	rs = append(rs, bare, ceilTrack)
	vs := func(r result, c result) result {
		r.Ceiling = c.Name
		if r.Paired > 0 {
			r.Ceiling += fmt.Sprintf(", alternating: %.0f req/s", r.Paired)
			r.Ratio = r.RPS() / r.Paired
		} else if c.RPS() > 0 {
			r.Ratio = r.RPS() / c.RPS()
		}
		return r
	}
	// The scenarios with a budget on their ratio run beside their ceiling.
	against := func(name string, next request, c result, cnext request) result {
		return vs(run(name, pc, o.conns, next, status(200), cc, cnext), c)
	}
	rs = append(rs, against("/healthz, full middleware", get(func(int, int) string { return "/healthz" }), bare, bareReq))
	rs = append(rs, against("search API", get(search), bare, bareReq))
	rs = append(rs, vs(scenario("procedure page", pc, o.conns, get(page), status(200)), bare))
	rs = append(rs, against("tracking API", get(track), ceilTrack, trackReq))
	rs = append(rs, against("tracking page", get(trackPage), ceilTrack, trackReq))
	rs = append(rs, vs(scenario("scorecard API", pc, o.conns, get(func(int, int) string { return "/api/v1/scorecard?unit=" + loadUnit }), status(200)), bare))
	tk := vs(scenario(fmt.Sprintf("tickets, %d kiosks", len(f.kioskSecrets)), pc, len(f.kioskSecrets), issue, ticketOK), bare)
	tk.Note = joinNote(tk.Note, dupNote(numbers))
	rs = append(rs, tk)
	// Tickets from two instances on one PostgreSQL: the budget's case.
	if o.store == "postgres" && o.instances > 1 {
		var ps []*portal
		clients := []*fasthttp.HostClient{pc[0]}
		for k := 1; k < o.instances; k++ {
			q, err := startPortal(bin, dbURL, dir, logPath)
			if err != nil {
				return err
			}
			defer q.stop()
			ps = append(ps, q)
			clients = append(clients, newClient(q.addr, o.conns))
		}
		numbers = make([][]string, o.conns)
		r := vs(scenario(fmt.Sprintf("tickets, %d instances", o.instances), clients, len(f.kioskSecrets), issue, ticketOK), bare)
		r.Note = joinNote(r.Note, dupNote(numbers))
		rs = append(rs, r)
		for _, q := range ps {
			q.stop()
		}
	}
	mix := func(w, i int, req *fasthttp.Request) {
		switch n := (w*31 + i) % 10; {
		case n < 4:
			get(search)(w, i, req)
		case n < 7:
			get(page)(w, i, req)
		case n < 8:
			get(trackPage)(w, i, req)
		case n < 9:
			get(track)(w, i, req)
		default:
			issue(w, i, req)
		}
	}
	mixOK := func(w int, resp *fasthttp.Response) bool { return resp.StatusCode() == 200 || resp.StatusCode() == 201 }
	rs = append(rs, vs(scenario("mix 70/20/10", pc, o.conns, mix, mixOK), bare))

	var sse *sseResult
	if o.sse > 0 {
		logf("SSE: %d subscribers (open files limit %d)", o.sse, files)
		dir := ""
		if strings.Contains("sse", o.profileOf) {
			dir = o.profile
		}
		r, ps := sseRun(p, o.sse, f.counterIDs[0], f.counterToken, pprofAddr, dir)
		profiles = append(profiles, ps...)
		sse = &r
	}
	var grows []growRow
	if o.grow {
		if grows, err = growRun(ctx, o, e, bin, dbURL, dir, logPath, f, logf); err != nil {
			return err
		}
	}

	cores := nproc()
	fmt.Fprintf(out, "\nmotcua load: %s store, %d dossiers, %d procedures, %d connections, %s per scenario, %d cores (load generator on the same cores; load average %s)\n\n",
		o.store, f.dossiers, len(f.procedures), o.conns, o.dur, cores, loadavg())
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\treq/s\tp50\tp99\tmax\terrors\tpeak MB\tratio\tof\t")
	for _, r := range rs {
		if r.Skipped {
			continue
		}
		ratio, peak := "", ""
		if r.Ceiling != "" {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		if r.PeakMB > 0 {
			peak = fmt.Sprintf("%.0f", r.PeakMB)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t\n", r.Name, r.RPS(), ms(r.P50), ms(r.P99), ms(r.Max), r.Errors, peak, ratio, r.Ceiling)
	}
	tw.Flush()
	fmt.Fprintf(out, "  (ratio: req/s over the ceiling's; \"alternating\": over the ceiling's measured in %d slices alternating with the scenario's)\n", o.rounds)
	for _, r := range rs {
		if r.Note != "" && !r.Skipped {
			fmt.Fprintf(out, "  %s: %s\n", r.Name, r.Note)
		}
	}
	fmt.Fprintf(out, "\nportal: start to ready %s on an existing database; idle memory %.1f MB; home page %d B, procedure page %d B on the wire (gzip)\n",
		p.ready.Round(time.Millisecond), idle, home, procPage)
	if sse != nil {
		fmt.Fprintf(out, "\nSSE: %d subscribers, %d connected in %s, %d received the call: p50 %s p99 %s max %s; portal peak %.0f MB %s\n",
			sse.Subscribers, sse.Connected, sse.Connect.Round(time.Millisecond), sse.Received, ms(sse.P50), ms(sse.P99), ms(sse.Max), sse.PeakMB, sse.Note)
	}
	if len(grows) > 0 {
		printGrow(out, grows)
	}
	if len(profiles) > 0 {
		kept := filepath.Join(o.profile, "portal")
		if b, err := os.ReadFile(bin); err == nil && os.WriteFile(kept, b, 0o755) == nil {
			bin = kept
		}
		fmt.Fprintf(out, "\nprofiles of the portal under %q: %s (go tool pprof -top %s %s)\n", o.profileOf, strings.Join(profiles, ", "), bin, profiles[0])
	}
	return nil
}

// profileName is a scenario's name as a file name: "tracking API" is
// tracking-api.
func profileName(name string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, name), "-")
}

// runs reports whether -only lets the scenario named name run.
func (o options) runs(name string) bool {
	if len(o.only) == 0 {
		return true
	}
	for _, w := range o.only {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}

// dupNote counts the tickets issued and any number given twice: the load
// issues at one office on one day, where a number must be unique.
func dupNote(numbers [][]string) string {
	seen, dups, n := map[string]bool{}, 0, 0
	for _, ws := range numbers {
		for _, id := range ws {
			n++
			if seen[id] {
				dups++
			}
			seen[id] = true
		}
	}
	return fmt.Sprintf("%d tickets issued, %d duplicates", n, dups)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }

// wireSize is a page's size on the wire with gzip, as a browser gets it.
func wireSize(addr, path string) int {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + addr + path)
	req.Header.Set("Accept-Encoding", "gzip, br")
	if err := (&fasthttp.Client{}).DoTimeout(req, resp, 10*time.Second); err != nil {
		return -1
	}
	return len(resp.Body())
}

func nproc() int {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return 0
	}
	var n int
	fmt.Sscan(string(out), &n)
	return n
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
