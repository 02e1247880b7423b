-- +goose Up
-- The Telegram bot: its chats, what they follow, and the delivery
-- of the outbox to them (docs/bot.md).

-- What the bot records for the portal: its username (t.me deep links) and
-- the last update it handled (so a restart never handles one twice).
CREATE TABLE bot_meta (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

-- One row per private chat: its language, the phone it proved through
-- Telegram's contact button, and what it is in the middle of.
CREATE TABLE bot_chats (
    chat_id     INTEGER PRIMARY KEY,
    lang        TEXT NOT NULL DEFAULT 'vi',
    lang_chosen INTEGER NOT NULL DEFAULT 0,
    phone       TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT '',
    state_data  TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

-- A chat follows a dossier: outbox rows after from_outbox reach it.
CREATE TABLE bot_subscriptions (
    chat_id      INTEGER NOT NULL REFERENCES bot_chats (chat_id),
    dossier_code TEXT NOT NULL,
    from_outbox  INTEGER NOT NULL DEFAULT 0,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (chat_id, dossier_code)
);
CREATE INDEX bot_subscriptions_code ON bot_subscriptions (dossier_code);

-- A chat follows a queue ticket. near_sent: the "two numbers left" heads-up
-- went out (it goes once).
CREATE TABLE bot_ticket_links (
    ticket_id  TEXT NOT NULL,
    chat_id    INTEGER NOT NULL REFERENCES bot_chats (chat_id),
    near_sent  INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (ticket_id, chat_id)
);
CREATE INDEX bot_ticket_links_chat ON bot_ticket_links (chat_id);
CREATE INDEX bot_ticket_links_waiting ON bot_ticket_links (ticket_id) WHERE near_sent = 0;

-- Messages to one chat, made from outbox rows (or by the bot itself), sent
-- in id order per chat. A row is claimed with a lease before it is sent and
-- marked sent after Telegram accepted it.
CREATE TABLE bot_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id       INTEGER NOT NULL DEFAULT 0,
    chat_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dropped', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    lease_until     DATETIME,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    sent_at         DATETIME
);
CREATE UNIQUE INDEX bot_deliveries_once ON bot_deliveries (outbox_id, chat_id, kind) WHERE outbox_id <> 0;
CREATE INDEX bot_deliveries_pending ON bot_deliveries (chat_id, id) WHERE status = 'pending';

-- A rating asked in a chat, question by question; a row exists once asked,
-- so a chat is asked once per dossier or visit; rating_id is the rating it
-- gave (a reply to a low rating comes back to the chat).
CREATE TABLE bot_ratings (
    chat_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('dossier', 'ticket')),
    ref        TEXT NOT NULL,
    step       INTEGER NOT NULL DEFAULT 0,
    answers    TEXT NOT NULL DEFAULT '{}',
    rating_id  INTEGER NOT NULL DEFAULT 0,
    done       INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (chat_id, kind, ref)
);

-- Feedback sent from a chat: its answer goes back there.
CREATE TABLE bot_feedback (
    code       TEXT PRIMARY KEY,
    chat_id    INTEGER NOT NULL,
    created_at DATETIME NOT NULL
);

-- Outbox rows about a queue ticket name it; dispatched_at is when the bot
-- turned a row into deliveries (delivered_at: when they were all sent).
ALTER TABLE outbox ADD COLUMN ticket_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN dispatched_at DATETIME;
CREATE INDEX outbox_undispatched ON outbox (id) WHERE dispatched_at IS NULL;

-- +goose Down
DROP INDEX outbox_undispatched;
ALTER TABLE outbox DROP COLUMN dispatched_at;
ALTER TABLE outbox DROP COLUMN ticket_id;
DROP TABLE bot_feedback;
DROP TABLE bot_ratings;
DROP TABLE bot_deliveries;
DROP TABLE bot_ticket_links;
DROP TABLE bot_subscriptions;
DROP TABLE bot_chats;
DROP TABLE bot_meta;
