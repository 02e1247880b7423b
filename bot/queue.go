package main

import (
	"context"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/apperr"
	"motcua/internal/queue"
	"motcua/internal/store"
)

// TicketPayload is the /start payload of a ticket's "follow in Telegram"
// link: "t_" and the ticket's ID (28 characters of [a-z2-7_], well within
// Telegram's 64 of A-Za-z0-9_-).
func TicketPayload(id string) string { return "t_" + id }

// startPayload handles a deep link's payload. Only a ticket is known; any
// other payload is answered with a short note and the welcome.
func (b *bot) startPayload(ctx context.Context, c *chatCtx, payload string) {
	id, ok := strings.CutPrefix(payload, "t_")
	if !ok || !queue.ValidTicketID(strings.ToLower(id)) {
		b.reply(c, c.t.T("bot.start.bad_link")+"\n\n"+c.t.T("bot.welcome"), b.mainKeyboard(c))
		return
	}
	b.follow(ctx, c, strings.ToLower(id))
}

// follow links the chat to a ticket and says where it stands.
func (b *bot) follow(ctx context.Context, c *chatCtx, id string) {
	v, err := b.a.Queue.Ticket(ctx, id)
	switch {
	case apperr.IsNotFound(err):
		b.reply(c, c.t.T("bot.queue.ticket_unknown"), b.mainKeyboard(c))
		return
	case err != nil:
		b.fail(c, c.ID, err)
		return
	}
	if v.Ticket.Status.Final() {
		b.reply(c, c.t.T("bot.queue.ticket_over", "Number", esc(v.Ticket.Number)), b.mainKeyboard(c))
		return
	}
	near := !v.Ticket.Status.Queued() || store.TicketNear(v.Ahead)
	if err := b.a.DB.LinkTicket(ctx, c.ID, id, near, b.a.Now()); err != nil {
		b.fail(c, c.ID, err)
		return
	}
	text := c.t.T("bot.queue.following", "Number", esc(v.Ticket.Number), "Office", esc(v.Office.Name)) + "\n" + b.ticketLine(c, v)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(c.t.T("bot.button.unfollow"), "x:"+id)))
	b.reply(c, text, kb)
}

// ticketLine says where a ticket stands: how many ahead and the estimate,
// or the counter that called it.
func (b *bot) ticketLine(c *chatCtx, v queue.TicketView) string {
	switch {
	case v.Ticket.Status.Queued():
		line := c.t.N("bot.queue.ahead", v.Ahead, "Number", esc(v.Ticket.Number))
		if v.EstWait > 0 {
			line += " " + c.t.N("bot.queue.estimate", v.EstWait)
		}
		return line
	case v.Ticket.Status.AtCounter() && v.Counter != nil:
		return c.t.T("bot.queue.at_counter", "Number", esc(v.Ticket.Number), "Counter", v.Counter.Number)
	}
	return c.t.T("bot.queue.ticket_over", "Number", esc(v.Ticket.Number))
}

// queueMenu shows the tickets the chat follows, and every office with how
// many wait there now, and the opening hours.
func (b *bot) queueMenu(ctx context.Context, c *chatCtx) {
	var s strings.Builder
	ids, err := b.a.DB.LinkedTickets(ctx, c.ID)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, id := range ids {
		v, err := b.a.Queue.Ticket(ctx, id)
		if err != nil || v.Ticket.Status.Final() || v.Ticket.Day != queue.Day(b.a.Now()) {
			continue
		}
		fmt.Fprintf(&s, "%s\n", b.ticketLine(c, v))
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(
			c.t.T("bot.button.unfollow_number", "Number", v.Ticket.Number), "x:"+id)))
	}
	if s.Len() > 0 {
		s.WriteString("\n")
	}
	layouts, err := b.a.Queue.Offices(ctx)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	if len(layouts) == 0 {
		s.WriteString(c.t.T("bot.queue.no_offices"))
	} else {
		fmt.Fprintf(&s, "<b>%s</b>\n", esc(c.t.T("bot.queue.offices")))
		for _, l := range layouts {
			waiting, err := b.waitingAt(ctx, l.Office.Code)
			if err != nil {
				b.fail(c, c.ID, err)
				return
			}
			fmt.Fprintf(&s, "• %s: %s\n", esc(l.Office.Name), esc(c.t.N("bot.queue.waiting", waiting)))
			if data := "o:" + l.Office.Code; len(data) <= 64 && len(rows) < 20 {
				rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(clip(l.Office.Name, 60), data)))
			}
		}
	}
	fmt.Fprintf(&s, "\n%s", esc(b.hoursLine(c)))
	var markup any
	if len(rows) > 0 {
		markup = tgbotapi.NewInlineKeyboardMarkup(rows...)
	}
	b.reply(c, s.String(), markup)
}

func (b *bot) waitingAt(ctx context.Context, office string) (int, error) {
	bd, err := b.a.Queue.Board(ctx, office)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sq := range bd.Services {
		n += sq.Waiting
	}
	return n, nil
}

// hoursLine is the opening hours and whether today is a working day.
func (b *bot) hoursLine(c *chatCtx) string {
	var periods []string
	for _, p := range b.a.Calendar.Hours().Periods {
		periods = append(periods, p.String())
	}
	today := "bot.queue.open_today"
	if !b.a.Calendar.IsWorkingDay(b.a.Now()) {
		today = "bot.queue.closed_today"
	}
	return c.t.T("bot.queue.hours", "Hours", strings.Join(periods, ", ")) + " " + c.t.T(today)
}

// officeNow details one office: each service's queue and its estimate.
func (b *bot) officeNow(ctx context.Context, c *chatCtx, code string) bool {
	bd, err := b.a.Queue.Board(ctx, code)
	if err != nil {
		return false
	}
	var s strings.Builder
	fmt.Fprintf(&s, "<b>%s</b>\n", esc(bd.Layout.Office.Name))
	for _, sq := range bd.Services {
		line := sq.Service.Name(c.Lang) + ": " + c.t.N("bot.queue.waiting", sq.Waiting)
		if sq.EstWait > 0 {
			line += " " + c.t.N("bot.queue.estimate", sq.EstWait)
		}
		fmt.Fprintf(&s, "• %s\n", esc(line))
	}
	fmt.Fprintf(&s, "\n%s", esc(b.hoursLine(c)))
	b.reply(c, s.String(), nil)
	return true
}
