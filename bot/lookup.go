package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/apperr"
	"motcua/internal/catalog"
)

// searchResults is how many procedures a search offers as buttons.
const searchResults = 5

// search looks the text up in the catalog and offers the best five.
func (b *bot) search(ctx context.Context, c *chatCtx, text string) {
	res, err := b.a.Catalog.Search(catalog.Query{Q: text, Limit: searchResults})
	switch apperr.CodeOf(err) {
	case "":
	case apperr.Invalid:
		b.reply(c, c.t.T("bot.error.too_long", "Max", catalog.MaxQueryLen), nil)
		return
	default:
		b.fail(c, c.ID, err)
		return
	}
	if e := res.Elsewhere; e != nil {
		// Not handled at the one-stop department: say where to go instead.
		b.reply(c, c.t.T("bot.lookup.elsewhere", "Name", esc(e.LocalName(c.Lang)), "Where", esc(e.LocalWhere(c.Lang))), nil)
		return
	}
	if len(res.Items) == 0 {
		b.reply(c, c.t.T("bot.lookup.none", "Query", esc(clip(text, 100))), nil)
		return
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, p := range res.Items {
		name := clip(p.LocalName(c.Lang), 60)
		if data := "p:" + p.Code; len(data) <= 64 {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(name, data)))
		} else {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL(name, b.procedureURL(p.Code, c.Lang))))
		}
	}
	b.reply(c, c.t.N("bot.lookup.results", res.Total, "Query", esc(clip(text, 100))), tgbotapi.NewInlineKeyboardMarkup(rows...))
}

func (b *bot) procedureURL(code, lang string) string {
	u := b.a.Cfg.PublicURL + "/procedures/" + url.PathEscape(code)
	if lang == "en" {
		u += "?lang=en"
	}
	return u
}

// maxDocuments is how many papers a procedure's message lists.
const maxDocuments = 10

// showProcedure sends a procedure's essentials: what to bring, how long,
// the fee, whether it can be done online, where, and its page.
func (b *bot) showProcedure(c *chatCtx, code string) bool {
	p, err := b.a.Catalog.Get(code)
	if err != nil {
		return false
	}
	t := c.t
	var s strings.Builder
	// Telegram takes at most 4,096 characters a message: long texts are
	// clipped (the page has them whole).
	fmt.Fprintf(&s, "<b>%s</b>\n", esc(clip(p.LocalName(c.Lang), 300)))
	if len(p.Documents) > 0 {
		fmt.Fprintf(&s, "\n<b>%s</b>\n", esc(t.T("bot.procedure.documents")))
		for i, d := range p.Documents {
			if i == maxDocuments {
				fmt.Fprintf(&s, "• %s\n", esc(t.N("bot.procedure.more", len(p.Documents)-maxDocuments)))
				break
			}
			fmt.Fprintf(&s, "• %s\n", esc(clip(d, 200)))
		}
	}
	s.WriteString("\n")
	if p.ProcessingDays > 0 {
		fmt.Fprintf(&s, "%s: %s\n", esc(t.T("bot.procedure.time")), esc(t.N("bot.procedure.days", p.ProcessingDays)))
	}
	if p.ProcessingNote != "" {
		fmt.Fprintf(&s, "<i>%s</i>\n", esc(clip(p.ProcessingNote, 300)))
	}
	fee := p.Fee
	if strings.TrimSpace(fee) == "" {
		fee = t.T("bot.procedure.no_fee")
	}
	fmt.Fprintf(&s, "%s: %s\n", esc(t.T("bot.procedure.fee")), esc(clip(fee, 300)))
	fmt.Fprintf(&s, "%s: %s\n", esc(t.T("bot.procedure.online")), esc(t.T("bot.procedure.online."+string(p.Online))))
	if p.Agency != "" {
		fmt.Fprintf(&s, "%s: %s\n", esc(t.T("bot.procedure.where")), esc(clip(p.Agency, 300)))
	}
	u := b.procedureURL(p.Code, c.Lang)
	fmt.Fprintf(&s, "\n<a href=\"%s\">%s</a>", esc(u), esc(t.T("bot.procedure.page")))
	b.reply(c, s.String(), nil)
	return true
}
