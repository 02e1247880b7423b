package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// raiseFiles lifts this process's open-file limit to its hard limit (the
// portal, started after, inherits it): 5,000 streams are 10,000 sockets on
// one machine.
func raiseFiles() uint64 {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) != nil {
		return 0
	}
	l.Cur = l.Max
	_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	return l.Cur
}

// sseResult is the line of the streams table.
type sseResult struct {
	Subscribers, Connected, Received int
	Connect                          time.Duration
	P50, P99, Max                    time.Duration
	PeakMB                           float64
	Note                             string
}

// sseRun opens n streams of the office's events, then has a counter call
// the next ticket and measures when each stream hears of it. With a
// profile directory, the portal's heap and goroutines are written there
// once every stream is open.
func sseRun(p *portal, n int, counterID int64, token, pprofAddr, dir string) (sseResult, []string) {
	var profiles []string
	res := sseResult{Subscribers: n}
	resetPeak(p.pid())
	var (
		connected sync.WaitGroup
		done      sync.WaitGroup
		ok        atomic.Int64
		mu        sync.Mutex
		lat       []time.Duration
		sent      atomic.Int64 // UnixNano of the call
	)
	conns := make([]net.Conn, 0, n)
	var cmu sync.Mutex
	t0 := time.Now()
	sem := make(chan struct{}, 200)
	for i := 0; i < n; i++ {
		connected.Add(1)
		done.Add(1)
		sem <- struct{}{}
		go func() {
			defer done.Done()
			c, err := net.DialTimeout("tcp", p.addr, 10*time.Second)
			if err != nil {
				<-sem
				connected.Done()
				return
			}
			cmu.Lock()
			conns = append(conns, c)
			cmu.Unlock()
			fmt.Fprintf(c, "GET /api/v1/offices/%s/events HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", loadOffice, p.addr)
			r := bufio.NewReader(c)
			_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
			hello := false
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					if !hello {
						<-sem
						connected.Done()
					}
					return
				}
				if !hello && strings.HasPrefix(line, ": connected") {
					hello = true
					ok.Add(1)
					<-sem
					connected.Done()
					continue
				}
				if hello && strings.HasPrefix(line, "event:") && sent.Load() != 0 {
					d := time.Since(time.Unix(0, sent.Load()))
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
					return
				}
			}
		}()
	}
	connected.Wait()
	res.Connect = time.Since(t0)
	res.Connected = int(ok.Load())
	time.Sleep(500 * time.Millisecond)
	if dir != "" && pprofAddr != "" {
		_ = os.MkdirAll(dir, 0o755)
		for _, name := range []string{"heap", "goroutine"} {
			path := filepath.Join(dir, name+"-sse.pprof")
			if fetch("http://"+pprofAddr+"/debug/pprof/"+name, path, 30*time.Second) == nil {
				profiles = append(profiles, path)
			}
		}
	}
	sent.Store(time.Now().UnixNano())
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	req.SetRequestURI(fmt.Sprintf("http://%s/api/v1/counters/%d/next", p.addr, counterID))
	req.Header.SetMethod("POST")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.SetContentType("application/json")
	req.SetBodyString("{}")
	if err := (&fasthttp.Client{}).DoTimeout(req, resp, 10*time.Second); err != nil || resp.StatusCode() >= 300 {
		res.Note = fmt.Sprintf("the call failed: %v %d %.100s", err, resp.StatusCode(), resp.Body())
	}
	waited := make(chan struct{})
	go func() { done.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(20 * time.Second):
	}
	res.PeakMB = procStatus(p.pid(), "VmHWM")
	cmu.Lock()
	for _, c := range conns {
		c.Close()
	}
	cmu.Unlock()
	<-waited
	mu.Lock()
	res.Received = len(lat)
	res.P50, res.P99, res.Max = percentiles(lat)
	mu.Unlock()
	return res, profiles
}
