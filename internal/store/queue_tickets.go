package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"motcua/internal/queue"
)

// ticketRow is a ticket as stored: a counter is NULL when there is none.
type ticketRow struct {
	queue.Ticket
	Counter sql.NullInt64 `db:"counter_id"`
	Target  sql.NullInt64 `db:"target_counter"`
}

const ticketColumns = `id, office_code, service_code, day, prefix, seq, pos, priority, status, counter_id, target_counter,
	issued_at, first_called_at, called_at, served_at, done_at, service_seconds, recalls, transfers, dossier_code, version`

func (r ticketRow) decode() queue.Ticket {
	t := r.Ticket
	t.CounterID, t.TargetCounter = r.Counter.Int64, r.Target.Int64
	t.Number = queue.FormatNumber(t.Prefix, t.Seq)
	t.IssuedAt = t.IssuedAt.UTC()
	for _, p := range []**time.Time{&t.FirstCalledAt, &t.CalledAt, &t.ServedAt, &t.DoneAt} {
		if *p != nil {
			u := (*p).UTC()
			*p = &u
		}
	}
	return t
}

func decodeTickets(rows []ticketRow) []queue.Ticket {
	out := make([]queue.Ticket, len(rows))
	for i, r := range rows {
		out[i] = r.decode()
	}
	return out
}

// nullID stores 0 as NULL: "no counter".
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// utcPtr keeps stored times in UTC at microsecond precision, which both
// databases hold exactly.
func utcPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// takeNumber increments a counter row of queue_numbers and returns it.
const takeNumber = `INSERT INTO queue_numbers (office_code, service_code, day, last_seq) VALUES (?, ?, ?, 1)
	ON CONFLICT (office_code, service_code, day) DO UPDATE SET last_seq = queue_numbers.last_seq + 1
	RETURNING last_seq`

// nextPos is the named dialect difference of issuing: PostgreSQL takes a
// position from a sequence, which needs no lock shared by the whole office;
// SQLite, one writer at a time anyway, counts in queue_numbers (service ”).
const nextPos = `SELECT nextval('queue_ticket_pos')`

func (db *DB) takePos(ctx context.Context, tx *sqlx.Tx, t queue.Ticket) (int64, error) {
	var pos int64
	var err error
	if db.dialect == Postgres {
		err = db.getP(ctx, tx, &pos, nextPos)
	} else {
		err = db.getP(ctx, tx, &pos, takeNumber, t.OfficeCode, "", t.Day)
	}
	return pos, err
}

const insertTicket = `INSERT INTO queue_tickets (id, office_code, numbered_service, service_code, day,
	prefix, seq, pos, priority, status, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// IssueTicket numbers and inserts a ticket in one transaction. The upsert
// on queue_numbers locks that row until commit (PostgreSQL) or runs inside
// an immediate transaction (SQLite), so concurrent kiosks, on any number of
// instances, take consecutive numbers; a failed insert rolls the number back.
func (db *DB) IssueTicket(ctx context.Context, t queue.Ticket, stamp func() time.Time) (queue.Ticket, error) {
	warm := []string{takeNumber, insertTicket}
	if db.dialect == Postgres {
		warm = append(warm, nextPos)
	}
	if err := db.prepare(ctx, warm...); err != nil {
		return queue.Ticket{}, unavailable("prepare", err)
	}
	err := db.inQueueTx(ctx, func(tx *sqlx.Tx) error {
		if err := db.getP(ctx, tx, &t.Seq, takeNumber, t.OfficeCode, t.Service, t.Day); err != nil {
			return unavailable("take number", err)
		}
		// Taken while the service's number is held, so positions follow
		// numbers within a service.
		var err error
		if t.Pos, err = db.takePos(ctx, tx, t); err != nil {
			return unavailable("take position", err)
		}
		t.IssuedAt = stamp().UTC().Truncate(time.Microsecond)
		err = db.execTxP(ctx, tx, insertTicket,
			t.ID, t.OfficeCode, t.Service, t.Service, t.Day, t.Prefix, t.Seq, t.Pos, t.Priority, string(t.Status), t.IssuedAt)
		return unavailable("issue ticket", err)
	})
	if err != nil {
		return queue.Ticket{}, err
	}
	t.Number = queue.FormatNumber(t.Prefix, t.Seq)
	return t, nil
}

// Ticket returns one ticket or apperr.ErrNotFound.
func (db *DB) Ticket(ctx context.Context, id string) (queue.Ticket, error) {
	var r ticketRow
	if err := db.getP(ctx, nil, &r, `SELECT `+ticketColumns+` FROM queue_tickets WHERE id = ?`, id); err != nil {
		return queue.Ticket{}, notFound("get ticket", err)
	}
	return r.decode(), nil
}

const queuedStatus = `status IN ('waiting', 'transferred')`

// CountQueued counts queued tickets of one service before a ticket (and,
// when asked, the priority ones after it) in one query.
func (db *DB) CountQueued(ctx context.Context, f queue.QueuedFilter) (int, error) {
	before := `pos < ?`
	if f.PriorityOnly {
		before = `(priority <> '' AND pos < ?)`
	}
	args := []any{f.Office, f.Day, f.Service, f.Before.Pos}
	if f.LaterPriority {
		before = `(` + before + ` OR (priority <> '' AND pos > ?))`
		args = append(args, f.Before.Pos)
	}
	var n int
	err := db.getP(ctx, nil, &n, `SELECT COUNT(*) FROM queue_tickets
		WHERE office_code = ? AND day = ? AND service_code = ? AND `+queuedStatus+` AND `+before, args...)
	return n, unavailable("count queued", err)
}

// ServiceStats measures the day's finished visits per service. Only tickets
// a counter has called count, which keeps the query small while many wait.
func (db *DB) ServiceStats(ctx context.Context, office, day string) ([]queue.ServiceStat, error) {
	var out []queue.ServiceStat
	err := db.selectP(ctx, &out, `SELECT service_code,
			SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS finished,
			SUM(CASE WHEN status = 'done' THEN service_seconds ELSE 0 END) AS service_seconds,
			COUNT(DISTINCT counter_id) AS counters
		FROM queue_tickets WHERE office_code = ? AND day = ? AND status IN ('called', 'serving', 'done', 'no_show')
		GROUP BY service_code`, office, day)
	return out, unavailable("service stats", err)
}

// ActiveTickets are the day's tickets queued or at a counter, in queue order.
func (db *DB) ActiveTickets(ctx context.Context, office, day string) ([]queue.Ticket, error) {
	return db.selectTickets(ctx, "active tickets", `WHERE office_code = ? AND day = ?
		AND status IN ('waiting', 'transferred', 'called', 'serving') ORDER BY pos`, office, day)
}

// RecentCalls are the day's last calls, newest first.
func (db *DB) RecentCalls(ctx context.Context, office, day string, limit int) ([]queue.Ticket, error) {
	return db.selectTickets(ctx, "recent calls", `WHERE office_code = ? AND day = ? AND called_at IS NOT NULL
		ORDER BY called_at DESC LIMIT ?`, office, day, limit)
}

// DayTickets are every ticket of the day, in issue order.
func (db *DB) DayTickets(ctx context.Context, office, day string) ([]queue.Ticket, error) {
	return db.selectTickets(ctx, "day tickets", `WHERE office_code = ? AND day = ? ORDER BY pos`, office, day)
}

func (db *DB) selectTickets(ctx context.Context, op, where string, args ...any) ([]queue.Ticket, error) {
	var rows []ticketRow
	if err := db.x.SelectContext(ctx, &rows, db.q(`SELECT `+ticketColumns+` FROM queue_tickets `+where), args...); err != nil {
		return nil, unavailable(op, err)
	}
	return decodeTickets(rows), nil
}

// Notify sends a PostgreSQL notification; the event bus publishes with it.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.dialect != Postgres {
		return errors.New("store: notify needs PostgreSQL")
	}
	_, err := db.x.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload)
	return unavailable("notify", err)
}

var _ queue.Store = (*DB)(nil)
