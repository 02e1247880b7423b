package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/dossier"
	"motcua/internal/i18n"
	"motcua/internal/store"
)

// Outbox kinds the bot delivers to chats. Others (for staff) stay in the
// outbox for whoever reads them.
var deliveredKinds = []string{
	dossier.KindStatus, dossier.KindApology, dossier.KindDueMoved,
	store.KindTicketCalled, store.KindTicketNear, store.KindTicketDone,
	kindFeedbackAnswer, kindRatingReply,
}

// The outbox kinds of the feedback and ratings services (their payloads
// name the feedback's code or the rating's id).
const (
	kindFeedbackAnswer = "feedback.answer"
	kindRatingReply    = "rating.reply"
)

// Telegram's limits (core.telegram.org/bots/faq): about one message a
// second to one chat, thirty a second in all.
const (
	perChat   = time.Second
	perBot    = time.Second / 30
	idleSleep = 300 * time.Millisecond
	maxRetry  = 10 * time.Minute
)

// sender delivers the outbox: it dispatches outbox rows into per-chat
// deliveries, then sends each chat's deliveries in order, within the rate
// limits, each under a lease.
type sender struct {
	b        *bot
	lease    time.Duration
	lastSent map[int64]time.Time
	next     time.Time // the earliest moment of the next send (global limit)
}

func newSender(b *bot, lease time.Duration) *sender {
	return &sender{b: b, lease: lease, lastSent: map[int64]time.Time{}}
}

func (s *sender) run(ctx context.Context) {
	db := s.b.a.DB
	for ctx.Err() == nil {
		if _, err := db.DispatchOutbox(ctx, deliveredKinds, time.Now(), 200); err != nil && ctx.Err() == nil {
			s.b.log.Error("dispatch outbox", "err", err)
		}
		due, err := db.DueDeliveries(ctx, time.Now(), 50)
		if err != nil && ctx.Err() == nil {
			s.b.log.Error("read deliveries", "err", err)
		}
		sent := 0
		for _, d := range due {
			if ctx.Err() != nil {
				return
			}
			if time.Since(s.lastSent[d.ChatID]) < perChat {
				continue
			}
			sleep(ctx, time.Until(s.next))
			if ctx.Err() != nil {
				return
			}
			now := time.Now()
			ok, err := db.ClaimDelivery(ctx, d.ID, now, now.Add(s.lease))
			if err != nil || !ok {
				continue
			}
			s.deliver(context.WithoutCancel(ctx), d)
			sent++
		}
		if sent == 0 {
			sleep(ctx, idleSleep)
		}
	}
}

// deliver sends one claimed delivery and records the outcome.
func (s *sender) deliver(ctx context.Context, d store.Delivery) {
	db, log := s.b.a.DB, s.b.log
	d.Attempts++ // the claim counted this attempt
	chat, err := db.BotChat(ctx, d.ChatID)
	if err != nil {
		log.Error("delivery chat", "delivery", d.ID, "err", err)
		_ = db.RetryDelivery(ctx, d.ID, time.Now().Add(backoff(d.Attempts)), "chat not readable")
		return
	}
	text, markup, ok := s.b.render(ctx, chat, d)
	if !ok {
		_ = db.FinishDelivery(ctx, d, store.DeliveryDropped, "nothing to send", time.Now())
		return
	}
	msg := tgbotapi.NewMessage(d.ChatID, text)
	msg.ParseMode = tgbotapi.ModeHTML
	msg.DisableWebPagePreview = true
	if markup != nil {
		msg.ReplyMarkup = markup
	}
	_, err = s.b.api.Send(msg)
	now := time.Now()
	s.lastSent[d.ChatID] = now
	s.next = now.Add(perBot)
	var te *tgbotapi.Error
	switch {
	case err == nil:
		if err := db.FinishDelivery(ctx, d, store.DeliverySent, "", now); err != nil {
			log.Error("mark delivery sent", "delivery", d.ID, "err", err)
		}
	case errors.As(err, &te) && te.Code == 429:
		wait := time.Duration(max(te.RetryAfter, 1)) * time.Second
		s.next = now.Add(wait) // flood control: everything waits
		log.Warn("telegram flood control", "chat", d.ChatID, "retry_after", te.RetryAfter)
		_ = db.RetryDelivery(ctx, d.ID, now.Add(wait), "429 retry after "+fmt.Sprint(te.RetryAfter))
	case errors.As(err, &te) && te.Code == 403:
		log.Info("chat blocked the bot", "chat", d.ChatID)
		if err := db.DeactivateChat(ctx, d.ChatID, now); err != nil {
			log.Error("deactivate chat", "chat", d.ChatID, "err", err)
		}
	case errors.As(err, &te) && te.Code == 400:
		log.Error("telegram refused a message", "delivery", d.ID, "kind", d.Kind, "err", te.Message)
		_ = db.FinishDelivery(ctx, d, store.DeliveryFailed, te.Message, now)
	default:
		wait := backoff(d.Attempts)
		log.Warn("telegram send failed", "delivery", d.ID, "retry_in", wait.String(), "err", s.b.red.clean(err.Error()))
		_ = db.RetryDelivery(ctx, d.ID, now.Add(wait), s.b.red.clean(err.Error()))
	}
}

// backoff is the wait after the attempts-th failed attempt: 2 s after the
// first, doubling, up to maxRetry.
func backoff(attempts int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

// render turns a delivery into a message in the chat's language; false
// when there is nothing to say (a rating asked before).
func (b *bot) render(ctx context.Context, chat store.BotChat, d store.Delivery) (string, any, bool) {
	t := b.a.Text.For(chat.Lang)
	switch d.Kind {
	case dossier.KindStatus, dossier.KindApology, dossier.KindDueMoved:
		var n dossier.Notice
		if json.Unmarshal([]byte(d.Payload), &n) != nil || n.Code == "" {
			return "", nil, false
		}
		return b.renderNotice(ctx, t, chat, d.Kind, n)
	case store.KindTicketCalled, store.KindTicketNear, store.KindTicketDone:
		var n store.TicketNotice
		if json.Unmarshal([]byte(d.Payload), &n) != nil || n.Number == "" {
			return "", nil, false
		}
		switch d.Kind {
		case store.KindTicketCalled:
			id := "bot.notify.called"
			if n.Recall {
				id = "bot.notify.recalled"
			}
			return t.T(id, "Number", esc(n.Number), "Counter", n.Counter, "CounterName", esc(n.CounterName)), nil, true
		case store.KindTicketNear:
			return t.N("bot.notify.near", n.Ahead, "Number", esc(n.Number)), nil, true
		}
		text := t.T("bot.notify.visit_done", "Number", esc(n.Number))
		q, markup, ok := b.ratingInvite(ctx, chat, "ticket", n.TicketID, t)
		if ok {
			text += "\n\n" + q
		}
		return text, markup, true
	case kindFeedbackAnswer:
		var n struct {
			Code   string `json:"feedback_code"`
			Answer string `json:"answer"`
		}
		if json.Unmarshal([]byte(d.Payload), &n) != nil || n.Code == "" {
			return "", nil, false
		}
		return t.T("bot.notify.feedback_answer", "Code", esc(n.Code), "Answer", esc(clip(n.Answer, 3000))), nil, true
	case kindRatingReply:
		var n struct {
			RatingID    int64  `json:"rating_id"`
			DossierCode string `json:"dossier_code"`
			Reply       string `json:"reply"`
		}
		if json.Unmarshal([]byte(d.Payload), &n) != nil {
			return "", nil, false
		}
		if n.DossierCode != "" {
			return t.T("bot.notify.rating_reply_dossier", "Code", esc(n.DossierCode), "Reply", esc(clip(n.Reply, 3000))), nil, true
		}
		number := b.ratedTicketNumber(ctx, chat.ID, n.RatingID)
		return t.T("bot.notify.rating_reply_ticket", "Number", esc(number), "Reply", esc(clip(n.Reply, 3000))), nil, true
	}
	return "", nil, false
}

// renderNotice tells a dossier's change: its status (with the note and
// the due date) or the apology's new date. A dossier just returned is
// followed by the invitation to rate it.
func (b *bot) renderNotice(ctx context.Context, t *i18n.Translator, chat store.BotChat, kind string, n dossier.Notice) (string, any, bool) {
	if kind == dossier.KindDueMoved && n.PreviousDueAt != nil {
		// The working-day schedule was entered or confirmed (docs/domain.md).
		return t.T("bot.notify.due_moved", "Code", esc(n.Code), "Previous", esc(t.Date(*n.PreviousDueAt)),
			"Date", esc(t.Date(n.DueAt))), nil, true
	}
	if kind == dossier.KindApology && n.Apology != nil {
		text := t.T("bot.notify.apology", "Code", esc(n.Code), "Date", t.Date(n.Apology.NewDueAt))
		if n.Apology.Reason != "" {
			text += "\n" + esc(t.T("track.apology.reason")) + " " + esc(clip(n.Apology.Reason, 1000))
		}
		return text, nil, true
	}
	text := t.T("bot.notify.status", "Code", esc(n.Code), "Status", esc(t.T("dossier.status."+string(n.Status))))
	if n.Note != "" {
		text += "\n<i>" + esc(clip(n.Note, 1000)) + "</i>"
	}
	if !n.Status.Ended() && !n.DueAt.IsZero() {
		text += "\n" + esc(t.T("track.field.due")) + ": " + esc(t.Date(n.DueAt))
	}
	text += "\n" + esc(t.T("track.next."+string(n.Status)))
	if n.Status == dossier.Returned {
		if q, markup, ok := b.ratingInvite(ctx, chat, "dossier", n.Code, t); ok {
			return text + "\n\n" + q, markup, true
		}
	}
	return text, nil, true
}
