package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/feedback"
)

type feedbackRow struct {
	ID         int64        `db:"id"`
	Code       string       `db:"code"`
	UnitCode   string       `db:"unit_code"`
	AboutKind  string       `db:"about_kind"`
	AboutRef   string       `db:"about_ref"`
	Name       string       `db:"name"`
	Phone      string       `db:"phone"`
	Content    string       `db:"content"`
	ReceivedAt time.Time    `db:"received_at"`
	DueAt      time.Time    `db:"due_at"`
	Status     string       `db:"status"`
	AssignedTo string       `db:"assigned_to"`
	Draft      string       `db:"draft"`
	Answer     string       `db:"answer"`
	AnsweredAt sql.NullTime `db:"answered_at"`
	AnsweredBy string       `db:"answered_by"`
	Satisfied  sql.NullBool `db:"satisfied"`
	VerdictAt  sql.NullTime `db:"verdict_at"`
	Published  bool         `db:"published"`
	Version    int          `db:"version"`
}

const feedbackColumns = `id, code, unit_code, about_kind, about_ref, name, phone, content, received_at, due_at, status,
	assigned_to, draft, answer, answered_at, answered_by, satisfied, verdict_at, published, version`

func (r feedbackRow) decode() feedback.Feedback {
	f := feedback.Feedback{ID: r.ID, Code: r.Code, UnitCode: r.UnitCode,
		About: feedback.About{Kind: r.AboutKind, Ref: r.AboutRef}, Name: r.Name, Phone: r.Phone, Content: r.Content,
		ReceivedAt: r.ReceivedAt.UTC(), DueAt: r.DueAt.UTC(), Status: r.Status, AssignedTo: r.AssignedTo, Draft: r.Draft,
		Answer: r.Answer, AnsweredAt: timePtr(r.AnsweredAt), AnsweredBy: r.AnsweredBy, VerdictAt: timePtr(r.VerdictAt),
		Published: r.Published, Version: r.Version}
	if r.Satisfied.Valid {
		v := r.Satisfied.Bool
		f.Satisfied = &v
	}
	return f
}

// AddFeedback inserts a new piece of feedback; a taken code is
// feedback.ErrExists (the service draws another).
func (db *DB) AddFeedback(ctx context.Context, f feedback.Feedback) (feedback.Feedback, error) {
	err := db.x.GetContext(ctx, &f.ID, db.q(`INSERT INTO feedback (code, unit_code, about_kind, about_ref, name, phone,
		content, received_at, due_at, status, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`),
		f.Code, f.UnitCode, f.About.Kind, f.About.Ref, f.Name, f.Phone, f.Content, f.ReceivedAt.UTC(), f.DueAt.UTC(), f.Status)
	if err != nil {
		if isUniqueViolation(err) {
			return feedback.Feedback{}, feedback.ErrExists
		}
		return feedback.Feedback{}, unavailable("insert feedback", err)
	}
	f.Version = 1
	return f, nil
}

// Feedback returns one piece of feedback by its code.
func (db *DB) Feedback(ctx context.Context, code string) (feedback.Feedback, error) {
	var r feedbackRow
	if err := db.x.GetContext(ctx, &r, db.q(`SELECT `+feedbackColumns+` FROM feedback WHERE code = ?`), code); err != nil {
		return feedback.Feedback{}, notFound("get feedback", err)
	}
	return r.decode(), nil
}

// UpdateFeedback saves f if nobody changed it since it was read, with its
// outbox messages, in one transaction.
func (db *DB) UpdateFeedback(ctx context.Context, f feedback.Feedback, msgs []feedback.Message) error {
	var sat sql.NullBool
	if f.Satisfied != nil {
		sat = sql.NullBool{Bool: *f.Satisfied, Valid: true}
	}
	now := db.stamp()
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE feedback SET status = ?, assigned_to = ?, draft = ?, answer = ?,
			answered_at = ?, answered_by = ?, satisfied = ?, verdict_at = ?, published = ?, version = version + 1
			WHERE code = ? AND version = ?`), f.Status, f.AssignedTo, f.Draft, f.Answer, nullTime(f.AnsweredAt),
			f.AnsweredBy, sat, nullTime(f.VerdictAt), f.Published, f.Code, f.Version)
		if err != nil {
			return unavailable("update feedback", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return unavailable("update feedback", err)
		} else if n == 0 {
			return feedback.ErrStale
		}
		for _, m := range msgs {
			if err := db.enqueueNote(ctx, tx, m.Kind, m.DossierCode, m.Payload, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// FeedbackList lists feedback: unanswered first by deadline, then the
// answered newest first.
func (db *DB) FeedbackList(ctx context.Context, q feedback.Query) ([]feedback.Feedback, error) {
	var where []string
	var args []any
	if q.Units != nil {
		if len(q.Units) == 0 {
			return nil, nil
		}
		where = append(where, `unit_code IN (?`+strings.Repeat(", ?", len(q.Units)-1)+`)`)
		for _, u := range q.Units {
			args = append(args, u)
		}
	}
	if q.AssignedTo != "" {
		where = append(where, `assigned_to = ?`)
		args = append(args, q.AssignedTo)
	}
	if q.OpenOnly {
		where = append(where, `status <> 'answered'`)
	}
	if q.Published {
		where = append(where, `published AND status = 'answered'`)
	}
	query := `SELECT ` + feedbackColumns + ` FROM feedback`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	if q.Published {
		query += ` ORDER BY answered_at DESC, id DESC`
	} else {
		query += ` ORDER BY CASE WHEN status = 'answered' THEN 1 ELSE 0 END, CASE WHEN status = 'answered' THEN NULL ELSE due_at END, received_at DESC, id DESC`
	}
	if q.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(q.Limit)
	}
	var rows []feedbackRow
	if err := db.x.SelectContext(ctx, &rows, db.q(query), args...); err != nil {
		return nil, unavailable("list feedback", err)
	}
	out := make([]feedback.Feedback, len(rows))
	for i, r := range rows {
		out[i] = r.decode()
	}
	return out, nil
}

// FeedbackStats counts the feedback received in a period.
func (db *DB) FeedbackStats(ctx context.Context, q feedback.StatsQuery) (feedback.Stats, error) {
	where, args := `received_at >= ? AND received_at < ?`, []any{q.From.UTC(), q.To.UTC()}
	if q.Unit != "" {
		where += ` AND unit_code = ?`
		args = append(args, q.Unit)
	}
	var s struct {
		Received    int `db:"received"`
		Answered    int `db:"answered"`
		OnTime      int `db:"on_time"`
		Overdue     int `db:"overdue"`
		Satisfied   int `db:"sat"`
		Unsatisfied int `db:"unsat"`
	}
	err := db.x.GetContext(ctx, &s, db.q(`SELECT COUNT(*) AS received,
		COALESCE(SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END), 0) AS answered,
		COALESCE(SUM(CASE WHEN status = 'answered' AND answered_at <= due_at THEN 1 ELSE 0 END), 0) AS on_time,
		COALESCE(SUM(CASE WHEN status <> 'answered' AND due_at < ? THEN 1 ELSE 0 END), 0) AS overdue,
		COALESCE(SUM(CASE WHEN satisfied IS NOT NULL AND satisfied THEN 1 ELSE 0 END), 0) AS sat,
		COALESCE(SUM(CASE WHEN satisfied IS NOT NULL AND NOT satisfied THEN 1 ELSE 0 END), 0) AS unsat
		FROM feedback WHERE `+where), append([]any{q.Now.UTC()}, args...)...)
	if err != nil {
		return feedback.Stats{}, unavailable("feedback stats", err)
	}
	return feedback.Stats{Received: s.Received, Answered: s.Answered, AnsweredOnTime: s.OnTime, Overdue: s.Overdue,
		Satisfied: s.Satisfied, Unsatisfied: s.Unsatisfied}, nil
}

// AnswerDays is the unit's own deadline for feedback, 0 when unset.
func (db *DB) AnswerDays(ctx context.Context, unit string) (int, error) {
	var d int
	err := db.x.GetContext(ctx, &d, db.q(`SELECT answer_days FROM feedback_units WHERE unit_code = ?`), unit)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return d, unavailable("get answer days", err)
}

// SetAnswerDays sets the unit's deadline for new feedback.
func (db *DB) SetAnswerDays(ctx context.Context, unit string, days int) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO feedback_units (unit_code, answer_days) VALUES (?, ?)
		ON CONFLICT (unit_code) DO UPDATE SET answer_days = excluded.answer_days`), unit, days)
	return unavailable("set answer days", err)
}

// OutboxKind lists the queued messages of one kind, oldest first (the
// tests and the desk read it; the bot delivers them).
func (db *DB) OutboxKind(ctx context.Context, kind string) ([]OutboxMessage, error) {
	var rows []outboxRow
	err := db.x.SelectContext(ctx, &rows, db.q(`SELECT id, kind, dossier_code, payload, created_at, delivered_at, attempts
		FROM outbox WHERE kind = ? ORDER BY id`), kind)
	if err != nil {
		return nil, unavailable("list outbox", err)
	}
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = OutboxMessage{ID: r.ID, Kind: r.Kind, DossierCode: r.DossierCode, Payload: r.Payload, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// OutboxMessage is a queued message as stored.
type OutboxMessage struct {
	ID          int64
	Kind        string
	DossierCode string
	Payload     string
	CreatedAt   time.Time
}
