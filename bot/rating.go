package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/queue"
	"motcua/internal/rating"
	"motcua/internal/store"
	"motcua/internal/web"
)

// Rating in the chat: the questions of the ratings service, one message
// each, answered with inline buttons; optional questions may be skipped.
// The chat is asked once per dossier or visit (bot_ratings); the rating
// itself is recorded by the ratings service, which enforces "once" for
// every channel.

// ratingKinds maps the callback's letter to the rated kind.
var ratingKinds = map[string]string{"d": "dossier", "t": "ticket"}

func kindLetter(kind string) string {
	if kind == "ticket" {
		return "t"
	}
	return "d"
}

// ratingInvite starts the rating of a dossier or visit in a chat and
// returns its first question; false when the chat was asked before or it
// was rated already.
func (b *bot) ratingInvite(ctx context.Context, chat store.BotChat, kind, ref string, t *i18n.Translator) (string, any, bool) {
	rated, err := b.rated(ctx, kind, ref)
	if err != nil || rated {
		return "", nil, false
	}
	fresh, err := b.a.DB.StartBotRating(ctx, chat.ID, kind, ref, b.a.Now())
	if err != nil || !fresh {
		return "", nil, false
	}
	text, markup := b.question(ctx, t, kind, ref, 0)
	return text, markup, true
}

func (b *bot) rated(ctx context.Context, kind, ref string) (bool, error) {
	if kind == "ticket" {
		return b.a.Ratings.RatedTicket(ctx, ref)
	}
	return b.a.Ratings.RatedDossier(ctx, ref)
}

// subject names what is rated: the dossier's code or the ticket's number.
func (b *bot) subject(ctx context.Context, t *i18n.Translator, kind, ref string) string {
	if kind == "ticket" {
		number := ""
		if v, err := b.a.Queue.Ticket(ctx, ref); err == nil {
			number = v.Ticket.Number
		}
		return t.T("bot.rating.subject_ticket", "Number", esc(number))
	}
	return t.T("bot.rating.subject_dossier", "Code", esc(ref))
}

// question is the step-th question with its buttons.
func (b *bot) question(ctx context.Context, t *i18n.Translator, kind, ref string, step int) (string, any) {
	qs := rating.Questions()
	q := qs[step]
	text := b.subject(ctx, t, kind, ref) + "\n" + t.T("bot.rating.progress", "N", step+1, "Of", len(qs)) + "\n\n<b>" +
		esc(t.T("bot.rating.q."+q.Key)) + "</b>"
	prefix := "r:" + kindLetter(kind) + ":" + ref + ":" + strconv.Itoa(step) + ":"
	var row []tgbotapi.InlineKeyboardButton
	for _, level := range rating.Levels {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(t.T("bot.rating.level."+strconv.Itoa(level)), prefix+strconv.Itoa(level)))
	}
	rows := [][]tgbotapi.InlineKeyboardButton{row}
	if !q.Required {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(t.T("bot.rating.skip"), prefix+"s")))
	}
	return text, tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// onRatingCallback handles "R:k:REF" (rate this) and "r:k:REF:STEP:LEVEL"
// (an answer). False for anything that is not one of the chat's ratings
// at that step.
func (b *bot) onRatingCallback(ctx context.Context, c *chatCtx, kind, rest string) bool {
	switch kind {
	case "R":
		k, ref, ok := strings.Cut(rest, ":")
		if !ok || ratingKinds[k] == "" || !b.mayRate(ctx, c, ratingKinds[k], ref) {
			return false
		}
		b.startRating(ctx, c, ratingKinds[k], ref)
		return true
	case "r":
		parts := strings.Split(rest, ":")
		if len(parts) != 4 || ratingKinds[parts[0]] == "" {
			return false
		}
		step, err := strconv.Atoi(parts[2])
		if err != nil {
			return false
		}
		return b.answer(ctx, c, ratingKinds[parts[0]], parts[1], step, parts[3])
	}
	return false
}

// mayRate reports whether the chat follows the dossier or ticket: only
// those are offered, so only those are accepted.
func (b *bot) mayRate(ctx context.Context, c *chatCtx, kind, ref string) bool {
	if kind == "ticket" {
		ids, err := b.a.DB.LinkedTickets(ctx, c.ID)
		return err == nil && contains(ids, ref)
	}
	ok, err := b.a.DB.Subscribed(ctx, c.ID, ref)
	return err == nil && ok
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// startRating asks the first question (or the one the chat is at).
func (b *bot) startRating(ctx context.Context, c *chatCtx, kind, ref string) {
	if rated, err := b.rated(ctx, kind, ref); err != nil {
		b.fail(c, c.ID, err)
		return
	} else if rated {
		b.reply(c, esc(c.t.T("rating.error.already")), nil)
		return
	}
	if _, err := b.a.DB.StartBotRating(ctx, c.ID, kind, ref, b.a.Now()); err != nil {
		b.fail(c, c.ID, err)
		return
	}
	r, err := b.a.DB.BotRatingOf(ctx, c.ID, kind, ref)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	if r.Done {
		b.reply(c, esc(c.t.T("rating.error.already")), nil)
		return
	}
	text, markup := b.question(ctx, c.t, kind, ref, r.Step)
	b.reply(c, text, markup)
}

// answer records one answer and asks the next question, or sends the
// rating to the ratings service after the last.
func (b *bot) answer(ctx context.Context, c *chatCtx, kind, ref string, step int, level string) bool {
	r, err := b.a.DB.BotRatingOf(ctx, c.ID, kind, ref)
	qs := rating.Questions()
	if err != nil || r.Done || r.Step != step || step < 0 || step >= len(qs) {
		return false
	}
	answers := map[string]int{}
	_ = json.Unmarshal([]byte(r.Answers), &answers)
	if level == "s" {
		if qs[step].Required {
			return false
		}
	} else {
		n, err := strconv.Atoi(level)
		if err != nil || !contains([]string{"0", "1", "2"}, level) {
			return false
		}
		answers[qs[step].Key] = n
	}
	enc, _ := json.Marshal(answers)
	r.Answers, r.Step = string(enc), step+1
	if r.Step < len(qs) {
		if ok, err := b.a.DB.AdvanceBotRating(ctx, r, step); err != nil || !ok {
			return false
		}
		text, markup := b.question(ctx, c.t, kind, ref, r.Step)
		b.reply(c, text, markup)
		return true
	}
	in := rating.Input{Answers: answers, Channel: rating.ChannelBot}
	var got rating.Rating
	if kind == "ticket" {
		got, err = b.a.Ratings.RateTicket(ctx, c.actor(), ref, in)
	} else {
		got, err = b.a.Ratings.RateDossier(ctx, c.actor(), ref, in)
	}
	switch ae := apperr.As(err); {
	case err == nil:
	case ae.Code == apperr.Internal || ae.Code == apperr.Unavailable:
		b.fail(c, c.ID, err)
		return true
	default:
		r.Done = true
		_, _ = b.a.DB.AdvanceBotRating(ctx, r, step)
		b.reply(c, esc(web.Describe(c.t, ae).Message), nil)
		return true
	}
	r.Done, r.RatingID = true, got.ID
	if ok, err := b.a.DB.AdvanceBotRating(ctx, r, step); err != nil || !ok {
		b.log.Error("record bot rating", "chat", c.ID, "err", err)
	}
	id := "bot.rating.thanks"
	if got.Low {
		id = "bot.rating.thanks_low"
	}
	b.reply(c, b.subject(ctx, c.t, kind, ref)+"\n"+c.t.T(id), b.mainKeyboard(c))
	return true
}

// rateMenu offers what the chat may rate: its finished dossiers and
// finished visits not rated yet.
func (b *bot) rateMenu(ctx context.Context, c *chatCtx) {
	var rows [][]tgbotapi.InlineKeyboardButton
	if c.Phone != "" {
		codes, err := b.a.DB.Subscriptions(ctx, c.ID)
		if err != nil {
			b.fail(c, c.ID, err)
			return
		}
		for _, code := range codes {
			v, err := b.trackView(ctx, c, code)
			if err != nil || !v.Status.Finished() || len("R:d:"+code) > 64 {
				continue
			}
			if rated, err := b.rated(ctx, "dossier", code); err != nil || rated {
				continue
			}
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(
				c.t.T("bot.rating.button_dossier", "Code", code), "R:d:"+code)))
		}
	}
	ids, err := b.a.DB.LinkedTickets(ctx, c.ID)
	if err != nil {
		b.fail(c, c.ID, err)
		return
	}
	for _, id := range ids {
		v, err := b.a.Queue.Ticket(ctx, id)
		if err != nil || v.Ticket.Status != queue.Done {
			continue
		}
		if rated, err := b.rated(ctx, "ticket", id); err != nil || rated {
			continue
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(
			c.t.T("bot.rating.button_ticket", "Number", v.Ticket.Number), "R:t:"+id)))
	}
	if len(rows) == 0 {
		b.reply(c, c.t.T("bot.rating.none"), nil)
		return
	}
	b.reply(c, c.t.T("bot.rating.choose"), tgbotapi.NewInlineKeyboardMarkup(rows...))
}

// ratedTicketNumber is the number of the ticket a chat's rating was about.
func (b *bot) ratedTicketNumber(ctx context.Context, chat, ratingID int64) string {
	ref, err := b.a.DB.BotRatingRef(ctx, chat, ratingID)
	if err != nil {
		return ""
	}
	v, err := b.a.Queue.Ticket(ctx, ref)
	if err != nil {
		return ""
	}
	return v.Ticket.Number
}
