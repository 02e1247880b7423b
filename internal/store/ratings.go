package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/rating"
)

// enqueueNote writes one outbox message of any payload inside the
// transaction of the change that causes it.
func (db *DB) enqueueNote(ctx context.Context, tx *sqlx.Tx, kind, dossierCode string, payload any, now time.Time) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return unavailable("encode outbox message", err)
	}
	_, err = tx.ExecContext(ctx, db.q(`INSERT INTO outbox (kind, dossier_code, payload, created_at, attempts)
		VALUES (?, ?, ?, ?, 0)`), kind, dossierCode, string(b), now)
	return unavailable("insert outbox message", err)
}

type ratingRow struct {
	ID          int64          `db:"id"`
	Kind        string         `db:"kind"`
	DossierCode sql.NullString `db:"dossier_code"`
	TicketID    sql.NullString `db:"ticket_id"`
	UnitCode    string         `db:"unit_code"`
	OfficeCode  sql.NullString `db:"office_code"`
	ServiceCode sql.NullString `db:"service_code"`
	CounterID   sql.NullInt64  `db:"counter_id"`
	StaffID     sql.NullInt64  `db:"staff_id"`
	StaffName   string         `db:"staff_name"`
	Channel     string         `db:"channel"`
	Overall     int            `db:"overall"`
	Answers     string         `db:"answers"`
	Comment     string         `db:"comment"`
	Satisfied   bool           `db:"satisfied"`
	Low         bool           `db:"low"`
	CreatedAt   time.Time      `db:"created_at"`
}

const ratingColumns = `r.id, r.kind, r.dossier_code, r.ticket_id, r.unit_code, r.office_code, r.service_code, r.counter_id,
	r.staff_id, r.staff_name, r.channel, r.overall, r.answers, r.comment, r.satisfied, r.low, r.created_at`

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func (r ratingRow) decode() rating.Rating {
	out := rating.Rating{ID: r.ID, Kind: rating.Kind(r.Kind), DossierCode: r.DossierCode.String, TicketID: r.TicketID.String,
		UnitCode: r.UnitCode, OfficeCode: r.OfficeCode.String, ServiceCode: r.ServiceCode.String,
		CounterID: r.CounterID.Int64, StaffID: r.StaffID.Int64, StaffName: r.StaffName, Channel: r.Channel,
		Overall: r.Overall, Comment: r.Comment, Satisfied: r.Satisfied, Low: r.Low, CreatedAt: r.CreatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.Answers), &out.Answers)
	return out
}

// AddRating inserts a rating, its follow-up when it is low, and their
// outbox messages in one transaction. The UNIQUE dossier_code and
// ticket_id make a second rating fail whatever the race, on any number of
// instances.
func (db *DB) AddRating(ctx context.Context, r rating.Rating, f *rating.FollowUp, msgs func(rating.Rating, *rating.FollowUp) []rating.Message) (rating.Rating, error) {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return rating.Rating{}, unavailable("encode answers", err)
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Microsecond)
	err = db.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &r.ID, db.q(`INSERT INTO ratings (kind, dossier_code, ticket_id, unit_code, office_code,
			service_code, counter_id, staff_id, staff_name, channel, overall, answers, comment, satisfied, low, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT id FROM users WHERE username = ?), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			string(r.Kind), nullStr(r.DossierCode), nullStr(r.TicketID), r.UnitCode, nullStr(r.OfficeCode),
			nullStr(r.ServiceCode), nullID(r.CounterID), r.StaffName, r.StaffName, r.Channel, r.Overall, string(answers),
			r.Comment, r.Satisfied, r.Low, r.CreatedAt)
		if err != nil {
			if isUniqueViolation(err) {
				return rating.ErrAlreadyRated
			}
			return unavailable("insert rating", err)
		}
		if f != nil {
			f.RatingID = r.ID
			err := tx.GetContext(ctx, &f.ID, db.q(`INSERT INTO follow_ups (rating_id, unit_code, status, due_at, created_at)
				VALUES (?, ?, ?, ?, ?) RETURNING id`), r.ID, f.UnitCode, f.Status, f.DueAt.UTC(), f.CreatedAt.UTC())
			if err != nil {
				return unavailable("insert follow-up", err)
			}
		}
		for _, m := range msgs(r, f) {
			if err := db.enqueueNote(ctx, tx, m.Kind, m.DossierCode, m.Payload, r.CreatedAt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rating.Rating{}, err
	}
	if r.StaffName != "" {
		_ = db.x.GetContext(ctx, &r.StaffID, db.q(`SELECT COALESCE(staff_id, 0) FROM ratings WHERE id = ?`), r.ID)
	}
	return r, nil
}

// RatingOf returns the rating of a dossier or a ticket.
func (db *DB) RatingOf(ctx context.Context, kind rating.Kind, ref string) (rating.Rating, error) {
	col := "dossier_code"
	if kind == rating.KindTicket {
		col = "ticket_id"
	}
	var row ratingRow
	err := db.x.GetContext(ctx, &row, db.q(`SELECT `+ratingColumns+` FROM ratings r WHERE r.`+col+` = ?`), ref)
	if err != nil {
		return rating.Rating{}, notFound("get rating", err)
	}
	return row.decode(), nil
}

// LastFinishedTicket is the ticket a counter finished last, since since.
func (db *DB) LastFinishedTicket(ctx context.Context, counterID int64, since time.Time) (queue.Ticket, error) {
	var r ticketRow
	err := db.x.GetContext(ctx, &r, db.q(`SELECT `+ticketColumns+` FROM queue_tickets
		WHERE counter_id = ? AND status = 'done' AND done_at >= ? ORDER BY done_at DESC LIMIT 1`), counterID, since.UTC())
	if err != nil {
		return queue.Ticket{}, notFound("last finished ticket", err)
	}
	return r.decode(), nil
}

type followUpRow struct {
	ID        int64        `db:"f_id"`
	RatingID  int64        `db:"f_rating_id"`
	UnitCode  string       `db:"f_unit_code"`
	Status    string       `db:"f_status"`
	DueAt     time.Time    `db:"f_due_at"`
	Action    string       `db:"f_action"`
	Reply     string       `db:"f_reply"`
	CreatedAt time.Time    `db:"f_created_at"`
	ClosedAt  sql.NullTime `db:"f_closed_at"`
	ClosedBy  string       `db:"f_closed_by"`
	ratingRow
}

const followUpSelect = `SELECT f.id AS f_id, f.rating_id AS f_rating_id, f.unit_code AS f_unit_code, f.status AS f_status,
	f.due_at AS f_due_at, f.action AS f_action, f.reply AS f_reply, f.created_at AS f_created_at,
	f.closed_at AS f_closed_at, f.closed_by AS f_closed_by, ` + ratingColumns + `
	FROM follow_ups f JOIN ratings r ON r.id = f.rating_id`

func (r followUpRow) decode() rating.FollowUp {
	return rating.FollowUp{ID: r.ID, RatingID: r.RatingID, UnitCode: r.UnitCode, Status: r.Status, DueAt: r.DueAt.UTC(),
		Action: r.Action, Reply: r.Reply, CreatedAt: r.CreatedAt.UTC(), ClosedAt: timePtr(r.ClosedAt),
		ClosedBy: r.ClosedBy, Rating: r.ratingRow.decode()}
}

// FollowUps lists follow-ups, open ones first by deadline, then the rest
// newest first.
func (db *DB) FollowUps(ctx context.Context, q rating.FollowUpQuery) ([]rating.FollowUp, error) {
	var where []string
	var args []any
	if q.Units != nil {
		if len(q.Units) == 0 {
			return nil, nil
		}
		where = append(where, `f.unit_code IN (?`+strings.Repeat(", ?", len(q.Units)-1)+`)`)
		for _, u := range q.Units {
			args = append(args, u)
		}
	}
	if q.OpenOnly {
		where = append(where, `f.status = 'open'`)
	}
	query := followUpSelect
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY CASE WHEN f.status = 'open' THEN 0 ELSE 1 END, f.due_at, f.id DESC`
	if q.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(q.Limit)
	}
	var rows []followUpRow
	if err := db.x.SelectContext(ctx, &rows, db.q(query), args...); err != nil {
		return nil, unavailable("list follow-ups", err)
	}
	out := make([]rating.FollowUp, len(rows))
	for i, r := range rows {
		out[i] = r.decode()
	}
	return out, nil
}

// FollowUp returns one follow-up with its rating.
func (db *DB) FollowUp(ctx context.Context, id int64) (rating.FollowUp, error) {
	var row followUpRow
	if err := db.x.GetContext(ctx, &row, db.q(followUpSelect+` WHERE f.id = ?`), id); err != nil {
		return rating.FollowUp{}, notFound("get follow-up", err)
	}
	return row.decode(), nil
}

// CloseFollowUp closes an open follow-up and queues its messages; a
// follow-up closed meanwhile is rating.ErrFollowUpClosed.
func (db *DB) CloseFollowUp(ctx context.Context, f rating.FollowUp, msgs []rating.Message) error {
	now := db.stamp()
	if f.ClosedAt != nil {
		now = f.ClosedAt.UTC()
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE follow_ups SET status = 'closed', action = ?, reply = ?, closed_at = ?,
			closed_by = ? WHERE id = ? AND status = 'open'`), f.Action, f.Reply, now, f.ClosedBy, f.ID)
		if err != nil {
			return unavailable("close follow-up", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return unavailable("close follow-up", err)
		} else if n == 0 {
			return rating.ErrFollowUpClosed
		}
		for _, m := range msgs {
			if err := db.enqueueNote(ctx, tx, m.Kind, m.DossierCode, m.Payload, now); err != nil {
				return err
			}
		}
		return nil
	})
}

type statRow struct {
	Key       string `db:"k"`
	Kind      string `db:"kind"`
	Ratings   int    `db:"n"`
	Satisfied int    `db:"sat"`
	Low       int    `db:"low"`
}

// RatingStats counts ratings per unit, per service and per counter.
func (db *DB) RatingStats(ctx context.Context, q rating.StatsQuery) ([]rating.Stat, error) {
	where, args := `r.created_at >= ? AND r.created_at < ?`, []any{q.From.UTC(), q.To.UTC()}
	if q.Unit != "" {
		where += ` AND r.unit_code = ?`
		args = append(args, q.Unit)
	}
	var out []rating.Stat
	for _, g := range []struct{ by, key, extra string }{
		{"unit", "r.unit_code", ""},
		{"service", "COALESCE(r.service_code, '')", ""},
		{"counter", "CAST(r.counter_id AS TEXT)", " AND r.counter_id IS NOT NULL"},
	} {
		var rows []statRow
		query := `SELECT ` + g.key + ` AS k, r.kind AS kind, COUNT(*) AS n,
			SUM(CASE WHEN r.satisfied THEN 1 ELSE 0 END) AS sat, SUM(CASE WHEN r.low THEN 1 ELSE 0 END) AS low
			FROM ratings r WHERE ` + where + g.extra + ` GROUP BY ` + g.key + `, r.kind ORDER BY 1, 2`
		if err := db.x.SelectContext(ctx, &rows, db.q(query), args...); err != nil {
			return nil, unavailable("rating stats", err)
		}
		for _, r := range rows {
			if g.by == "unit" {
				// One figure per unit, whatever was rated.
				if n := len(out); n > 0 && out[n-1].By == "unit" && out[n-1].Key == r.Key {
					out[n-1].Ratings += r.Ratings
					out[n-1].Satisfied += r.Satisfied
					out[n-1].Low += r.Low
					continue
				}
				r.Kind = ""
			}
			out = append(out, rating.Stat{By: g.by, Key: r.Key, Kind: rating.Kind(r.Kind), Ratings: r.Ratings,
				Satisfied: r.Satisfied, Low: r.Low})
		}
	}
	return out, nil
}

// LinkKey returns the named secret, creating it once: the first instance
// to ask inserts a random one, every other (and the bot) reads that one.
func (db *DB) LinkKey(ctx context.Context, name string) ([]byte, error) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	if _, err := db.x.ExecContext(ctx, db.q(`INSERT INTO link_keys (name, secret, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`), name, base64.StdEncoding.EncodeToString(b[:]), db.stamp()); err != nil {
		return nil, unavailable("create link key", err)
	}
	var secret string
	if err := db.x.GetContext(ctx, &secret, db.q(`SELECT secret FROM link_keys WHERE name = ?`), name); err != nil {
		return nil, unavailable("read link key", err)
	}
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "error.internal", err)
	}
	return key, nil
}
