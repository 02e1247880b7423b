package main

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
)

// metricsAccess lets /metrics answer only the machine itself and the
// configured proxies (MOTCUA_TRUSTED_PROXIES) when it has no listener of its
// own (MOTCUA_METRICS_ADDR): it names routes, goroutines and open files.
// A request a proxy forwards for someone else is judged by that someone, so
// that a public client cannot reach it through the proxy. Anyone else gets
// the same 404 as an unknown path.
func (s *server) metricsAccess(c *fiber.Ctx) error {
	if !s.internalAddr(c.Context().RemoteIP().String()) {
		return apperr.ErrNotFound
	}
	if fwd := c.Get(fiber.HeaderXForwardedFor); fwd != "" {
		for _, a := range strings.Split(fwd, ",") {
			if !s.internalAddr(strings.TrimSpace(a)) {
				return apperr.ErrNotFound
			}
		}
	}
	return c.Next()
}

// internalAddr reports whether addr is a loopback address or one of the
// trusted proxies.
func (s *server) internalAddr(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	if ip.IsLoopback() {
		return true
	}
	for _, p := range s.cfg.TrustedProxies {
		if pre, err := netip.ParsePrefix(p); err == nil {
			if pre.Contains(ip) {
				return true
			}
		} else if a, err := netip.ParseAddr(p); err == nil && a.Unmap() == ip {
			return true
		}
	}
	return false
}
