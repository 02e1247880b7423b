package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
)

// The Telegram bot's own rows (migration 00010, docs/bot.md): its chats,
// what each follows, and the delivery of the outbox to them. The bot keeps
// no business rule here; it only remembers its conversations.

// BotChat is one private chat with the bot.
type BotChat struct {
	ID         int64  `db:"chat_id"`
	Lang       string `db:"lang"`
	LangChosen bool   `db:"lang_chosen"` // set by /lang: Telegram's language no longer applies
	Phone      string `db:"phone"`       // the normalised phone the chat proved, or ""
	State      string `db:"state"`       // what the chat is asked for next ("" for nothing)
	StateData  string `db:"state_data"`
	Active     bool   `db:"active"` // false once the user blocked the bot
}

// BotMeta reads a value the bot recorded ("" when none).
func (db *DB) BotMeta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.x.GetContext(ctx, &v, db.q(`SELECT value FROM bot_meta WHERE key = ?`), key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, unavailable("bot meta", err)
}

// SetBotMeta records a value of the bot.
func (db *DB) SetBotMeta(ctx context.Context, key, value string, now time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO bot_meta (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`), key, value, now.UTC())
	return unavailable("set bot meta", err)
}

// BotUsername is the username the bot recorded at its start, for t.me
// links ("" when no bot ever ran).
func (db *DB) BotUsername(ctx context.Context) (string, error) { return db.BotMeta(ctx, "username") }

const botChatColumns = `chat_id, lang, lang_chosen, phone, state, state_data, active`

// EnsureBotChat returns the chat, creating it in lang when it is new. A
// chat that writes to the bot is active again, even if it blocked it once.
func (db *DB) EnsureBotChat(ctx context.Context, id int64, lang string, now time.Time) (BotChat, error) {
	var c BotChat
	err := db.inQueueTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO bot_chats (chat_id, lang, created_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (chat_id) DO UPDATE SET active = ?`), id, lang, now.UTC(), now.UTC(), true); err != nil {
			return unavailable("ensure bot chat", err)
		}
		return unavailable("get bot chat", tx.GetContext(ctx, &c, db.q(`SELECT `+botChatColumns+` FROM bot_chats WHERE chat_id = ?`), id))
	})
	return c, err
}

// BotChat returns a chat or apperr.ErrNotFound.
func (db *DB) BotChat(ctx context.Context, id int64) (BotChat, error) {
	var c BotChat
	err := db.x.GetContext(ctx, &c, db.q(`SELECT `+botChatColumns+` FROM bot_chats WHERE chat_id = ?`), id)
	return c, notFound("get bot chat", err)
}

// SaveBotChat writes the chat's language, phone and state.
func (db *DB) SaveBotChat(ctx context.Context, c BotChat, now time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`UPDATE bot_chats SET lang = ?, lang_chosen = ?, phone = ?, state = ?, state_data = ?,
		active = ?, updated_at = ? WHERE chat_id = ?`), c.Lang, c.LangChosen, c.Phone, c.State, c.StateData, c.Active, now.UTC(), c.ID)
	return unavailable("save bot chat", err)
}

// Subscribe makes the chat follow a dossier from now on: outbox rows
// written before it are not sent (the chat was just shown the dossier).
func (db *DB) Subscribe(ctx context.Context, chat int64, code string, now time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO bot_subscriptions (chat_id, dossier_code, from_outbox, created_at)
		VALUES (?, ?, (SELECT COALESCE(MAX(id), 0) FROM outbox), ?) ON CONFLICT (chat_id, dossier_code) DO NOTHING`), chat, code, now.UTC())
	return unavailable("subscribe", err)
}

// Unsubscribe stops the chat following a dossier; false if it did not.
func (db *DB) Unsubscribe(ctx context.Context, chat int64, code string) (bool, error) {
	res, err := db.x.ExecContext(ctx, db.q(`DELETE FROM bot_subscriptions WHERE chat_id = ? AND dossier_code = ?`), chat, code)
	if err != nil {
		return false, unavailable("unsubscribe", err)
	}
	n, err := res.RowsAffected()
	return n > 0, unavailable("unsubscribe", err)
}

// Subscriptions lists the dossiers a chat follows, oldest first.
func (db *DB) Subscriptions(ctx context.Context, chat int64) ([]string, error) {
	var out []string
	err := db.x.SelectContext(ctx, &out, db.q(`SELECT dossier_code FROM bot_subscriptions WHERE chat_id = ? ORDER BY created_at, dossier_code`), chat)
	return out, unavailable("subscriptions", err)
}

// Subscribed reports whether the chat follows the dossier.
func (db *DB) Subscribed(ctx context.Context, chat int64, code string) (bool, error) {
	var n int
	err := db.x.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM bot_subscriptions WHERE chat_id = ? AND dossier_code = ?`), chat, code)
	return n > 0, unavailable("subscribed", err)
}

// LinkTicket makes the chat follow a queue ticket: its calls are written to
// the outbox from now on (queueTx.SaveTicket).
// near: the ticket is near its turn already, so no heads-up will follow.
func (db *DB) LinkTicket(ctx context.Context, chat int64, ticketID string, near bool, now time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO bot_ticket_links (ticket_id, chat_id, near_sent, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (ticket_id, chat_id) DO NOTHING`), ticketID, chat, near, now.UTC())
	return unavailable("link ticket", err)
}

// UnlinkTicket stops the chat following a ticket; false if it did not.
func (db *DB) UnlinkTicket(ctx context.Context, chat int64, ticketID string) (bool, error) {
	res, err := db.x.ExecContext(ctx, db.q(`DELETE FROM bot_ticket_links WHERE chat_id = ? AND ticket_id = ?`), chat, ticketID)
	if err != nil {
		return false, unavailable("unlink ticket", err)
	}
	n, err := res.RowsAffected()
	return n > 0, unavailable("unlink ticket", err)
}

// LinkedTickets lists the tickets a chat follows, newest first.
func (db *DB) LinkedTickets(ctx context.Context, chat int64) ([]string, error) {
	var out []string
	err := db.x.SelectContext(ctx, &out, db.q(`SELECT ticket_id FROM bot_ticket_links WHERE chat_id = ? ORDER BY created_at DESC, ticket_id`), chat)
	return out, unavailable("linked tickets", err)
}

// BotRating is a rating asked in a chat: the answers so far and the
// question it is at.
type BotRating struct {
	ChatID   int64  `db:"chat_id"`
	Kind     string `db:"kind"` // dossier or ticket
	Ref      string `db:"ref"`  // the dossier code or ticket ID
	Step     int    `db:"step"`
	Answers  string `db:"answers"` // JSON {key: score}
	Done     bool   `db:"done"`
	RatingID int64  `db:"rating_id"`
}

// StartBotRating records that the chat is asked to rate; false when it was
// asked before (a chat is asked once).
func (db *DB) StartBotRating(ctx context.Context, chat int64, kind, ref string, now time.Time) (bool, error) {
	res, err := db.x.ExecContext(ctx, db.q(`INSERT INTO bot_ratings (chat_id, kind, ref, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (chat_id, kind, ref) DO NOTHING`), chat, kind, ref, now.UTC())
	if err != nil {
		return false, unavailable("start bot rating", err)
	}
	n, err := res.RowsAffected()
	return n > 0, unavailable("start bot rating", err)
}

// BotRatingOf returns the rating asked in a chat, or apperr.ErrNotFound.
func (db *DB) BotRatingOf(ctx context.Context, chat int64, kind, ref string) (BotRating, error) {
	var r BotRating
	err := db.x.GetContext(ctx, &r, db.q(`SELECT chat_id, kind, ref, step, answers, done, rating_id FROM bot_ratings
		WHERE chat_id = ? AND kind = ? AND ref = ?`), chat, kind, ref)
	return r, notFound("get bot rating", err)
}

// AdvanceBotRating records an answer if the rating is still at step (a
// button pressed twice counts once); false when it was not.
func (db *DB) AdvanceBotRating(ctx context.Context, r BotRating, step int) (bool, error) {
	res, err := db.x.ExecContext(ctx, db.q(`UPDATE bot_ratings SET step = ?, answers = ?, done = ?, rating_id = ?
		WHERE chat_id = ? AND kind = ? AND ref = ? AND step = ? AND done = ?`), r.Step, r.Answers, r.Done, r.RatingID, r.ChatID, r.Kind, r.Ref, step, false)
	if err != nil {
		return false, unavailable("advance bot rating", err)
	}
	n, err := res.RowsAffected()
	return n > 0, unavailable("advance bot rating", err)
}

// RecordBotFeedback remembers which chat sent a piece of feedback, so the
// answer goes back there.
func (db *DB) RecordBotFeedback(ctx context.Context, code string, chat int64, now time.Time) error {
	_, err := db.x.ExecContext(ctx, db.q(`INSERT INTO bot_feedback (code, chat_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (code) DO NOTHING`), code, chat, now.UTC())
	return unavailable("record bot feedback", err)
}

// BotRatingRef is what a chat's rating (by the ratings service's id) was
// about: the dossier code or ticket ID.
func (db *DB) BotRatingRef(ctx context.Context, chat, ratingID int64) (string, error) {
	var ref string
	err := db.x.GetContext(ctx, &ref, db.q(`SELECT ref FROM bot_ratings WHERE chat_id = ? AND rating_id = ?`), chat, ratingID)
	return ref, notFound("bot rating ref", err)
}
