package main

import (
	"github.com/gofiber/fiber/v2"

	"motcua/kiosk"
)

// mountKiosk adds kiosk mode's pages (/kiosk, /display, /counter, /t and the
// office summary under /desk). Kiosk mode gets from the portal the queue,
// the assets, the translations, and the staff sign-in and CSRF checks for
// the counter console and the summary.
func (s *server) mountKiosk(r fiber.Router) {
	kiosk.Mount(r, kiosk.Deps{
		Queue: s.queue, Ratings: s.ratings, Assets: s.assets, Text: s.text, Lang: langOf, PublicURL: s.cfg.PublicURL,
		Staff: s.requireStaff, StaffOf: staffOf, CSRF: s.csrfToken, Now: s.now, Issuer: s.issuerOf,
		BotUsername: s.db.BotUsername,
	})
}
