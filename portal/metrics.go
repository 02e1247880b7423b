package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"motcua/internal/catalog"
)

// metrics is the portal's own registry: no global state, so tests can start
// several portals in one process.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	children sync.Map // routeKey → *routeMetrics, so that a request does not hash its labels
}

type routeKey struct {
	method, route string
	status        int
}

type routeMetrics struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func newMetrics(cat *catalog.Service) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "motcua_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
	}
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "motcua_catalog_procedures", Help: "Procedures in the in-memory catalog.",
		}, func() float64 { return float64(cat.Count()) }),
	)
	return m
}

// observe records one request. The route pattern, not the path, is the
// label, so codes and IDs do not explode the series.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	k := routeKey{method, route, status}
	rm, ok := m.children.Load(k)
	if !ok {
		rm, _ = m.children.LoadOrStore(k, &routeMetrics{
			requests: m.requests.WithLabelValues(method, route, strconv.Itoa(status)),
			duration: m.duration.WithLabelValues(method, route),
		})
	}
	r := rm.(*routeMetrics)
	r.requests.Inc()
	r.duration.Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// serveMetrics serves /metrics alone on ln (MOTCUA_METRICS_ADDR) until ctx
// ends.
func (m *metrics) serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
