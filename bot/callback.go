package main

import (
	"context"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/queue"
)

// onCallback handles an inline button. Callback data comes from the
// client and may be forged: each kind is parsed strictly and checked
// against what the chat owns; anything else is answered "this button no
// longer works" and changes nothing.
func (b *bot) onCallback(ctx context.Context, c *chatCtx, cq *tgbotapi.CallbackQuery) {
	kind, rest, _ := strings.Cut(cq.Data, ":")
	ok := false
	switch kind {
	case "l":
		if rest == "vi" || rest == "en" {
			b.answerCallback(cq.ID, "")
			b.setLang(ctx, c, rest)
			return
		}
	case "p":
		ok = rest != "" && b.showProcedure(c, rest)
	case "u":
		if rest != "" && len(rest) <= 64 {
			b.answerCallback(cq.ID, "")
			b.unsubscribe(ctx, c, rest)
			return
		}
	case "o":
		ok = rest != "" && b.officeNow(ctx, c, rest)
	case "x":
		if queue.ValidTicketID(rest) {
			b.answerCallback(cq.ID, "")
			b.unfollow(ctx, c, rest)
			return
		}
	case "f":
		ok = b.onFeedbackCallback(ctx, c, rest)
	default:
		ok = b.onRatingCallback(ctx, c, kind, rest)
	}
	if ok {
		b.answerCallback(cq.ID, "")
		return
	}
	b.answerCallback(cq.ID, c.t.T("bot.error.stale_button"))
}

func (b *bot) unfollow(ctx context.Context, c *chatCtx, id string) {
	ok, err := b.a.DB.UnlinkTicket(ctx, c.ID, id)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	if !ok {
		b.reply(c, c.t.T("bot.queue.not_following"), nil)
		return
	}
	number := ""
	if v, err := b.a.Queue.Ticket(ctx, id); err == nil {
		number = v.Ticket.Number
	}
	b.reply(c, c.t.T("bot.queue.unfollowed", "Number", esc(number)), nil)
}
