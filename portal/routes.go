package main

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"motcua/internal/dossier"
	"motcua/internal/staff"
)

// routes is the portal's one route list.
func (s *server) routes(app *fiber.App) {
	app.Use(s.requestID, s.observe, s.recoverPanic, s.securityHeaders, s.compress, s.language)

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	if s.cfg.MetricsAddr == "" {
		app.Get("/metrics", s.metricsAccess, adaptor.HTTPHandler(s.metrics.handler()))
	}
	app.Get("/static/:file", s.static)
	app.Get("/favicon.ico", s.favicon)

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
	api.Post("/dossiers/:code/ratings", s.lookupLimit, s.apiRateDossier)
	api.Post("/tickets/:id/ratings", s.lookupLimit, s.apiRateTicket)
	api.Get("/ratings/questions", s.apiRatingQuestions)
	api.Post("/feedback", s.lookupLimit, s.apiSubmitFeedback)
	api.Get("/feedback/:code", s.lookupLimit, s.apiFeedback)
	api.Post("/feedback/:code/verdict", s.lookupLimit, s.apiFeedbackVerdict)
	api.Get("/satisfaction", s.apiSatisfaction)
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
	app.Post("/track", s.sameSite, s.lookupLimit, s.trackSubmit)
	app.Get("/rate/:code", s.pageRate)
	app.Post("/rate/:code", s.verifyCSRF, s.lookupLimit, s.rateSubmit)
	app.Get("/feedback", s.pageFeedback)
	app.Post("/feedback", s.verifyCSRF, s.lookupLimit, s.feedbackSubmit)
	app.Get("/feedback/find", s.feedbackLookup)
	app.Get("/feedback/:code", s.lookupLimit, s.pageFeedbackItem)
	app.Post("/feedback/:code/verdict", s.verifyCSRF, s.lookupLimit, s.feedbackVerdict)
	app.Get("/satisfaction", s.pageSatisfaction)
	app.Get("/desk/dossiers", s.requireStaff(), s.deskDossiers)
	app.Get("/desk/dossiers/new", s.requireStaff(), s.deskNewDossier)
	app.Post("/desk/dossiers", s.requireStaff(), s.deskReceive)
	app.Get("/desk/dossiers/:code", s.requireStaff(), s.deskDossier)
	app.Post("/desk/dossiers/:code/status", s.requireStaff(), s.deskTransition)
	app.Post("/desk/dossiers/:code/apology", s.requireStaff(staff.RoleAdmin, staff.RoleHead, staff.RoleOfficer), s.deskApologize)
	app.Get("/desk/dossiers/:code/receipt", s.requireStaff(), s.deskReceipt)
	app.Get("/desk/dossiers/:code/apology", s.requireStaff(), s.deskApologyLetter)
	app.Get("/desk/dossiers/:code/supplement-request", s.requireStaff(), s.deskStepPaper(dossier.Supplement, "desk_supplement", "desk.supplement_paper.title"))
	app.Get("/desk/dossiers/:code/refusal", s.requireStaff(), s.deskStepPaper(dossier.Refused, "desk_refusal", "desk.refusal_paper.title"))
	app.Get("/desk/dossiers/:code/result-slip", s.requireStaff(), s.deskResultSlip)
	app.Get("/desk/offices", s.requireStaff(staff.RoleAdmin), s.deskOffices)
	app.Post("/desk/offices", s.requireStaff(staff.RoleAdmin), s.deskCreateOffice)
	app.Get("/desk/offices/:office", s.requireStaff(staff.RoleAdmin), s.deskOffice)
	app.Post("/desk/offices/:office/kiosks", s.requireStaff(staff.RoleAdmin), s.deskEnrolKiosk)
	app.Post("/desk/offices/:office/kiosks/:id/revoke", s.requireStaff(staff.RoleAdmin), s.deskRevokeKiosk)
	app.Post("/desk/offices/:office/:kind/:key/:action", s.requireStaff(staff.RoleAdmin), s.deskOfficeRetire)
	app.Post("/desk/offices/:office/:kind?/:key?", s.requireStaff(staff.RoleAdmin), s.deskOfficeSave)
	app.Get("/desk/offices/:office/:kind/:key?/:action?", s.requireStaff(staff.RoleAdmin), s.deskOfficeAfterPost)

	app.Get("/desk/units", s.requireStaff(staff.RoleAdmin), s.deskUnits)
	app.Get("/desk/units/:code", s.requireStaff(staff.RoleAdmin), s.deskUnit)
	app.Post("/desk/units/:code", s.requireStaff(staff.RoleAdmin), s.deskUnitSave)
	app.Get("/desk/staff", s.requireStaff(staff.RoleAdmin), s.deskStaff)
	app.Get("/desk/staff/:username", s.requireStaff(staff.RoleAdmin), s.deskAccount)
	app.Post("/desk/staff/:username/:action", s.requireStaff(staff.RoleAdmin), s.deskAccountSave)
	app.Get("/desk/tokens", s.requireStaff(staff.RoleAdmin), s.deskTokens)
	app.Post("/desk/tokens/:id/revoke", s.requireStaff(staff.RoleAdmin), s.deskRevokeToken)

	app.Get("/desk/feedback", s.requireStaff(), s.deskFeedbackList)
	app.Post("/desk/feedback/settings", s.requireStaff(staff.RoleAdmin, staff.RoleHead), s.deskFeedbackSettings)
	app.Get("/desk/feedback/:code", s.requireStaff(), s.deskFeedback)
	app.Post("/desk/feedback/:code/:action", s.requireStaff(), s.deskFeedbackAction)
	app.Get("/desk/follow-ups", s.requireStaff(staff.RoleAdmin, staff.RoleHead), s.deskFollowUps)
	app.Get("/desk/follow-ups/:id", s.requireStaff(staff.RoleAdmin, staff.RoleHead), s.deskFollowUp)
	app.Post("/desk/follow-ups/:id", s.requireStaff(staff.RoleAdmin, staff.RoleHead), s.deskCloseFollowUp)

	app.Use(s.pageNotFound)
}
