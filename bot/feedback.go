package main

import (
	"context"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/apperr"
	"motcua/internal/feedback"
	"motcua/internal/web"
)

// feedbackMenu asks what the feedback is about: an office, or one of the
// dossiers the chat follows. Feedback is signed with the chat's proved
// phone, so a chat without one is asked to share it first.
func (b *bot) feedbackMenu(ctx context.Context, c *chatCtx) {
	if c.Phone == "" {
		if !b.setState(ctx, c, stateContact, "") {
			return
		}
		kb := tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(c.t.T("bot.button.share_phone"))))
		kb.OneTimeKeyboard, kb.ResizeKeyboard = true, true
		b.reply(c, c.t.T("bot.feedback.need_phone"), kb)
		return
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	codes, err := b.a.DB.Subscriptions(ctx, c.ID)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	for _, code := range codes {
		if len("f:d:"+code) <= 64 {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(
				c.t.T("bot.feedback.about_dossier", "Code", code), "f:d:"+code)))
		}
	}
	layouts, err := b.a.Queue.Offices(ctx)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	for _, l := range layouts {
		if len("f:o:"+l.Office.Code) <= 64 && len(rows) < 20 {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(clip(l.Office.Name, 60), "f:o:"+l.Office.Code)))
		}
	}
	if len(rows) == 0 {
		b.reply(c, c.t.T("bot.feedback.nothing"), nil)
		return
	}
	b.reply(c, c.t.T("bot.feedback.choose"), tgbotapi.NewInlineKeyboardMarkup(rows...))
}

// onFeedbackCallback handles "f:d:CODE" and "f:o:OFFICE": the chat is then
// asked for its text.
func (b *bot) onFeedbackCallback(ctx context.Context, c *chatCtx, rest string) bool {
	k, ref, ok := strings.Cut(rest, ":")
	if !ok || ref == "" || c.Phone == "" {
		return false
	}
	switch k {
	case "d":
		if ok, err := b.a.DB.Subscribed(ctx, c.ID, ref); err != nil || !ok {
			return false
		}
	case "o":
		if _, err := b.a.Queue.Office(ctx, ref); err != nil {
			return false
		}
	default:
		return false
	}
	if b.setState(ctx, c, stateFeedbackText, k+":"+ref) {
		b.reply(c, c.t.T("bot.feedback.ask"), nil)
	}
	return true
}

// submitFeedback sends the chat's text to the feedback service; the answer
// comes back to this chat through the outbox.
func (b *bot) submitFeedback(ctx context.Context, c *chatCtx, text string) {
	k, ref, _ := strings.Cut(c.StateData, ":")
	b.clearState(ctx, c)
	about := feedback.About{Kind: feedback.AboutOffice, Ref: ref}
	if k == "d" {
		about.Kind = feedback.AboutDossier
	}
	name := c.name
	if name == "" {
		name = "Telegram"
	}
	f, err := b.a.Feedback.Submit(ctx, c.actor(), feedback.Input{About: about, Name: clip(name, feedback.MaxNameLen), Phone: c.Phone, Content: text})
	switch ae := apperr.As(err); {
	case err == nil:
	case ae.Code == apperr.Internal || ae.Code == apperr.Unavailable:
		b.fail(c, c.ID, err)
		return
	default:
		d := web.Describe(c.t, ae)
		msg := d.Message
		for _, fe := range d.Fields {
			msg += "\n" + fe.Message
		}
		b.reply(c, esc(msg), b.mainKeyboard(c))
		return
	}
	if err := b.a.DB.RecordBotFeedback(ctx, f.Code, c.ID, b.a.Now()); err != nil {
		b.fail(c, c.ID, err)
		return
	}
	b.reply(c, c.t.T("bot.feedback.thanks", "Code", esc(f.Code), "Date", c.t.Date(f.DueAt)), b.mainKeyboard(c))
}
