package main

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"motcua/internal/app"
	"motcua/internal/apperr"
)

// initDossiers gives the server the dossier service and the per-client
// limit on dossier look-ups.
func (s *server) initDossiers(e *app.App) error {
	s.dossiers = e.Dossiers
	s.lookupLimit = lookupLimiter(s.cfg.LookupPerMinute)
	s.calendar = e.Calendar
	s.metrics.registry.MustRegister(newCalendarCollector(e.Calendar, e.Now))
	recountDue(context.Background(), e)
	return nil
}

// lookupLimiter limits look-ups per client address and minute; 0 turns it
// off. The address is c.IP(), which believes X-Forwarded-For only from
// MOTCUA_TRUSTED_PROXIES (see newServer), so a client cannot escape the
// limit by sending the header itself. Look-ups, ratings and feedback share
// the limit (README, "Configuration"); opening an empty form does not count. The count is
// per instance.
func lookupLimiter(perMinute int) fiber.Handler {
	if perMinute <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return limiter.New(limiter.Config{
		Max:          perMinute,
		Expiration:   time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return c.IP() },
		// Opening an empty form does not count; every submitted look-up,
		// rating and piece of feedback does.
		Next: func(c *fiber.Ctx) bool { return safeMethod(c.Method()) && c.Query("phone") == "" },
		// The limiter has set Retry-After; the error handler keeps it.
		LimitReached: func(c *fiber.Ctx) error { return apperr.New(apperr.RateLimited, "error.rate_limited") },
	})
}
