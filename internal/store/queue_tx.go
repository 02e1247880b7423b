package store

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"motcua/internal/queue"
)

// QueueTx runs fn in one transaction. SQLite transactions are immediate,
// so they run one at a time; on PostgreSQL LockCounter takes the counter's
// row lock and NextQueued skips tickets another counter is taking.
func (db *DB) QueueTx(ctx context.Context, fn func(tx queue.Tx) error) error {
	return db.inQueueTx(ctx, func(tx *sqlx.Tx) error { return fn(&queueTx{db: db, tx: tx, ctx: ctx}) })
}

type queueTx struct {
	db  *DB
	tx  *sqlx.Tx
	ctx context.Context
}

// lockClause is the named dialect difference: SQLite has no row locks (its
// immediate transaction already holds the database).
func (q *queueTx) lockClause(skipLocked bool) string {
	if q.db.dialect != Postgres {
		return ""
	}
	if skipLocked {
		return ` FOR UPDATE SKIP LOCKED`
	}
	return ` FOR UPDATE`
}

func (q *queueTx) LockCounter(id int64) (queue.Counter, error) {
	var r counterRow
	err := q.tx.GetContext(q.ctx, &r, q.db.q(`SELECT `+counterColumns+` FROM queue_counters WHERE id = ?`+q.lockClause(false)), id)
	if err != nil {
		return queue.Counter{}, notFound("lock counter", err)
	}
	c, err := r.decode()
	return c, unavailable("lock counter", err)
}

func (q *queueTx) Ticket(id string) (queue.Ticket, error) {
	var r ticketRow
	if err := q.tx.GetContext(q.ctx, &r, q.db.q(`SELECT `+ticketColumns+` FROM queue_tickets WHERE id = ?`), id); err != nil {
		return queue.Ticket{}, notFound("get ticket", err)
	}
	return r.decode(), nil
}

func (q *queueTx) Current(counterID int64) (queue.Ticket, error) {
	var r ticketRow
	err := q.tx.GetContext(q.ctx, &r, q.db.q(`SELECT `+ticketColumns+` FROM queue_tickets
		WHERE counter_id = ? AND status IN ('called', 'serving') ORDER BY called_at DESC LIMIT 1`), counterID)
	if err != nil {
		return queue.Ticket{}, notFound("current ticket", err)
	}
	return r.decode(), nil
}

func (q *queueTx) NextQueued(n queue.NextQuery) (queue.Ticket, error) {
	var b strings.Builder
	args := []any{n.Office, n.Day, n.Counter}
	b.WriteString(`SELECT ` + ticketColumns + ` FROM queue_tickets WHERE office_code = ? AND day = ? AND ` + queuedStatus +
		` AND (target_counter = ?`)
	if len(n.Services) > 0 {
		b.WriteString(` OR (target_counter IS NULL AND service_code IN (?` + strings.Repeat(`, ?`, len(n.Services)-1) + `))`)
		for _, s := range n.Services {
			args = append(args, s)
		}
	}
	b.WriteString(`)`)
	if n.Priority {
		b.WriteString(` AND priority <> ''`)
	} else {
		b.WriteString(` AND priority = ''`)
	}
	b.WriteString(` ORDER BY pos LIMIT 1` + q.lockClause(true))
	var r ticketRow
	if err := q.tx.GetContext(q.ctx, &r, q.db.q(b.String()), args...); err != nil {
		return queue.Ticket{}, notFound("next ticket", err)
	}
	return r.decode(), nil
}

// SaveTicket writes t if nobody changed it since it was read (its version).
func (q *queueTx) SaveTicket(t queue.Ticket) error {
	res, err := q.tx.ExecContext(q.ctx, q.db.q(`UPDATE queue_tickets SET service_code = ?, status = ?, counter_id = ?,
		target_counter = ?, first_called_at = ?, called_at = ?, served_at = ?, done_at = ?, service_seconds = ?,
		recalls = ?, transfers = ?, dossier_code = ?, version = version + 1
		WHERE id = ? AND version = ?`),
		t.Service, string(t.Status), nullID(t.CounterID), nullID(t.TargetCounter), utcPtr(t.FirstCalledAt),
		utcPtr(t.CalledAt), utcPtr(t.ServedAt), utcPtr(t.DoneAt), t.ServiceSeconds, t.Recalls, t.Transfers,
		t.DossierCode, t.ID, t.Version)
	if err != nil {
		return unavailable("save ticket", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return unavailable("save ticket", err)
	}
	if n == 0 {
		return queue.ErrStale
	}
	return q.ticketNotices(t)
}

func (q *queueTx) SetPriorityStreak(counterID int64, n int) error {
	_, err := q.tx.ExecContext(q.ctx, q.db.q(`UPDATE queue_counters SET priority_streak = ? WHERE id = ?`), n, counterID)
	return unavailable("set priority streak", err)
}
