package main

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"motcua/internal/staff"
)

// routes is the portal's one route list.
func (s *server) routes(app *fiber.App) {
	app.Use(s.requestID, s.observe, s.recoverPanic, s.securityHeaders, compress.New(compressConfig), s.language)

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	if s.cfg.MetricsAddr == "" {
		app.Get("/metrics", s.metricsAccess, adaptor.HTTPHandler(s.metrics.handler()))
	}
	app.Get("/static/:file", s.static)

	app.Get("/api/openapi.json", s.apiOpenAPI)
	api := app.Group("/api/v1")
	api.Get("/procedures", s.apiProcedures)
	api.Get("/procedures/:code", s.apiProcedure)
	api.Get("/offices", s.apiOffices)
	api.Get("/offices/:office/queue", s.apiQueue)
	api.Post("/offices/:office/tickets", s.apiIssueTicket)
	api.Get("/offices/:office/events", s.apiOfficeEvents)
	api.Get("/tickets/:id", s.apiTicket)
	api.Post("/counters/:id/:action", s.requireStaffOrToken("counter"), s.counterAction)
	api.Get("/dossiers/:code", s.lookupLimit, s.apiDossier)
	api.Put("/sync/dossiers/:code", s.requireToken("sync"), s.apiSyncDossier)
	api.Get("/scorecard", s.apiScorecard)
	api.Get("/scorecard/ranking", s.apiScorecardRanking)
	api.Use(s.apiNotFound)

	app.Get("/", s.pageHome)
	app.Get("/procedures", s.pageProcedures)
	app.Get("/procedures/:code", s.pageProcedure)
	app.Get("/scorecard", s.pageScorecard)

	app.Get("/desk/login", s.deskLoginForm)
	app.Post("/desk/login", s.verifyCSRF, s.deskLogin)
	app.Post("/desk/logout", s.requireStaff(), s.deskLogout)
	app.Get("/desk", s.requireStaff(), s.deskHome)
	app.Get("/desk/scorecard", s.requireStaff(), s.deskScorecard)
	app.Post("/desk/scorecard", s.requireStaff(), s.deskScorecard)

	s.mountKiosk(app)

	app.Get("/track", s.lookupLimit, s.pageTrack)
	app.Get("/desk/dossiers", s.requireStaff(), s.deskDossiers)
	app.Get("/desk/dossiers/new", s.requireStaff(), s.deskNewDossier)
	app.Post("/desk/dossiers", s.requireStaff(), s.deskReceive)
	app.Get("/desk/dossiers/:code", s.requireStaff(), s.deskDossier)
	app.Post("/desk/dossiers/:code/status", s.requireStaff(), s.deskTransition)
	app.Post("/desk/dossiers/:code/apology", s.requireStaff(staff.RoleAdmin, staff.RoleOfficer), s.deskApologize)
	app.Get("/desk/dossiers/:code/receipt", s.requireStaff(), s.deskReceipt)
	app.Get("/desk/dossiers/:code/apology", s.requireStaff(), s.deskApologyLetter)
	app.Get("/desk/offices", s.requireStaff(staff.RoleAdmin), s.deskOffices)
	app.Post("/desk/offices", s.requireStaff(staff.RoleAdmin), s.deskCreateOffice)
	app.Get("/desk/offices/:office", s.requireStaff(staff.RoleAdmin), s.deskOffice)
	app.Post("/desk/offices/:office/:kind?/:key?", s.requireStaff(staff.RoleAdmin), s.deskOfficeSave)

	app.Use(s.pageNotFound)
}
