package main

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// request fills req for the i-th request of a worker; check says whether
// the answer is the expected one (anything else is an error).
type request func(worker, i int, req *fasthttp.Request)
type check func(worker int, resp *fasthttp.Response) bool

// result is one scenario's line of the table.
type result struct {
	Name     string
	Reqs     int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
	Max      time.Duration
	PeakMB   float64 // the portal's VmHWM over the scenario; 0 for the ceilings
	Ceiling  string  // the ceiling it is compared with
	Ratio    float64
	Note     string
	Skipped  bool // left out by -only
	// Paired is the ceiling's throughput measured in slices alternating
	// with this scenario's (see pairedRun), when it was.
	Paired float64

	lat []time.Duration // every request's latency, for merging slices
}

// merge adds slice b of a scenario to a: requests, errors and time add up,
// and the percentiles are those of all the latencies.
func merge(a, b result) result {
	a.Reqs += b.Reqs
	a.Errors += b.Errors
	a.Elapsed += b.Elapsed
	a.lat = append(a.lat, b.lat...)
	a.Note = cmp.Or(a.Note, b.Note)
	a.P50, a.P99, a.Max = percentiles(slices.Clone(a.lat))
	return a
}

func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Reqs) / r.Elapsed.Seconds()
}

// client is one keep-alive client per target address.
func newClient(addr string, conns int) *fasthttp.HostClient {
	return &fasthttp.HostClient{Addr: addr, MaxConns: conns, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		MaxIdleConnDuration: time.Minute}
}

// hammer runs conns workers for d, each sending its requests back to back
// over keep-alive connections, and measures every request.
func hammer(name string, clients []*fasthttp.HostClient, conns int, d time.Duration, next request, ok check) result {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		all   []time.Duration
		errs  atomic.Int64
		first sync.Once
		msg   string
	)
	start := time.Now()
	deadline := start.Add(d)
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := clients[w%len(clients)]
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			lat := make([]time.Duration, 0, 4096)
			for i := 0; time.Now().Before(deadline); i++ {
				req.Reset()
				resp.Reset()
				next(w, i, req)
				req.Header.SetHost(c.Addr)
				t0 := time.Now()
				err := c.Do(req, resp)
				lat = append(lat, time.Since(t0))
				if err != nil || !ok(w, resp) {
					errs.Add(1)
					first.Do(func() {
						if err != nil {
							msg = err.Error()
						} else {
							b := resp.Body()
							msg = fmt.Sprintf("HTTP %d %.120s", resp.StatusCode(), b)
						}
					})
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	r := result{Name: name, Reqs: len(all), Errors: int(errs.Load()), Elapsed: time.Since(start), Note: msg}
	r.P50, r.P99, r.Max = percentiles(all)
	r.lat = all
	return r
}

func percentiles(all []time.Duration) (p50, p99, max time.Duration) {
	if len(all) == 0 {
		return 0, 0, 0
	}
	slices.Sort(all)
	at := func(q float64) time.Duration { return all[min(len(all)-1, int(q*float64(len(all))))] }
	return at(0.50), at(0.99), all[len(all)-1]
}

func status(want int) check {
	return func(_ int, resp *fasthttp.Response) bool { return resp.StatusCode() == want }
}
