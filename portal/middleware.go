package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

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
// so that a citizen's report can be matched to the log.
func (s *server) requestID(c *fiber.Ctx) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Locals(localRequestID, id)
	c.Set("X-Request-ID", id)
	return c.Next()
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
	s.log.Info("request", "request_id", requestIDOf(c), "method", c.Method(), "path", c.Path(),
		"route", route, "status", status, "duration_ms", float64(dur.Microseconds())/1000, "ip", c.IP())
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
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; media-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if strings.HasPrefix(s.cfg.PublicURL, "https://") {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// compressConfig skips event streams, which must be flushed as they are
// written.
var compressConfig = compress.Config{
	Level: compress.LevelBestSpeed,
	Next:  func(c *fiber.Ctx) bool { return strings.HasSuffix(c.Path(), "/events") },
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
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	c.Set(fiber.HeaderContentLanguage, lang)
	return c.Next()
}

// tr returns the request's translator.
func (s *server) tr(c *fiber.Ctx) *i18n.Translator {
	lang, _ := c.Locals(localLang).(string)
	return s.text.For(lang)
}

func langOf(c *fiber.Ctx) string {
	lang, _ := c.Locals(localLang).(string)
	return lang
}
