package main

import (
	"database/sql"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"
)

// The SQL tracking ran before it became one statement (internal/store,
// DB.Dossier): the dossier, then its events, neither prepared.
const (
	ceilingDossierSQL = `SELECT code, procedure_code, unit_code, applicant_name, applicant_fold, applicant_phone, applicant_id, channel,
	papers, status, received_at, due_at, processing_days, due_fixed, finished_at, returned_at, digitized, e_result,
	reused_data, has_fee, paid_online, synced_national, apology_issued_at, apology_new_due, apology_reason,
	apology_by, apology_late, version, created_at, updated_at FROM dossiers WHERE code = ?`
	ceilingEventsSQL = `SELECT dossier_code, at, status, note, actor FROM dossier_events WHERE dossier_code = ? ORDER BY at, id`
)

type ceilingDossier struct {
	Code, ProcedureCode, UnitCode, ApplicantName, ApplicantFold, ApplicantPhone, ApplicantID, Channel, Papers, Status string
	ReceivedAt, DueAt                                                                                                 time.Time
	ProcessingDays                                                                                                    int
	DueFixed                                                                                                          bool
	FinishedAt, ReturnedAt                                                                                            sql.NullTime
	Digitized, EResult, ReusedData, HasFee, PaidOnline, SyncedNational                                                bool
	ApologyIssuedAt, ApologyNewDue                                                                                    sql.NullTime
	ApologyReason, ApologyBy                                                                                          string
	ApologyLate                                                                                                       bool
	Version                                                                                                           int
	CreatedAt, UpdatedAt                                                                                              time.Time
}

type ceilingEvent struct {
	DossierCode, Status, Note, Actor string
	At                               time.Time
}

// startCeiling serves the ceilings in the load tool's own process: a bare
// Fiber handler with no middleware (/bare), and one that runs tracking's
// two statements with no middleware, templates or i18n (/track/{code}).
func startCeiling(x *sqlx.DB) (string, func(), error) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/bare", func(c *fiber.Ctx) error { return c.SendString("ok") })
	qd, qe := x.Rebind(ceilingDossierSQL), x.Rebind(ceilingEventsSQL)
	app.Get("/track/:code", func(c *fiber.Ctx) error {
		var d ceilingDossier
		row := x.QueryRowContext(c.UserContext(), qd, c.Params("code"))
		if err := row.Scan(&d.Code, &d.ProcedureCode, &d.UnitCode, &d.ApplicantName, &d.ApplicantFold, &d.ApplicantPhone,
			&d.ApplicantID, &d.Channel, &d.Papers, &d.Status, &d.ReceivedAt, &d.DueAt, &d.ProcessingDays, &d.DueFixed,
			&d.FinishedAt, &d.ReturnedAt, &d.Digitized, &d.EResult, &d.ReusedData, &d.HasFee, &d.PaidOnline, &d.SyncedNational,
			&d.ApologyIssuedAt, &d.ApologyNewDue, &d.ApologyReason, &d.ApologyBy, &d.ApologyLate, &d.Version, &d.CreatedAt, &d.UpdatedAt); err != nil {
			return c.Status(404).SendString(err.Error())
		}
		rows, err := x.QueryContext(c.UserContext(), qe, d.Code)
		if err != nil {
			return c.Status(500).SendString(err.Error())
		}
		var evs []ceilingEvent
		for rows.Next() {
			var e ceilingEvent
			if err := rows.Scan(&e.DossierCode, &e.At, &e.Status, &e.Note, &e.Actor); err != nil {
				rows.Close()
				return c.Status(500).SendString(err.Error())
			}
			evs = append(evs, e)
		}
		rows.Close()
		return c.JSON(fiber.Map{"code": d.Code, "status": d.Status, "events": len(evs)})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = app.Listener(ln) }()
	return ln.Addr().String(), func() { _ = app.Shutdown() }, nil
}
