package main

import (
	"context"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/i18n"
)

// track shows a dossier to a chat that proved its applicant's phone, and
// subscribes the chat to it. A chat without a proved phone is asked to
// share it with Telegram's contact button first; nothing of the dossier is
// shown before.
func (b *bot) track(ctx context.Context, c *chatCtx, raw string) {
	code := normCode(raw)
	if !looksLikeCode(code) || !dossier.ValidCode(code) {
		b.reply(c, c.t.T("bot.track.bad_code", "Code", esc(clip(raw, 64))), nil)
		return
	}
	if c.Phone == "" {
		if !b.setState(ctx, c, stateContact, code) {
			return
		}
		kb := tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(c.t.T("bot.button.share_phone"))))
		kb.OneTimeKeyboard, kb.ResizeKeyboard = true, true
		b.reply(c, c.t.T("bot.track.ask_phone", "Code", esc(code)), kb)
		return
	}
	v, err := b.trackView(ctx, c, code)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound, apperr.Invalid:
		b.reply(c, c.t.T("bot.track.not_found", "Code", esc(code)), nil)
		return
	default:
		b.fail(c, c.ID, err)
		return
	}
	if err := b.a.DB.Subscribe(ctx, c.ID, v.Code, b.a.Now()); err != nil {
		b.fail(c, c.ID, err)
		return
	}
	text := renderView(c.t, v) + "\n\n" + c.t.T("bot.track.subscribed", "Code", esc(v.Code))
	var rows [][]tgbotapi.InlineKeyboardButton
	if data := "u:" + v.Code; len(data) <= 64 {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(c.t.T("bot.button.unsubscribe"), data)))
	}
	if data := "R:d:" + v.Code; v.CanRate && len(data) <= 64 {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(c.t.T("bot.button.rate_this"), data)))
	}
	var markup any
	if len(rows) > 0 {
		markup = tgbotapi.NewInlineKeyboardMarkup(rows...)
	}
	b.reply(c, text, markup)
}

// onContact accepts a shared contact only when it is the sender's own:
// anyone can share someone else's card, which proves nothing.
func (b *bot) onContact(ctx context.Context, c *chatCtx, ct *tgbotapi.Contact) {
	if ct.UserID == 0 || ct.UserID != c.from {
		b.reply(c, c.t.T("bot.contact.not_yours"), nil)
		return
	}
	phone, ok := dossier.NormalizePhone(ct.PhoneNumber)
	if !ok {
		b.reply(c, c.t.T("bot.contact.bad_phone"), b.mainKeyboard(c))
		return
	}
	code := ""
	if c.State == stateContact {
		code = c.StateData
	}
	c.Phone, c.State, c.StateData = phone, "", ""
	if err := b.save(ctx, c); err != nil {
		b.fail(c, c.ID, err)
		return
	}
	b.reply(c, c.t.T("bot.contact.thanks"), b.mainKeyboard(c))
	if code != "" {
		b.track(ctx, c, code)
	}
}

// stop unsubscribes the chat from a dossier, or lists what it follows.
func (b *bot) stop(ctx context.Context, c *chatCtx, arg string) {
	if arg != "" {
		b.unsubscribe(ctx, c, normCode(arg))
		return
	}
	codes, err := b.a.DB.Subscriptions(ctx, c.ID)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	if len(codes) == 0 {
		b.reply(c, c.t.T("bot.stop.none"), nil)
		return
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, code := range codes {
		if len("u:"+code) <= 64 {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(code, "u:"+code)))
		}
	}
	b.reply(c, c.t.T("bot.stop.choose"), tgbotapi.NewInlineKeyboardMarkup(rows...))
}

func (b *bot) unsubscribe(ctx context.Context, c *chatCtx, code string) {
	ok, err := b.a.DB.Unsubscribe(ctx, c.ID, code)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	if !ok {
		b.reply(c, c.t.T("bot.stop.not_following", "Code", esc(clip(code, 64))), nil)
		return
	}
	b.reply(c, c.t.T("bot.stop.done", "Code", esc(code)), nil)
}

// trackView asks the dossier service for the citizen's view, as the chat
// (with the phone it proved): the same view the page and the API render.
func (b *bot) trackView(ctx context.Context, c *chatCtx, code string) (dossier.View, error) {
	return b.a.Dossiers.Track(ctx, c.actor(), code, "")
}

// maxEvents is how many steps of the timeline a message shows (the latest).
const maxEvents = 8

// renderView is the dossier in one message: every value escaped, the
// code named, dates as dd/mm/yyyy in Vietnamese time. Free texts are
// clipped so that the message stays under Telegram's 4,096 characters.
func renderView(t *i18n.Translator, v dossier.View) string {
	var s strings.Builder
	fmt.Fprintf(&s, "<b>%s</b>\n", t.T("bot.track.heading", "Code", esc(v.Code)))
	fmt.Fprintf(&s, "%s: <b>%s</b>\n", t.T("track.field.status"), esc(t.T("dossier.status."+string(v.Status))))
	if v.StatusNote != "" {
		fmt.Fprintf(&s, "<i>%s</i>\n", esc(clip(v.StatusNote, 500)))
	}
	if v.Office.Name != "" {
		fmt.Fprintf(&s, "%s: %s\n", t.T("track.field.unit"), esc(v.Office.Name))
	}
	if v.Office.Address != "" {
		fmt.Fprintf(&s, "%s %s\n", t.T("track.office.address"), esc(v.Office.Address))
	}
	if v.Office.Phone != "" {
		fmt.Fprintf(&s, "%s %s\n", t.T("track.office.phone"), esc(v.Office.Phone))
	}
	fmt.Fprintf(&s, "%s: %s\n", t.T("track.field.due"), esc(t.Date(v.DueAt)))
	fmt.Fprintf(&s, "%s\n", esc(t.Text(v.Summary.ID, v.Summary.Params)))
	if a := v.Apology; a != nil {
		fmt.Fprintf(&s, "\n<b>%s</b>\n%s\n", esc(t.T("track.apology.heading")), esc(t.T("track.apology.new_date", "Date", t.Date(a.NewDueAt))))
		if a.Reason != "" {
			fmt.Fprintf(&s, "%s %s\n", esc(t.T("track.apology.reason")), esc(clip(a.Reason, 500)))
		}
	}
	fmt.Fprintf(&s, "\n<b>%s</b>\n%s\n", esc(t.T("track.next.heading")), esc(t.Text(v.NextStep.ID, v.NextStep.Params)))
	if len(v.Events) > 0 {
		fmt.Fprintf(&s, "\n<b>%s</b>\n", esc(t.T("track.timeline")))
		ev := v.Events
		if len(ev) > maxEvents {
			ev = ev[len(ev)-maxEvents:]
		}
		for _, e := range ev {
			line := t.DateTime(e.At) + " – " + t.T("dossier.status."+string(e.Status))
			if e.Note != "" {
				line += ": " + e.Note
			}
			fmt.Fprintf(&s, "• %s\n", esc(clip(line, 200)))
		}
	}
	return strings.TrimRight(s.String(), "\n")
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
