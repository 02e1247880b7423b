package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/dossier"
	"motcua/internal/textfold"
)

// dossierRow is a dossier as stored: the applicant and the apology are
// flattened into columns.
type dossierRow struct {
	Code            string       `db:"code"`
	ProcedureCode   string       `db:"procedure_code"`
	UnitCode        string       `db:"unit_code"`
	ApplicantName   string       `db:"applicant_name"`
	ApplicantFold   string       `db:"applicant_fold"`
	ApplicantPhone  string       `db:"applicant_phone"`
	ApplicantID     string       `db:"applicant_id"`
	Channel         string       `db:"channel"`
	Papers          string       `db:"papers"`
	Status          string       `db:"status"`
	ReceivedAt      time.Time    `db:"received_at"`
	DueAt           time.Time    `db:"due_at"`
	ProcessingDays  int          `db:"processing_days"`
	DueFixed        bool         `db:"due_fixed"`
	FinishedAt      sql.NullTime `db:"finished_at"`
	ReturnedAt      sql.NullTime `db:"returned_at"`
	Digitized       bool         `db:"digitized"`
	EResult         bool         `db:"e_result"`
	ReusedData      bool         `db:"reused_data"`
	HasFee          bool         `db:"has_fee"`
	PaidOnline      bool         `db:"paid_online"`
	SyncedNational  bool         `db:"synced_national"`
	ApologyIssuedAt sql.NullTime `db:"apology_issued_at"`
	ApologyNewDue   sql.NullTime `db:"apology_new_due"`
	ApologyReason   string       `db:"apology_reason"`
	ApologyBy       string       `db:"apology_by"`
	ApologyLate     bool         `db:"apology_late"`
	Version         int          `db:"version"`
	CreatedAt       time.Time    `db:"created_at"`
	UpdatedAt       time.Time    `db:"updated_at"`
}

const dossierColumns = `code, procedure_code, unit_code, applicant_name, applicant_fold, applicant_phone, applicant_id, channel,
	papers, status, received_at, due_at, processing_days, due_fixed, finished_at, returned_at, digitized, e_result,
	reused_data, has_fee, paid_online, synced_national, apology_issued_at, apology_new_due, apology_reason,
	apology_by, apology_late, version, created_at, updated_at`

func nullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

func toRow(d *dossier.Dossier, now time.Time) dossierRow {
	r := dossierRow{Code: d.Code, ProcedureCode: d.ProcedureCode, UnitCode: d.UnitCode,
		ApplicantName: d.Applicant.Name, ApplicantFold: textfold.Fold(d.Applicant.Name),
		ApplicantPhone: d.Applicant.Phone, ApplicantID: d.Applicant.IDNumber, Channel: string(d.Channel), Papers: d.Papers, Status: string(d.Status),
		ReceivedAt: d.ReceivedAt.UTC(), DueAt: d.DueAt.UTC(), ProcessingDays: d.ProcessingDays, DueFixed: d.DueFixed,
		FinishedAt: nullTime(d.FinishedAt), ReturnedAt: nullTime(d.ReturnedAt),
		Digitized: d.Digitized, EResult: d.EResult, ReusedData: d.ReusedData, HasFee: d.HasFee,
		PaidOnline: d.PaidOnline, SyncedNational: d.SyncedNational,
		Version: d.Version, CreatedAt: now, UpdatedAt: now}
	if a := d.Apology; a != nil {
		r.ApologyIssuedAt = nullTime(&a.IssuedAt)
		r.ApologyNewDue = nullTime(&a.NewDueAt)
		r.ApologyReason, r.ApologyBy, r.ApologyLate = a.Reason, a.By, a.Late
	}
	return r
}

func (r *dossierRow) decode() dossier.Dossier {
	d := dossier.Dossier{Code: r.Code, ProcedureCode: r.ProcedureCode, UnitCode: r.UnitCode,
		Applicant: dossier.Applicant{Name: r.ApplicantName, Phone: r.ApplicantPhone, IDNumber: r.ApplicantID},
		Channel:   dossier.Channel(r.Channel), Papers: r.Papers, Status: dossier.Status(r.Status),
		ReceivedAt: r.ReceivedAt.UTC(), DueAt: r.DueAt.UTC(), ProcessingDays: r.ProcessingDays, DueFixed: r.DueFixed,
		FinishedAt: timePtr(r.FinishedAt), ReturnedAt: timePtr(r.ReturnedAt),
		Digitized: r.Digitized, EResult: r.EResult, ReusedData: r.ReusedData, HasFee: r.HasFee,
		PaidOnline: r.PaidOnline, SyncedNational: r.SyncedNational, Version: r.Version}
	if r.ApologyIssuedAt.Valid {
		d.Apology = &dossier.Apology{IssuedAt: r.ApologyIssuedAt.Time.UTC(), NewDueAt: r.ApologyNewDue.Time.UTC(),
			Reason: r.ApologyReason, By: r.ApologyBy, Late: r.ApologyLate}
	}
	return d
}

// CreateDossier inserts a new dossier with its events and outbox messages in
// one transaction. With a counter key its code is the next number of that
// agency's day, drawn in the same transaction: on PostgreSQL the upsert
// locks the counter row until commit, and SQLite takes the write lock at
// BEGIN (_txlock=immediate), so concurrent receptions, on any number of
// instances, never share a number. A number whose code another system already
// took through sync is passed over: the insert skips a taken code without failing the transaction, and the
// counter moves on, so that a taken code never blocks the desk.
func (db *DB) CreateDossier(ctx context.Context, d dossier.Dossier, key *dossier.CounterKey, msgs []dossier.Message) (dossier.Dossier, error) {
	return db.createDossier(ctx, d, key, msgs, nil)
}

// CreateDossierForTicket creates the dossier as CreateDossier does and, in
// the same transaction, records it on the queue ticket of the visit as
// link.Apply decides: a refusal rolls everything back.
func (db *DB) CreateDossierForTicket(ctx context.Context, d dossier.Dossier, key *dossier.CounterKey, msgs []dossier.Message, link dossier.TicketLink) (dossier.Dossier, error) {
	return db.createDossier(ctx, d, key, msgs, &link)
}

func (db *DB) createDossier(ctx context.Context, d dossier.Dossier, key *dossier.CounterKey, msgs []dossier.Message, link *dossier.TicketLink) (dossier.Dossier, error) {
	now := db.stamp()
	tx := db.inTx
	if link != nil {
		tx = db.inQueueTx // the ticket is the queue's: its writers take turns on SQLite
	}
	err := tx(ctx, func(tx *sqlx.Tx) error {
		d.Version = 1
		for attempt := 0; ; attempt++ {
			if key != nil {
				var n int
				err := tx.GetContext(ctx, &n, db.q(`INSERT INTO dossier_counters (agency, day, last) VALUES (?, ?, 1)
				ON CONFLICT (agency, day) DO UPDATE SET last = dossier_counters.last + 1
				RETURNING last`), key.Agency, key.Day)
				if err != nil {
					return unavailable("draw dossier code", err)
				}
				d.Code = key.Format(n)
			}
			row := toRow(&d, now)
			res, err := tx.NamedExecContext(ctx, `INSERT INTO dossiers (`+dossierColumns+`) VALUES (`+namedValues(dossierColumns)+`)
				ON CONFLICT (code) DO NOTHING`, row)
			if err != nil {
				return unavailable("insert dossier", err)
			}
			inserted, err := res.RowsAffected()
			if err != nil {
				return unavailable("insert dossier", err)
			}
			if inserted == 1 {
				break
			}
			if key == nil || attempt >= maxCodeDraws {
				return dossier.ErrExists
			}
		}
		if err := db.insertEvents(ctx, tx, d.Code, d.Events); err != nil {
			return err
		}
		if link != nil {
			if err := db.linkTicket(ctx, tx, *link, d.Code); err != nil {
				return err
			}
		}
		if err := db.writeView(ctx, tx, d.Code); err != nil {
			return err
		}
		return db.enqueue(ctx, tx, d.Code, msgs, now)
	})
	if err != nil {
		return dossier.Dossier{}, err
	}
	return d, nil
}

// maxCodeDraws bounds how many taken codes one reception passes over: far
// more than any real run of synced codes in the desk's own format.
const maxCodeDraws = 10000

// UpdateDossier saves a changed dossier if nobody changed it since it was
// read (its version), appends the new events and queues the messages, all in
// one transaction.
func (db *DB) UpdateDossier(ctx context.Context, d dossier.Dossier, added []dossier.Event, msgs []dossier.Message) error {
	now := db.stamp()
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		row := toRow(&d, now)
		res, err := tx.NamedExecContext(ctx, `UPDATE dossiers SET procedure_code = :procedure_code, unit_code = :unit_code,
			applicant_name = :applicant_name, applicant_fold = :applicant_fold, applicant_phone = :applicant_phone, applicant_id = :applicant_id,
			channel = :channel, papers = :papers, status = :status, received_at = :received_at, due_at = :due_at,
			processing_days = :processing_days, due_fixed = :due_fixed, finished_at = :finished_at,
			returned_at = :returned_at, digitized = :digitized, e_result = :e_result, reused_data = :reused_data,
			has_fee = :has_fee, paid_online = :paid_online, synced_national = :synced_national,
			apology_issued_at = :apology_issued_at, apology_new_due = :apology_new_due,
			apology_reason = :apology_reason, apology_by = :apology_by, apology_late = :apology_late,
			version = version + 1, updated_at = :updated_at
			WHERE code = :code AND version = :version`, row)
		if err != nil {
			return unavailable("update dossier", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return unavailable("update dossier", err)
		} else if n == 0 {
			return dossier.ErrStale
		}
		if err := db.insertEvents(ctx, tx, d.Code, added); err != nil {
			return err
		}
		if err := db.writeView(ctx, tx, d.Code); err != nil {
			return err
		}
		return db.enqueue(ctx, tx, d.Code, msgs, now)
	})
}

type eventRow struct {
	DossierCode string    `db:"dossier_code"`
	At          time.Time `db:"at"`
	Status      string    `db:"status"`
	Note        string    `db:"note"`
	Actor       string    `db:"actor"`
}

func (db *DB) insertEvents(ctx context.Context, tx *sqlx.Tx, code string, events []dossier.Event) error {
	for _, e := range events {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO dossier_events (dossier_code, at, status, note, actor) VALUES (?, ?, ?, ?, ?)`),
			code, e.At.UTC(), string(e.Status), e.Note, e.Actor)
		if err != nil {
			if isUniqueViolation(err) {
				// The service only adds events it has not seen: another
				// writer got there first.
				return dossier.ErrStale
			}
			return unavailable("insert dossier event", err)
		}
	}
	return nil
}

// Dossier returns one dossier with its events, oldest first, or
// apperr.ErrNotFound.
func (db *DB) Dossier(ctx context.Context, code string) (dossier.Dossier, error) {
	row, evs, err := db.readDossier(ctx, db.x, code)
	if err != nil {
		return dossier.Dossier{}, err
	}
	d := row.decode()
	d.Events = make([]dossier.Event, 0, len(evs))
	for _, e := range evs {
		d.Events = append(d.Events, dossier.Event{At: e.At.UTC(), Status: dossier.Status(e.Status), Note: e.Note, Actor: e.Actor})
	}
	return d, nil
}

// readDossier reads one dossier's row and its events, oldest first, through
// q (the pool, or a transaction that changed it); apperr.ErrNotFound if
// there is no such dossier.
func (db *DB) readDossier(ctx context.Context, q sqlx.QueryerContext, code string) (dossierRow, []eventRow, error) {
	var r dossierRow
	if err := sqlx.GetContext(ctx, q, &r, db.q(`SELECT `+dossierColumns+` FROM dossiers WHERE code = ?`), code); err != nil {
		return r, nil, notFound("get dossier", err)
	}
	var evs []eventRow
	if err := sqlx.SelectContext(ctx, q, &evs, db.q(`SELECT dossier_code, at, status, note, actor FROM dossier_events
		WHERE dossier_code = ? ORDER BY at, id`), code); err != nil {
		return r, nil, unavailable("get dossier events", err)
	}
	return r, evs, nil
}

// namedValues turns a column list into named parameters: "a, b" → ":a, :b".
func namedValues(columns string) string {
	var out []string
	for _, c := range strings.Split(columns, ",") {
		out = append(out, ":"+strings.TrimSpace(c))
	}
	return strings.Join(out, ", ")
}

// trackFullQuery is tracking's one statement (internal/dossier, Service.Track)
// for a dossier without its view (dossier_views.go):
// the dossier, only if its applicant's phone is the one given, with the name
// of its unit, whether it was rated, and its events oldest first, one row
// per event (one row with no event when it has none). An unknown code and a
// wrong phone both find no row, by the same primary-key lookup.
//
// The two parameters are CAST, which changes nothing of their value or of
// the plan (the primary key still finds the dossier): SQLite, once ANALYZE
// has written its sqlite_stat4 samples, marks a statement whose plan was
// chosen with a bare parameter's value as to be planned again whenever that
// parameter is bound to another value, which tracking does on every request;
// the load command's profiles showed a third of the work parsing it again
// (README, "Performance"). A cast parameter is not sampled.
var trackFullQuery = func() string {
	return `SELECT ` + prefixed("d.", dossierColumns) + `, COALESCE(u.name, '') AS unit_name,
		COALESCE(u.address, '') AS unit_address, COALESCE(u.phone, '') AS unit_phone,
		EXISTS (SELECT 1 FROM ratings r WHERE r.kind = 'dossier' AND r.dossier_code = d.code) AS rated,
		e.at AS ev_at, e.status AS ev_status, e.note AS ev_note, e.actor AS ev_actor
		FROM dossiers d LEFT JOIN units u ON u.code = d.unit_code LEFT JOIN dossier_events e ON e.dossier_code = d.code
		WHERE d.code = CAST(? AS TEXT) AND d.applicant_phone = CAST(? AS TEXT)
		ORDER BY e.at, e.id`
}()

type trackRow struct {
	dossierRow
	UnitName    string         `db:"unit_name"`
	UnitAddress string         `db:"unit_address"`
	UnitPhone   string         `db:"unit_phone"`
	Rated       bool           `db:"rated"`
	EvAt        sql.NullTime   `db:"ev_at"`
	EvStatus    sql.NullString `db:"ev_status"`
	EvNote      sql.NullString `db:"ev_note"`
	EvActor     sql.NullString `db:"ev_actor"`
}

// linkTicket applies a reception's link to its ticket, inside the
// reception's transaction.
func (db *DB) linkTicket(ctx context.Context, tx *sqlx.Tx, link dossier.TicketLink, code string) error {
	q := &queueTx{db: db, tx: tx, ctx: ctx}
	t, err := q.Ticket(link.ID)
	if err != nil {
		return err
	}
	var unit string
	if err := tx.GetContext(ctx, &unit, db.q(`SELECT unit_code FROM queue_offices WHERE code = ?`), t.OfficeCode); err != nil {
		return notFound("ticket office", err)
	}
	linked, changed, err := link.Apply(t, unit, code)
	if err != nil || !changed {
		return err
	}
	return q.SaveTicket(linked)
}
