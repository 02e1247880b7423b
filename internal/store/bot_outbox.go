package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Delivery of the outbox by the bot (docs/bot.md, "Notifications"). An
// outbox row is dispatched once: in one transaction the bot turns it into
// one delivery per chat that follows its dossier or ticket and marks it
// dispatched. A delivery is sent in id order within its chat: it is claimed
// with a lease, sent, then marked sent; a process killed in between leaves
// the lease to expire and the delivery is sent again (at least once: see
// docs/bot.md for why a rare repeat beats a lost "your turn").

// Delivery is one message to send to one chat.
type Delivery struct {
	ID       int64  `db:"id"`
	OutboxID int64  `db:"outbox_id"`
	ChatID   int64  `db:"chat_id"`
	Kind     string `db:"kind"`
	Payload  string `db:"payload"`
	Attempts int    `db:"attempts"`
}

// Statuses of a delivery.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryDropped = "dropped" // the chat blocked the bot
	DeliveryFailed  = "failed"  // Telegram refused it for good
)

type outboxItem struct {
	ID          int64  `db:"id"`
	Kind        string `db:"kind"`
	DossierCode string `db:"dossier_code"`
	TicketID    string `db:"ticket_id"`
	Payload     string `db:"payload"`
}

// outboxAddress is what a row's payload may say of its recipients besides
// its dossier or ticket: a piece of feedback (answered) or one chat.
type outboxAddress struct {
	FeedbackCode string `json:"feedback_code"`
	RatingID     int64  `json:"rating_id"`
	ChatID       int64  `json:"chat_id"`
}

// DispatchOutbox turns up to limit outbox rows of the kinds the bot
// delivers into deliveries, oldest first, and returns how many rows it
// took. A row that no chat follows is dispatched and delivered at once:
// there is nobody to tell. Rows of other kinds (for staff) are left alone.
func (db *DB) DispatchOutbox(ctx context.Context, kinds []string, now time.Time, limit int) (int, error) {
	if len(kinds) == 0 {
		return 0, nil
	}
	now = now.UTC()
	in := `kind IN (?` + strings.Repeat(`, ?`, len(kinds)-1) + `)`
	args := make([]any, 0, len(kinds)+1)
	for _, k := range kinds {
		args = append(args, k)
	}
	// A read first: the sender asks several times a second, and on SQLite
	// a write transaction holds every writer of the portal.
	var waiting []int64
	if err := db.x.SelectContext(ctx, &waiting, db.q(`SELECT id FROM outbox WHERE dispatched_at IS NULL AND `+in+` LIMIT 1`), args...); err != nil {
		return 0, unavailable("read outbox", err)
	}
	if len(waiting) == 0 {
		return 0, nil
	}
	args = append(args, limit)
	var n int
	err := db.inQueueTx(ctx, func(tx *sqlx.Tx) error {
		var rows []outboxItem
		lock := ""
		if db.dialect == Postgres {
			lock = ` FOR UPDATE SKIP LOCKED`
		}
		if err := tx.SelectContext(ctx, &rows, db.q(`SELECT id, kind, dossier_code, ticket_id, payload FROM outbox
			WHERE dispatched_at IS NULL AND `+in+` ORDER BY id LIMIT ?`+lock), args...); err != nil {
			return unavailable("read outbox", err)
		}
		n = len(rows)
		for _, r := range rows {
			chats, err := db.recipients(ctx, tx, r)
			if err != nil {
				return err
			}
			for _, c := range chats {
				if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO bot_deliveries (outbox_id, chat_id, kind, payload, next_attempt_at, created_at)
					VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`), r.ID, c, r.Kind, r.Payload, now, now); err != nil {
					return unavailable("insert delivery", err)
				}
			}
			var delivered any
			if len(chats) == 0 {
				delivered = now
			}
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE outbox SET dispatched_at = ?, delivered_at = ? WHERE id = ?`), now, delivered, r.ID); err != nil {
				return unavailable("dispatch outbox", err)
			}
		}
		return nil
	})
	return n, err
}

// recipients are the active chats an outbox row goes to.
func (db *DB) recipients(ctx context.Context, tx *sqlx.Tx, r outboxItem) ([]int64, error) {
	var chats []int64
	var err error
	switch {
	case r.DossierCode != "":
		err = tx.SelectContext(ctx, &chats, db.q(`SELECT s.chat_id FROM bot_subscriptions s JOIN bot_chats c ON c.chat_id = s.chat_id
			WHERE s.dossier_code = ? AND s.from_outbox < ? AND c.active = ? ORDER BY s.chat_id`), r.DossierCode, r.ID, true)
	case r.TicketID != "":
		err = tx.SelectContext(ctx, &chats, db.q(`SELECT l.chat_id FROM bot_ticket_links l JOIN bot_chats c ON c.chat_id = l.chat_id
			WHERE l.ticket_id = ? AND c.active = ? ORDER BY l.chat_id`), r.TicketID, true)
	default:
		var a outboxAddress
		if json.Unmarshal([]byte(r.Payload), &a) != nil {
			return nil, nil // not for the bot
		}
		switch {
		case a.FeedbackCode != "":
			err = tx.SelectContext(ctx, &chats, db.q(`SELECT f.chat_id FROM bot_feedback f JOIN bot_chats c ON c.chat_id = f.chat_id
				WHERE f.code = ? AND c.active = ?`), a.FeedbackCode, true)
		case a.RatingID != 0:
			err = tx.SelectContext(ctx, &chats, db.q(`SELECT r.chat_id FROM bot_ratings r JOIN bot_chats c ON c.chat_id = r.chat_id
				WHERE r.rating_id = ? AND c.active = ?`), a.RatingID, true)
		case a.ChatID != 0:
			err = tx.SelectContext(ctx, &chats, db.q(`SELECT chat_id FROM bot_chats WHERE chat_id = ? AND active = ?`), a.ChatID, true)
		}
	}
	return chats, unavailable("outbox recipients", err)
}

// DueDeliveries are the deliveries that may be sent now: the oldest pending
// one of each chat, when it is due and nobody holds its lease.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	now = now.UTC()
	var out []Delivery
	err := db.x.SelectContext(ctx, &out, db.q(`SELECT id, outbox_id, chat_id, kind, payload, attempts FROM bot_deliveries d
		WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
		AND NOT EXISTS (SELECT 1 FROM bot_deliveries e WHERE e.chat_id = d.chat_id AND e.status = 'pending' AND e.id < d.id)
		ORDER BY id LIMIT ?`), now, now, limit)
	return out, unavailable("due deliveries", err)
}

// ClaimDelivery takes a delivery's lease until until; false when another
// sender holds it or it is no longer pending.
func (db *DB) ClaimDelivery(ctx context.Context, id int64, now, until time.Time) (bool, error) {
	var claimed bool
	err := db.inQueueTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE bot_deliveries SET lease_until = ?, attempts = attempts + 1
			WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?)`), until.UTC(), id, now.UTC())
		if err != nil {
			return unavailable("claim delivery", err)
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return unavailable("claim delivery", err)
	})
	return claimed, err
}

// FinishDelivery ends a delivery (sent, dropped or failed) and marks its
// outbox row delivered once none of its deliveries is pending.
func (db *DB) FinishDelivery(ctx context.Context, d Delivery, status, lastErr string, now time.Time) error {
	now = now.UTC()
	return db.inQueueTx(ctx, func(tx *sqlx.Tx) error {
		var sent any
		if status == DeliverySent {
			sent = now
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE bot_deliveries SET status = ?, sent_at = ?, lease_until = NULL, last_error = ?
			WHERE id = ?`), status, sent, lastErr, d.ID); err != nil {
			return unavailable("finish delivery", err)
		}
		return db.closeOutbox(ctx, tx, d.OutboxID, now)
	})
}

func (db *DB) closeOutbox(ctx context.Context, tx *sqlx.Tx, outboxID int64, now time.Time) error {
	if outboxID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, db.q(`UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM bot_deliveries WHERE outbox_id = ? AND status = 'pending')`), now, outboxID, outboxID)
	return unavailable("close outbox row", err)
}

// RetryDelivery releases a delivery to be tried again at next.
func (db *DB) RetryDelivery(ctx context.Context, id int64, next time.Time, lastErr string) error {
	_, err := db.x.ExecContext(ctx, db.q(`UPDATE bot_deliveries SET lease_until = NULL, next_attempt_at = ?, last_error = ?
		WHERE id = ? AND status = 'pending'`), next.UTC(), lastErr, id)
	return unavailable("retry delivery", err)
}

// DeactivateChat records that the user blocked the bot: the chat gets
// nothing more (its pending deliveries are dropped) until it writes again.
func (db *DB) DeactivateChat(ctx context.Context, chat int64, now time.Time) error {
	now = now.UTC()
	return db.inQueueTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE bot_chats SET active = ?, updated_at = ? WHERE chat_id = ?`), false, now, chat); err != nil {
			return unavailable("deactivate chat", err)
		}
		var ids []int64
		if err := tx.SelectContext(ctx, &ids, db.q(`SELECT DISTINCT outbox_id FROM bot_deliveries WHERE chat_id = ? AND status = 'pending'`), chat); err != nil {
			return unavailable("deactivate chat", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE bot_deliveries SET status = ?, lease_until = NULL, last_error = ?
			WHERE chat_id = ? AND status = 'pending'`), DeliveryDropped, "blocked by the user", chat); err != nil {
			return unavailable("deactivate chat", err)
		}
		for _, id := range ids {
			if err := db.closeOutbox(ctx, tx, id, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeliveryCounts counts deliveries by status (health, tests).
func (db *DB) DeliveryCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err := db.x.SelectContext(ctx, &rows, `SELECT status, COUNT(*) AS n FROM bot_deliveries GROUP BY status`)
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, unavailable("count deliveries", err)
}

// UndispatchedOutbox counts outbox rows the bot has not taken yet.
func (db *DB) UndispatchedOutbox(ctx context.Context) (int, error) {
	var n int
	err := db.x.GetContext(ctx, &n, `SELECT COUNT(*) FROM outbox WHERE dispatched_at IS NULL`)
	return n, unavailable("count outbox", err)
}
