package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
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

// takeNumbers adds n to a counter row of queue_numbers and returns its new
// value, with how many of the service's tickets are queued (and of those
// the priority ones) before the new ones: counts that the triggers of
// queue_tickets keep in the same row (migration 00016_queue_counts.sql).
// The numbers taken are the value's last n. SQLite's position counter is
// the row of the empty service.
const takeNumbers = `INSERT INTO queue_numbers (office_code, service_code, day, last_seq) VALUES (?, ?, ?, ?)
	ON CONFLICT (office_code, service_code, day) DO UPDATE SET last_seq = queue_numbers.last_seq + excluded.last_seq
	RETURNING last_seq, queued, queued_priority`

// takeServiceNumbers is takeNumbers for a service's numbers, refused (no
// row) unless the service is in use as the number is taken: a layout read
// before the service was retired never issues for it (docs/domain.md,
// "Issuing at scale").
const takeServiceNumbers = `INSERT INTO queue_numbers (office_code, service_code, day, last_seq)
	SELECT ?, ?, ?, CAST(? AS INTEGER) WHERE EXISTS (SELECT 1 FROM queue_services
		WHERE office_code = ? AND code = ? AND retired_at IS NULL)
	ON CONFLICT (office_code, service_code, day) DO UPDATE SET last_seq = queue_numbers.last_seq + excluded.last_seq
	RETURNING last_seq, queued, queued_priority`

type numberTaken struct {
	Last           int `db:"last_seq"`
	Queued         int `db:"queued"`
	QueuedPriority int `db:"queued_priority"`
}

// nextPositions is the named dialect difference of issuing: PostgreSQL
// takes positions from a sequence, which needs no lock shared by the whole
// office; SQLite, one writer at a time anyway, counts in queue_numbers
// (the empty service's row).
const nextPositions = `SELECT nextval('queue_ticket_pos') FROM generate_series(1, ?) ORDER BY 1`

// takePositions takes n consecutive positions of the office's day, in
// order.
func (db *DB) takePositions(ctx context.Context, tx *sqlx.Tx, office, day string, n int) ([]int64, error) {
	if db.dialect == Postgres {
		var pos []int64
		err := tx.SelectContext(ctx, &pos, db.q(nextPositions), n)
		return pos, err
	}
	var got numberTaken
	if err := db.getP(ctx, tx, &got, takeNumbers, office, "", day, n); err != nil {
		return nil, err
	}
	pos := make([]int64, n)
	for i := range pos {
		pos[i] = int64(got.Last - n + 1 + i)
	}
	return pos, nil
}

const insertTicketColumns = `INSERT INTO queue_tickets (id, office_code, numbered_service, service_code, day,
	prefix, seq, pos, priority, status, issued_at) VALUES `

// IssueTicket numbers and inserts a ticket in one transaction. The upsert
// on queue_numbers locks that row until commit (PostgreSQL) or runs inside
// an immediate transaction (SQLite), so concurrent kiosks, on any number of
// instances, take consecutive numbers; a failed insert rolls the number back.
// It returns how many are ahead of the new ticket: the service's queued
// tickets (only the priority ones for a priority ticket), read from the row
// it locks, not counted.
//
// The tickets asked for while another transaction issues wait for it and are
// then issued together, in one transaction (issueBatch): the service's row
// is held until the commit is on disk, so one ticket per transaction would
// give a service no more tickets a second than commits the disk can make.
func (db *DB) IssueTicket(ctx context.Context, t queue.Ticket, stamp func() time.Time, notice queue.Notice) (queue.Ticket, int, error) {
	if err := db.prepare(ctx, takeNumbers, takeServiceNumbers); err != nil {
		return queue.Ticket{}, 0, unavailable("prepare", err)
	}
	r := &issueReq{t: t, stamp: stamp, notice: notice}
	is := &db.issuer
	is.mu.Lock()
	if is.cond == nil {
		is.cond = sync.NewCond(&is.mu)
	}
	is.pending = append(is.pending, r)
	for !r.done {
		if is.busy {
			is.cond.Wait()
			continue
		}
		// Nobody issues: this request issues the waiting ones (its own
		// among them, or in a later round), then wakes the others.
		is.busy = true
		batch := is.pending
		if len(batch) > maxIssueBatch {
			batch = batch[:maxIssueBatch:maxIssueBatch]
			is.pending = is.pending[maxIssueBatch:]
		} else {
			is.pending = nil
		}
		is.mu.Unlock()
		// The others' tickets must not fail because this request ended.
		db.issueBatch(context.WithoutCancel(ctx), batch)
		is.mu.Lock()
		for _, b := range batch {
			b.done = true
		}
		is.busy = false
		is.cond.Broadcast()
	}
	is.mu.Unlock()
	if r.err != nil {
		return queue.Ticket{}, 0, r.err
	}
	return r.t, r.ahead, nil
}

// maxIssueBatch bounds the tickets of one issuing transaction.
const maxIssueBatch = 64

// issuer gathers the tickets asked for while a transaction issues.
type issuer struct {
	mu      sync.Mutex
	cond    *sync.Cond
	busy    bool
	pending []*issueReq
}

type issueReq struct {
	t      queue.Ticket
	stamp  func() time.Time
	notice queue.Notice
	ahead  int
	err    error
	done   bool // under issuer.mu
}

// issueBatch issues the batch's tickets in one transaction, a service at a
// time: one statement takes the service's numbers, one the positions, one
// inserts the tickets. The services' rows are taken in one order (office,
// service, day) so that two instances' batches never wait for each other
// in a circle. If it fails, each ticket is issued again on its own, so that
// only the one at fault fails and no number is skipped.
func (db *DB) issueBatch(ctx context.Context, batch []*issueReq) {
	slices.SortStableFunc(batch, func(a, b *issueReq) int {
		return cmp.Or(strings.Compare(a.t.OfficeCode, b.t.OfficeCode), strings.Compare(a.t.Service, b.t.Service),
			strings.Compare(a.t.Day, b.t.Day))
	})
	err := db.inQueueTx(ctx, func(tx *sqlx.Tx) error {
		for i := 0; i < len(batch); {
			j := i + 1
			for j < len(batch) && batch[j].t.OfficeCode == batch[i].t.OfficeCode &&
				batch[j].t.Service == batch[i].t.Service && batch[j].t.Day == batch[i].t.Day {
				j++
			}
			if err := db.issueService(ctx, tx, batch[i:j]); err != nil {
				return err
			}
			i = j
		}
		return nil
	})
	switch {
	case err == nil:
		for _, r := range batch {
			r.t.Number = queue.FormatNumber(r.t.Prefix, r.t.Seq)
		}
	case len(batch) == 1:
		batch[0].err = err
	default:
		for _, r := range batch {
			db.issueBatch(ctx, []*issueReq{r})
		}
	}
}

// issueService numbers and inserts tickets of one office, service and day,
// in the order given, in tx.
func (db *DB) issueService(ctx context.Context, tx *sqlx.Tx, rs []*issueReq) error {
	first := rs[0].t
	var n numberTaken
	err := db.getP(ctx, tx, &n, takeServiceNumbers, first.OfficeCode, first.Service, first.Day, len(rs),
		first.OfficeCode, first.Service)
	if errors.Is(err, sql.ErrNoRows) {
		return queue.ErrServiceRetired
	}
	if err != nil {
		return unavailable("take number", err)
	}
	// Taken while the service's numbers are held, so positions follow
	// numbers within a service.
	pos, err := db.takePositions(ctx, tx, first.OfficeCode, first.Day, len(rs))
	if err != nil {
		return unavailable("take position", err)
	}
	var q strings.Builder
	q.WriteString(insertTicketColumns)
	args := make([]any, 0, 11*len(rs))
	queued, priority := n.Queued, n.QueuedPriority
	for i, r := range rs {
		t := &r.t
		t.Seq, t.Pos = n.Last-len(rs)+1+i, pos[i]
		// Ahead: every queued ticket of the service before it, or the
		// priority ones for a priority ticket; the batch's earlier ones
		// among them.
		r.ahead = queued
		if t.Priority != "" {
			r.ahead = priority
			priority++
		}
		queued++
		t.IssuedAt = r.stamp().UTC().Truncate(time.Microsecond)
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, t.ID, t.OfficeCode, t.Service, t.Service, t.Day, t.Prefix, t.Seq, t.Pos, t.Priority, string(t.Status), t.IssuedAt)
	}
	if _, err = tx.ExecContext(ctx, db.q(q.String()), args...); err != nil {
		return unavailable("issue ticket", err)
	}
	return db.notifyIssued(ctx, tx, rs)
}

// notifyIssued sends the tickets' notifications in tx, in one statement:
// PostgreSQL delivers them at commit, and drops them on a rollback.
func (db *DB) notifyIssued(ctx context.Context, tx *sqlx.Tx, rs []*issueReq) error {
	var q strings.Builder
	var args []any
	for _, r := range rs {
		if r.notice == nil || db.dialect != Postgres {
			continue
		}
		t := r.t
		t.Number = queue.FormatNumber(t.Prefix, t.Seq)
		channel, payload, ok := r.notice(t)
		if !ok {
			continue
		}
		if len(args) == 0 {
			q.WriteString("SELECT ")
		} else {
			q.WriteString(", ")
		}
		q.WriteString("pg_notify(?, ?)")
		args = append(args, channel, payload)
	}
	if len(args) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, db.q(q.String()), args...)
	return unavailable("notify", err)
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
