package main

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
)

// healthz answers while the process runs.
func (s *server) healthz(c *fiber.Ctx) error {
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	return c.Send(healthzBody)
}

var (
	healthzBody     = []byte(`{"status":"ok"}`)
	contentTypeJSON = []byte(fiber.MIMEApplicationJSON)
)

// readyz answers 200 only while the store does.
func (s *server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("not ready", "request_id", requestIDOf(c), "err", err)
		return apperr.As(err)
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

// static serves an embedded asset by its hashed name, cached for a year:
// the name changes whenever the content does.
func (s *server) static(c *fiber.Ctx) error {
	body, ct, ok := s.assets.Lookup(c.Params("file"))
	if !ok {
		return apperr.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, ct)
	return c.Send(body)
}

// favicon answers the icon browsers ask for on every page (/favicon.ico),
// embedded with the other static files.
func (s *server) favicon(c *fiber.Ctx) error {
	body, ok := s.assets.Body("favicon.ico")
	if !ok {
		return apperr.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, "image/x-icon")
	return c.Send(body)
}
