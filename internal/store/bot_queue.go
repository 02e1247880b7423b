package store

import (
	"encoding/json"
	"time"

	"motcua/internal/queue"
)

// Outbox kinds about queue tickets that a chat follows. The bot runs in its
// own process, where the portal's in-process event bus does not reach on
// SQLite, so a counter's call writes them in its own transaction.
const (
	KindTicketCalled = "ticket.called" // your turn: counter N
	KindTicketNear   = "ticket.near"   // two numbers (or fewer) before you
	KindTicketDone   = "ticket.done"   // the visit ended: rate it
)

// TicketNotice is the payload of a ticket's outbox row.
type TicketNotice struct {
	TicketID    string    `json:"ticket_id"`
	Number      string    `json:"number"`
	Office      string    `json:"office"`
	Counter     int       `json:"counter,omitempty"`
	CounterName string    `json:"counter_name,omitempty"`
	Recall      bool      `json:"recall,omitempty"`
	Ahead       int       `json:"ahead,omitempty"`
	At          time.Time `json:"at"`
}

// NearAhead is how few people ahead of a followed ticket trigger the
// heads-up ("two numbers before you").
const NearAhead = 2

// ticketNotices writes, in the transaction that saved t, the outbox rows
// for chats following tickets: t's call or the end of its visit, and the
// heads-up to followed tickets of the office that now have NearAhead or
// fewer people ahead of them (once per ticket).
func (q *queueTx) ticketNotices(t queue.Ticket) error {
	var linked int
	if err := q.tx.GetContext(q.ctx, &linked, q.db.q(`SELECT COUNT(*) FROM bot_ticket_links WHERE ticket_id = ?`), t.ID); err != nil {
		return unavailable("ticket links", err)
	}
	switch {
	case t.Status == queue.Called && t.CalledAt != nil:
		if linked > 0 {
			n := TicketNotice{TicketID: t.ID, Number: t.Number, Office: t.OfficeCode, Recall: t.Recalls > 0, At: *t.CalledAt}
			if n.Number == "" {
				n.Number = queue.FormatNumber(t.Prefix, t.Seq)
			}
			var c struct {
				Number int    `db:"number"`
				Name   string `db:"name"`
			}
			if err := q.tx.GetContext(q.ctx, &c, q.db.q(`SELECT number, name FROM queue_counters WHERE id = ?`), t.CounterID); err != nil {
				return unavailable("ticket notice counter", err)
			}
			n.Counter, n.CounterName = c.Number, c.Name
			if err := q.notice(KindTicketCalled, n); err != nil {
				return err
			}
			// Called: no heads-up is due any more.
			if _, err := q.tx.ExecContext(q.ctx, q.db.q(`UPDATE bot_ticket_links SET near_sent = ? WHERE ticket_id = ?`), true, t.ID); err != nil {
				return unavailable("ticket links", err)
			}
		}
		return q.nearNotices(t.OfficeCode, t.Day, *t.CalledAt)
	case t.Status == queue.Done && linked > 0 && t.DoneAt != nil:
		n := TicketNotice{TicketID: t.ID, Number: queue.FormatNumber(t.Prefix, t.Seq), Office: t.OfficeCode, At: *t.DoneAt}
		return q.notice(KindTicketDone, n)
	}
	return nil
}

// nearNotices sends the heads-up to followed tickets now near their turn.
// "Ahead" counts as the queue does (queue.Manager): earlier tickets of the
// service, and for an ordinary ticket the priority ones issued after it.
func (q *queueTx) nearNotices(office, day string, at time.Time) error {
	var waiting []queue.Ticket
	if err := q.tx.SelectContext(q.ctx, &waiting, q.db.q(`SELECT DISTINCT t.id, t.office_code, t.service_code, t.day, t.prefix, t.seq, t.pos, t.priority
		FROM bot_ticket_links l JOIN queue_tickets t ON t.id = l.ticket_id
		WHERE l.near_sent = ? AND t.office_code = ? AND t.day = ? AND t.`+queuedStatus), false, office, day); err != nil {
		return unavailable("followed tickets", err)
	}
	for _, w := range waiting {
		before := `pos < ?`
		args := []any{office, day, w.Service, w.Pos}
		if w.Priority != "" {
			before = `priority <> '' AND pos < ?`
		} else {
			before = `(pos < ? OR (priority <> '' AND pos > ?))`
			args = append(args, w.Pos)
		}
		var ahead int
		if err := q.tx.GetContext(q.ctx, &ahead, q.db.q(`SELECT COUNT(*) FROM queue_tickets
			WHERE office_code = ? AND day = ? AND service_code = ? AND `+queuedStatus+` AND `+before), args...); err != nil {
			return unavailable("count ahead", err)
		}
		if ahead > NearAhead {
			continue
		}
		n := TicketNotice{TicketID: w.ID, Number: queue.FormatNumber(w.Prefix, w.Seq), Office: office, Ahead: ahead, At: at}
		if err := q.notice(KindTicketNear, n); err != nil {
			return err
		}
		if _, err := q.tx.ExecContext(q.ctx, q.db.q(`UPDATE bot_ticket_links SET near_sent = ? WHERE ticket_id = ?`), true, w.ID); err != nil {
			return unavailable("ticket links", err)
		}
	}
	return nil
}

func (q *queueTx) notice(kind string, n TicketNotice) error {
	payload, err := json.Marshal(n)
	if err != nil {
		return unavailable("encode ticket notice", err)
	}
	_, err = q.tx.ExecContext(q.ctx, q.db.q(`INSERT INTO outbox (kind, ticket_id, payload, created_at, attempts) VALUES (?, ?, ?, ?, 0)`),
		kind, n.TicketID, string(payload), n.At.UTC())
	return unavailable("insert ticket notice", err)
}

// TicketNear reports whether a ticket with ahead people before it is near
// its turn: a chat linking it then needs no heads-up later.
func TicketNear(ahead int) bool { return ahead <= NearAhead }
