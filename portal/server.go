package main

import (
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/app"
	"motcua/internal/catalog"
	"motcua/internal/config"
	"motcua/internal/dossier"
	"motcua/internal/events"
	"motcua/internal/feedback"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/scorecard"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/unit"
	"motcua/internal/web"
	"motcua/internal/workday"
)

// server holds what the handlers share. Handlers parse input, call one
// service method and render the result.
type server struct {
	cfg         config.Config
	log         *slog.Logger
	db          *store.DB
	text        *i18n.Catalog
	catalog     *catalog.Service
	units       *unit.Service
	staff       *staff.Service
	assets      *web.Assets
	pages       *web.Renderer
	metrics     *metrics
	now         func() time.Time
	queue       *queue.Manager // queue numbers
	bus         events.Bus
	live        *liveStreams
	dossiers    *dossier.Service // dossiers
	lookupLimit fiber.Handler
	scorecard   *scorecard.Service // the 766 index
	calendar    *workday.Calendar  // the working days deadlines are counted with
	ratings     *rating.Service    // satisfaction
	feedback    *feedback.Service
	requestIDs  *atomic.Uint64 // the next request ID (requestID)
	https       bool           // the public URL is HTTPS: HSTS is sent
	searches    *searchCache   // the search API's answers
	access      io.Writer      // where the access log goes without slog (accessLine); nil: through s.log
}

// newServer builds the Fiber app with every middleware and route.
func newServer(e *app.App) (*server, *fiber.App, error) {
	assets, err := web.LoadAssets()
	if err != nil {
		return nil, nil, err
	}
	pages, err := web.NewRenderer(assets, portalPages())
	if err != nil {
		return nil, nil, err
	}
	s := &server{cfg: e.Cfg, log: e.Log, db: e.DB, text: e.Text, catalog: e.Catalog, units: e.Units, staff: e.Staff,
		assets: assets, pages: pages, metrics: newMetrics(e.Catalog), now: e.Now,
		scorecard: e.Scorecard, requestIDs: newRequestIDs(), searches: newSearchCache(), https: strings.HasPrefix(e.Cfg.PublicURL, "https://")}
	app := fiber.New(fiber.Config{
		// Handlers keep strings from the request; fasthttp would reuse the memory.
		Immutable:               true,
		DisableStartupMessage:   true,
		ErrorHandler:            s.handleError,
		BodyLimit:               1 << 20,
		ReadTimeout:             15 * time.Second,
		IdleTimeout:             90 * time.Second,
		ReadBufferSize:          8192,
		ProxyHeader:             proxyHeader(e.Cfg),
		EnableTrustedProxyCheck: len(e.Cfg.TrustedProxies) > 0,
		TrustedProxies:          e.Cfg.TrustedProxies,
		EnableIPValidation:      true,
		// ReduceMemoryUsage stays off: with it a keep-alive connection
		// gives its buffers back after each request and reads the next
		// one's first byte alone, one more system call per request, a
		// fifth of the portal's CPU under /healthz load. Live-event streams,
		// which would hold them for hours, take their connections over and
		// give them back (apiOfficeEvents).
	})
	// A live-event stream takes its connection over and closes it itself
	// (apiOfficeEvents).
	app.Server().KeepHijackedConns = true
	s.initQueue(e)
	if err := s.initDossiers(e); err != nil {
		return nil, nil, err
	}
	s.initSatisfaction(e)
	s.routes(app)
	return s, app, nil
}

// proxyHeader believes X-Forwarded-For only when proxies are configured, and
// then only from them (Fiber checks the peer against TrustedProxies).
func proxyHeader(cfg config.Config) string {
	if len(cfg.TrustedProxies) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}
