package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
)

// Tracking's view of a dossier (migration 00018, docs/architecture.md,
// "Tracking"): one row per dossier, found by its code and its applicant's
// phone in one primary-key lookup, holding what tracking shows, so that a
// citizen's lookup reads one row instead of the dossier and each of its
// events. The row is written in the transaction of every change the store
// makes to the dossier (writeView); triggers delete it on any other change,
// and a dossier without a row is read from its own tables (trackFullQuery).

// viewBody is the stored form of a dossier in its view: every field the
// citizen's view and its clock use, but not the papers, the applicant's
// identity number or who recorded each event, which tracking never shows.
type viewBody struct {
	Procedure string      `json:"p"`
	Name      string      `json:"n"`
	Channel   string      `json:"c"`
	Status    string      `json:"s"`
	Received  time.Time   `json:"r"`
	Due       time.Time   `json:"d"`
	Days      int         `json:"pd"`
	DueFixed  bool        `json:"df,omitempty"`
	Finished  *time.Time  `json:"f,omitempty"`
	Returned  *time.Time  `json:"rt,omitempty"`
	Digitized bool        `json:"dg,omitempty"`
	EResult   bool        `json:"er,omitempty"`
	Reused    bool        `json:"ru,omitempty"`
	HasFee    bool        `json:"fee,omitempty"`
	Paid      bool        `json:"po,omitempty"`
	Synced    bool        `json:"sn,omitempty"`
	Apology   *viewApol   `json:"a,omitempty"`
	Version   int         `json:"v"`
	Events    []viewEvent `json:"e"`
}

type viewApol struct {
	Issued time.Time `json:"i"`
	NewDue time.Time `json:"d"`
	Reason string    `json:"r"`
	By     string    `json:"b"`
	Late   bool      `json:"l,omitempty"`
}

type viewEvent struct {
	At     time.Time `json:"a"`
	Status string    `json:"s"`
	Note   string    `json:"n,omitempty"`
}

// encodeView is the view of the stored dossier r with its events, oldest
// first.
func encodeView(r *dossierRow, evs []eventRow) (string, error) {
	d := r.decode()
	b := viewBody{Procedure: d.ProcedureCode, Name: d.Applicant.Name, Channel: string(d.Channel), Status: string(d.Status),
		Received: d.ReceivedAt, Due: d.DueAt, Days: d.ProcessingDays, DueFixed: d.DueFixed,
		Finished: d.FinishedAt, Returned: d.ReturnedAt, Digitized: d.Digitized, EResult: d.EResult,
		Reused: d.ReusedData, HasFee: d.HasFee, Paid: d.PaidOnline, Synced: d.SyncedNational,
		Version: d.Version, Events: make([]viewEvent, 0, len(evs))}
	if a := d.Apology; a != nil {
		b.Apology = &viewApol{Issued: a.IssuedAt, NewDue: a.NewDueAt, Reason: a.Reason, By: a.By, Late: a.Late}
	}
	for _, e := range evs {
		b.Events = append(b.Events, viewEvent{At: e.At.UTC(), Status: e.Status, Note: e.Note})
	}
	out, err := json.Marshal(b)
	return string(out), err
}

// decodeView is the dossier of a view row.
func decodeView(code, unit, phone, body string) (dossier.Dossier, error) {
	var b viewBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return dossier.Dossier{}, err
	}
	d := dossier.Dossier{Code: code, ProcedureCode: b.Procedure, UnitCode: unit,
		Applicant: dossier.Applicant{Name: b.Name, Phone: phone},
		Channel:   dossier.Channel(b.Channel), Status: dossier.Status(b.Status),
		ReceivedAt: b.Received.UTC(), DueAt: b.Due.UTC(), ProcessingDays: b.Days, DueFixed: b.DueFixed,
		FinishedAt: inUTC(b.Finished), ReturnedAt: inUTC(b.Returned),
		Digitized: b.Digitized, EResult: b.EResult, ReusedData: b.Reused, HasFee: b.HasFee,
		PaidOnline: b.Paid, SyncedNational: b.Synced, Version: b.Version,
		Events: make([]dossier.Event, 0, len(b.Events))}
	if a := b.Apology; a != nil {
		d.Apology = &dossier.Apology{IssuedAt: a.Issued.UTC(), NewDueAt: a.NewDue.UTC(), Reason: a.Reason, By: a.By, Late: a.Late}
	}
	for _, e := range b.Events {
		d.Events = append(d.Events, dossier.Event{At: e.At.UTC(), Status: dossier.Status(e.Status), Note: e.Note})
	}
	return d, nil
}

func inUTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// insertView is the statement that writes views; ON CONFLICT decides what a
// view already there becomes (the writer of a change replaces it, the
// builder of missing views leaves it).
const insertView = `INSERT INTO dossier_views (code, applicant_phone, unit_code, body) VALUES `

// writeView writes the view of dossier code as it stands in tx, after the
// change tx made to it: its triggers have just deleted the old one.
func (db *DB) writeView(ctx context.Context, tx *sqlx.Tx, code string) error {
	r, evs, err := db.readDossier(ctx, tx, code)
	if err != nil {
		return err
	}
	body, err := encodeView(&r, evs)
	if err != nil {
		return unavailable("encode dossier view", err)
	}
	_, err = tx.ExecContext(ctx, db.q(insertView+`(?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET
		applicant_phone = excluded.applicant_phone, unit_code = excluded.unit_code, body = excluded.body`),
		r.Code, r.ApplicantPhone, r.UnitCode, body)
	return unavailable("write dossier view", err)
}

// viewBatch is how many dossiers buildViews reads and writes in one
// transaction.
const viewBatch = 500

// BuildViews writes the view of every dossier that has none, in code order,
// a batch per transaction; it returns how many it wrote. Each batch reads its
// dossiers and writes their views in one transaction, the dossiers locked
// against change until it commits (SQLite writes one transaction at a time;
// on PostgreSQL the rows are read FOR SHARE), so that no change made
// meanwhile, by this version or an older one, can leave a view older than
// its dossier; a view another writer wrote first is left as it is.
func (db *DB) BuildViews(ctx context.Context) (int, error) {
	lock := ""
	if db.dialect == Postgres {
		lock = ` FOR SHARE OF d`
	}
	pick := db.q(`SELECT ` + prefixed("d.", dossierColumns) + ` FROM dossiers d
		WHERE d.code > ? AND NOT EXISTS (SELECT 1 FROM dossier_views v WHERE v.code = d.code)
		ORDER BY d.code LIMIT ` + fmt.Sprint(viewBatch) + lock)
	after, total := "", 0
	for {
		var n int
		err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			var rows []dossierRow
			if err := tx.SelectContext(ctx, &rows, pick, after); err != nil {
				return unavailable("pick dossiers without a view", err)
			}
			n = len(rows)
			if n == 0 {
				return nil
			}
			after = rows[n-1].Code
			codes := make([]string, n)
			for i := range rows {
				codes[i] = rows[i].Code
			}
			q, args, err := sqlx.In(`SELECT dossier_code, at, status, note, actor FROM dossier_events
				WHERE dossier_code IN (?) ORDER BY dossier_code, at, id`, codes)
			if err != nil {
				return unavailable("read events for views", err)
			}
			var evs []eventRow
			if err := tx.SelectContext(ctx, &evs, db.q(q), args...); err != nil {
				return unavailable("read events for views", err)
			}
			byCode := make(map[string][]eventRow, n)
			for _, e := range evs {
				byCode[e.DossierCode] = append(byCode[e.DossierCode], e)
			}
			var sb strings.Builder
			sb.WriteString(insertView)
			vals := make([]any, 0, 4*n)
			for i := range rows {
				body, err := encodeView(&rows[i], byCode[rows[i].Code])
				if err != nil {
					return unavailable("encode dossier view", err)
				}
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?)")
				vals = append(vals, rows[i].Code, rows[i].ApplicantPhone, rows[i].UnitCode, body)
			}
			sb.WriteString(" ON CONFLICT (code) DO NOTHING")
			_, err = tx.ExecContext(ctx, db.q(sb.String()), vals...)
			return unavailable("write dossier views", err)
		})
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, nil
		}
		total += n
	}
}

// buildViewsOnce builds the views of the dossiers stored before migration
// 00018 the first time the store opens after it, and records that it did;
// later opens find the record and read nothing more.
func (db *DB) buildViewsOnce(ctx context.Context) error {
	var built int
	if err := db.x.GetContext(ctx, &built, `SELECT COUNT(*) FROM dossier_views_built`); err != nil {
		return fmt.Errorf("store: dossier views: %w", err)
	}
	if built > 0 {
		return nil
	}
	if _, err := db.BuildViews(ctx); err != nil {
		return fmt.Errorf("store: dossier views: %w", err)
	}
	if _, err := db.x.ExecContext(ctx, db.q(`INSERT INTO dossier_views_built (id, built_at) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`), db.stamp()); err != nil {
		return fmt.Errorf("store: dossier views: %w", err)
	}
	return nil
}

func prefixed(prefix, columns string) string {
	var cols []string
	for _, c := range strings.Split(columns, ",") {
		cols = append(cols, prefix+strings.TrimSpace(c))
	}
	return strings.Join(cols, ", ")
}

// trackViewQuery is tracking's one statement when the dossier has its view:
// the view, only if its applicant's phone is the one given, with its unit's
// name and contact and whether it was rated. The parameters are CAST for
// the reason given at trackFullQuery.
const trackViewQuery = `SELECT v.code, v.unit_code, v.applicant_phone, v.body,
	COALESCE(u.name, '') AS unit_name, COALESCE(u.address, '') AS unit_address, COALESCE(u.phone, '') AS unit_phone,
	EXISTS (SELECT 1 FROM ratings r WHERE r.kind = 'dossier' AND r.dossier_code = v.code) AS rated
	FROM dossier_views v LEFT JOIN units u ON u.code = v.unit_code
	WHERE v.code = CAST(? AS TEXT) AND v.applicant_phone = CAST(? AS TEXT)`

type trackViewRow struct {
	Code        string `db:"code"`
	UnitCode    string `db:"unit_code"`
	Phone       string `db:"applicant_phone"`
	Body        string `db:"body"`
	UnitName    string `db:"unit_name"`
	UnitAddress string `db:"unit_address"`
	UnitPhone   string `db:"unit_phone"`
	Rated       bool   `db:"rated"`
}

// TrackDossier returns the dossier with its events (without who recorded
// them), its unit's name and contact and whether it was rated, if phone
// (normalised) is its applicant's; apperr.ErrNotFound otherwise, for an
// unknown code and a wrong phone alike. It reads the dossier's view, and the
// dossier's own tables when it has none (before the view is built, or after
// a change made outside the store); a code not found by the first read is
// looked up by the second too, so that an unknown code and a wrong phone
// cost the same. The papers and the applicant's identity number are not
// returned: tracking never shows them.
func (db *DB) TrackDossier(ctx context.Context, code, phone string) (dossier.Tracked, error) {
	var v trackViewRow
	err := db.getP(ctx, nil, &v, trackViewQuery, code, phone)
	if err == nil {
		d, err := decodeView(v.Code, v.UnitCode, v.Phone, v.Body)
		if err != nil {
			return dossier.Tracked{}, unavailable("decode dossier view", err)
		}
		return dossier.Tracked{Dossier: d, UnitName: v.UnitName, UnitAddress: v.UnitAddress,
			UnitPhone: v.UnitPhone, Rated: v.Rated}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return dossier.Tracked{}, unavailable("track dossier", err)
	}
	return db.trackFull(ctx, code, phone)
}

// trackFull is TrackDossier from the dossier's own tables.
func (db *DB) trackFull(ctx context.Context, code, phone string) (dossier.Tracked, error) {
	var rows []trackRow
	if err := db.selectP(ctx, &rows, trackFullQuery, code, phone); err != nil {
		return dossier.Tracked{}, unavailable("track dossier", err)
	}
	if len(rows) == 0 {
		return dossier.Tracked{}, apperr.ErrNotFound
	}
	d := rows[0].decode()
	d.Papers, d.Applicant.IDNumber = "", ""
	d.Events = make([]dossier.Event, 0, len(rows))
	for _, r := range rows {
		if r.EvAt.Valid {
			d.Events = append(d.Events, dossier.Event{At: r.EvAt.Time.UTC(), Status: dossier.Status(r.EvStatus.String),
				Note: r.EvNote.String})
		}
	}
	return dossier.Tracked{Dossier: d, UnitName: rows[0].UnitName, UnitAddress: rows[0].UnitAddress,
		UnitPhone: rows[0].UnitPhone, Rated: rows[0].Rated}, nil
}
