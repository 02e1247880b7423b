package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"
	"github.com/valyala/fasthttp"
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

// startCeiling serves the ceilings on addr: a bare Fiber handler with no
// middleware (/bare), and one that runs tracking's two statements with no
// middleware, templates or i18n (/track/{code}). It runs in a process of its
// own (ceilingProcess), as the portal does, so that both sides of a ratio
// share the cores with the load generator in the same way.
func startCeiling(x *sqlx.DB, addr string) (string, func(), error) {
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
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	go func() { _ = app.Listener(ln) }()
	return ln.Addr().String(), func() { _ = app.Shutdown() }, nil
}

// Environment of the ceiling's own process: the load tool starts itself
// again with these set (ceilingProcess).
const (
	envCeilingDB   = "MOTCUA_LOAD_CEILING_DB"
	envCeilingDir  = "MOTCUA_LOAD_CEILING_DIR"
	envCeilingAddr = "MOTCUA_LOAD_CEILING_ADDR"
)

// serveCeilingProcess is the ceiling's own process: it opens the store as
// the portal does (the same pool) and serves the ceilings until SIGTERM.
func serveCeilingProcess(getenv func(string) string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	e, err := openApp(ctx, getenv(envCeilingDB), getenv(envCeilingDir))
	if err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		return 1
	}
	defer e.Close()
	dialect := "sqlite"
	if e.Cfg.IsPostgres() {
		dialect = "postgres"
	}
	_, stopCeil, err := startCeiling(sqlx.NewDb(e.DB.SQL(), dialect), getenv(envCeilingAddr))
	if err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		return 1
	}
	<-ctx.Done()
	stopCeil()
	return 0
}

// ceilingProcess starts the ceilings in a process of their own on the
// store at dbURL and waits until they answer.
func ceilingProcess(dbURL, dataDir string) (string, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), envCeilingDB+"="+dbURL, envCeilingDir+"="+dataDir, envCeilingAddr+"="+addr)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	p := &portal{cmd: cmd, addr: addr}
	c := &fasthttp.Client{}
	for t0 := time.Now(); time.Since(t0) < time.Minute; time.Sleep(5 * time.Millisecond) {
		if code, _, err := c.GetTimeout(nil, "http://"+addr+"/bare", time.Second); err == nil && code == 200 {
			return addr, p.stop, nil
		}
	}
	p.stop()
	return "", nil, fmt.Errorf("the ceiling process did not answer within a minute")
}
