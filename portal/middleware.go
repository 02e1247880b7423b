package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
)

const (
	localRequestID = "request_id"
	localLang      = "lang"
	langCookie     = "lang"
)

// recoverPanic turns a panic into a logged internal error: the person sees a
// translated apology, never a stack trace.
func (s *server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = apperr.Wrap(apperr.Internal, "error.internal", fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
		}
	}()
	return c.Next()
}

// requestID gives every request an ID, returned in X-Request-ID and logged,
// so that a citizen's report can be matched to the log. The ID is 16 hex
// digits: a random prefix drawn once per process, then a counter, unique
// without a call to crypto/rand per request (README, "Performance").
func (s *server) requestID(c *fiber.Ctx) error {
	id := formatRequestID(s.requestIDs.Add(1))
	c.Locals(localRequestID, id)
	c.Response().Header.SetCanonical(headerRequestID, []byte(id))
	return c.Next()
}

var headerRequestID = []byte("X-Request-Id")

// newRequestIDs is the first request ID of a process: 32 random bits, then
// a counter from zero.
func newRequestIDs() *atomic.Uint64 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	n := new(atomic.Uint64)
	n.Store(uint64(binary.BigEndian.Uint32(b[:])) << 32)
	return n
}

func formatRequestID(n uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[n&0xf]
		n >>= 4
	}
	return string(b[:])
}

func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// observe logs each request as one JSON line and counts it. The query string
// is left out of the log: it can hold a phone number.
func (s *server) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// The error handler writes the response now, so the status is right.
		if herr := s.handleError(c, err); herr != nil {
			s.log.Error("write error response", "request_id", requestIDOf(c), "err", herr)
		}
	}
	status := c.Response().StatusCode()
	route := c.Route().Path
	dur := time.Since(start)
	s.metrics.observe(c.Method(), route, status, dur)
	if status < 400 && s.scorecard != nil {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		default:
			// A write may change what the scorecard counts: the cards it
			// keeps are computed again (scorecard.Service.Forget).
			s.scorecard.Forget()
		}
	}
	ms := float64(dur.Microseconds()) / 1000
	if s.access != nil {
		l := accessLine{at: start.Add(dur), requestID: requestIDOf(c), method: c.Method(), path: c.Path(), route: route,
			status: status, durationMS: ms, ip: c.IP()}
		_ = l.write(s.access)
		return nil
	}
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("request_id", requestIDOf(c)),
		slog.String("method", c.Method()), slog.String("path", c.Path()), slog.String("route", route),
		slog.Int("status", status), slog.Float64("duration_ms", ms), slog.String("ip", c.IP()))
	return nil
}

// securityHeaders sets a strict policy: everything comes from this host.
// Referrer-Policy is same-origin, not no-referrer, so that CSRF checks that
// compare the Referer work over HTTPS.
func (s *server) securityHeaders(c *fiber.Ctx) error {
	s.setSecurityHeaders(c)
	return c.Next()
}

func (s *server) setSecurityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	for _, kv := range securityHeaderValues {
		h.SetCanonical(kv[0], kv[1])
	}
	if s.https {
		h.SetCanonical(headerHSTS[0], headerHSTS[1])
	}
}

// The security headers, built once: the keys in canonical form, so that
// fasthttp copies them as they are.
var (
	securityHeaderValues = [][2][]byte{
		{[]byte("Content-Security-Policy"), []byte("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; media-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")},
		{[]byte("X-Content-Type-Options"), []byte("nosniff")},
		{[]byte("X-Frame-Options"), []byte("DENY")},
		{[]byte("Referrer-Policy"), []byte("same-origin")},
		{[]byte("Permissions-Policy"), []byte("camera=(), microphone=(), geolocation=()")},
		{[]byte("Cross-Origin-Opener-Policy"), []byte("same-origin")},
	}
	headerHSTS = [2][]byte{[]byte("Strict-Transport-Security"), []byte("max-age=31536000; includeSubDomains")}
)

// minCompress is the smallest body worth compressing: below about a kilobyte
// gzip's header and the CPU it costs win nothing on the wire.
const minCompress = 1024

// compressor compresses a response the client accepts compressed (brotli,
// gzip or deflate, fastest level).
var compressor = fasthttp.CompressHandlerBrotliLevel(func(*fasthttp.RequestCtx) {},
	fasthttp.CompressBrotliBestSpeed, fasthttp.CompressBestSpeed)

// compress compresses responses of a kilobyte and more. Event streams are
// left alone: they must be flushed as they are written.
func (s *server) compress(c *fiber.Ctx) error {
	if strings.HasSuffix(c.Path(), "/events") {
		return c.Next()
	}
	if err := c.Next(); err != nil {
		return err
	}
	resp := c.Response()
	if resp.IsBodyStream() || len(resp.Body()) < minCompress || len(resp.Header.ContentEncoding()) > 0 {
		return nil
	}
	compressor(c.Context())
	return nil
}

// language picks the reader's language: ?lang= (remembered in a cookie),
// then the cookie, then Accept-Language.
func (s *server) language(c *fiber.Ctx) error {
	q := c.Query("lang")
	if q != "" && s.text.Supported(q) {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: fiber.CookieSameSiteLaxMode, HTTPOnly: true, Secure: strings.HasPrefix(s.cfg.PublicURL, "https://")})
	}
	lang := s.text.Match([]string{q, c.Cookies(langCookie)}, c.Get(fiber.HeaderAcceptLanguage))
	c.Locals(localLang, lang)
	h := &c.Response().Header
	if len(h.Peek(fiber.HeaderVary)) == 0 {
		h.SetCanonical(headerVary, varyLanguage)
	} else {
		c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	}
	h.SetCanonical(headerContentLanguage, []byte(lang))
	return c.Next()
}

var (
	headerVary            = []byte(fiber.HeaderVary)
	headerContentLanguage = []byte(fiber.HeaderContentLanguage)
	varyLanguage          = []byte(fiber.HeaderAcceptLanguage + ", " + fiber.HeaderCookie)
)

// tr returns the request's translator.
func (s *server) tr(c *fiber.Ctx) *i18n.Translator {
	lang, _ := c.Locals(localLang).(string)
	return s.text.For(lang)
}

func langOf(c *fiber.Ctx) string {
	lang, _ := c.Locals(localLang).(string)
	return lang
}
