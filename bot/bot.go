package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/store"
)

// bot answers updates. It holds no state of its own: chats, links and
// languages are in the store, so several bot processes (or a restarted one)
// carry on the same conversations.
type bot struct {
	a   *app.App
	api *tgbotapi.BotAPI
	log *slog.Logger
	red *redactor
}

func newBot(a *app.App, api *tgbotapi.BotAPI, log *slog.Logger, red *redactor) *bot {
	return &bot{a: a, api: api, log: log, red: red}
}

// maxText is the longest message the bot reads; longer is refused politely.
const maxText = 500

// chatCtx is one update's chat: its stored row and its translator.
type chatCtx struct {
	store.BotChat
	t    *i18n.Translator
	from int64  // the sender's Telegram user id
	name string // the sender's name on Telegram (feedback is signed with it)
}

// actor is the chat as the services know it: a Telegram chat with the
// phone it proved (none yet: it may not see any dossier).
func (c *chatCtx) actor() actor.Actor {
	return actor.Actor{Kind: actor.Chat, ID: c.ID, Phone: c.Phone}
}

// poll is long polling: getUpdates waits up to timeout seconds for news.
// The last handled update is recorded, so a restart does not handle an
// update twice.
func (b *bot) poll(ctx context.Context, api *tgbotapi.BotAPI, timeout int) {
	offset := 0
	if v, err := b.a.DB.BotMeta(ctx, "update_offset"); err == nil {
		offset = atoiOr(v, 0)
	}
	wait := time.Second
	for ctx.Err() == nil {
		ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Timeout: timeout, AllowedUpdates: []string{"message", "callback_query"}})
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			b.log.Warn("telegram getUpdates failed", "err", b.red.clean(err.Error()), "retry_in", wait.String())
			sleep(ctx, wait)
			wait = min(wait*2, 30*time.Second)
			continue
		}
		wait = time.Second
		for _, u := range ups {
			if u.UpdateID < offset {
				continue
			}
			b.handle(ctx, u)
			offset = u.UpdateID + 1
			if err := b.a.DB.SetBotMeta(context.WithoutCancel(ctx), "update_offset", itoa(offset), b.a.Now()); err != nil {
				b.log.Error("record update offset", "err", err)
			}
		}
	}
}

// webhook receives updates pushed by Telegram. Every call must carry the
// secret token given to setWebhook, compared in constant time.
type webhook struct {
	bot    *bot
	secret []byte
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if subtle.ConstantTimeCompare([]byte(got), h.secret) != 1 {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	var u tgbotapi.Update
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&u); err != nil {
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	h.bot.handle(r.Context(), u)
	w.WriteHeader(http.StatusOK)
}

// handle answers one update. A failure is logged and, where a chat is
// known, told in a short sentence; it never stops the bot.
func (b *bot) handle(ctx context.Context, u tgbotapi.Update) {
	ctx = context.WithoutCancel(ctx) // an update once begun is finished
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("update handler panicked", "update", u.UpdateID, "panic", r)
		}
	}()
	switch {
	case u.CallbackQuery != nil:
		cq := u.CallbackQuery
		if cq.Message == nil || cq.Message.Chat == nil || cq.From == nil || !cq.Message.Chat.IsPrivate() {
			b.answerCallback(cq.ID, "")
			return
		}
		c, err := b.chat(ctx, cq.Message.Chat.ID, cq.From)
		if err != nil {
			b.fail(nil, cq.Message.Chat.ID, err)
			b.answerCallback(cq.ID, "")
			return
		}
		b.onCallback(ctx, c, cq)
	case u.Message != nil:
		m := u.Message
		if m.Chat == nil || m.From == nil || !m.Chat.IsPrivate() {
			return // groups and channels: the bot talks to people one to one
		}
		c, err := b.chat(ctx, m.Chat.ID, m.From)
		if err != nil {
			b.fail(nil, m.Chat.ID, err)
			return
		}
		b.onMessage(ctx, c, m)
	}
}

// chat loads (or creates) the chat. Its language follows the user's
// Telegram language until they choose one with /lang.
func (b *bot) chat(ctx context.Context, id int64, from *tgbotapi.User) (*chatCtx, error) {
	lang := langOf(from.LanguageCode)
	row, err := b.a.DB.EnsureBotChat(ctx, id, lang, b.a.Now())
	if err != nil {
		return nil, err
	}
	if !row.LangChosen && from.LanguageCode != "" && row.Lang != lang {
		row.Lang = lang
		if err := b.a.DB.SaveBotChat(ctx, row, b.a.Now()); err != nil {
			return nil, err
		}
	}
	name := strings.TrimSpace(from.FirstName + " " + from.LastName)
	if name == "" {
		name = from.UserName
	}
	return &chatCtx{BotChat: row, t: b.a.Text.For(row.Lang), from: from.ID, name: name}, nil
}

// langOf maps Telegram's language_code to ours: English for English,
// Vietnamese for everything else.
func langOf(code string) string {
	if strings.HasPrefix(strings.ToLower(code), "en") {
		return "en"
	}
	return "vi"
}

func (b *bot) save(ctx context.Context, c *chatCtx) error {
	return b.a.DB.SaveBotChat(ctx, c.BotChat, b.a.Now())
}

// onMessage routes a message: a shared contact, a command, a keyboard
// button, an answer the chat was asked for, a dossier code, or a search.
func (b *bot) onMessage(ctx context.Context, c *chatCtx, m *tgbotapi.Message) {
	if m.Contact != nil {
		b.onContact(ctx, c, m.Contact)
		return
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		b.reply(c, c.t.T("bot.error.text_only"), b.mainKeyboard(c))
		return
	}
	if !utf8.ValidString(text) || utf8.RuneCountInString(text) > maxText {
		b.reply(c, c.t.T("bot.error.too_long", "Max", maxText), nil)
		return
	}
	if m.IsCommand() {
		b.onCommand(ctx, c, m.Command(), strings.TrimSpace(m.CommandArguments()))
		return
	}
	if action, ok := buttonAction(b.a.Text, text); ok {
		b.onCommand(ctx, c, action, "")
		return
	}
	switch c.State {
	case stateCode:
		b.clearState(ctx, c)
		b.track(ctx, c, text)
		return
	case stateFeedbackText:
		b.submitFeedback(ctx, c, text)
		return
	}
	if looksLikeCode(text) {
		b.track(ctx, c, text)
		return
	}
	b.search(ctx, c, text)
}

// Chat states: what the bot asked for.
const (
	stateCode         = "code"          // a dossier code, after "track" without one
	stateContact      = "contact"       // the phone, to show the dossier in state_data
	stateFeedbackText = "feedback_text" // the feedback about state_data
)

func (b *bot) setState(ctx context.Context, c *chatCtx, state, data string) bool {
	c.State, c.StateData = state, data
	if err := b.save(ctx, c); err != nil {
		b.fail(c, c.ID, err)
		return false
	}
	return true
}

func (b *bot) clearState(ctx context.Context, c *chatCtx) {
	if c.State != "" {
		b.setState(ctx, c, "", "")
	}
}

func (b *bot) onCommand(ctx context.Context, c *chatCtx, cmd, args string) {
	switch cmd {
	case "start":
		b.clearState(ctx, c)
		if args != "" {
			b.startPayload(ctx, c, args)
			return
		}
		b.reply(c, c.t.T("bot.welcome"), b.mainKeyboard(c))
	case "help":
		b.clearState(ctx, c)
		b.reply(c, c.t.T("bot.help"), b.mainKeyboard(c))
	case "lang":
		b.clearState(ctx, c)
		if args == "vi" || args == "en" {
			b.setLang(ctx, c, args)
			return
		}
		b.reply(c, c.t.T("bot.lang.choose"), b.langKeyboard())
	case "track":
		if args == "" {
			if b.setState(ctx, c, stateCode, "") {
				b.reply(c, c.t.T("bot.track.ask_code"), nil)
			}
			return
		}
		b.clearState(ctx, c)
		b.track(ctx, c, args)
	case "stop":
		b.clearState(ctx, c)
		b.stop(ctx, c, args)
	case "queue":
		b.clearState(ctx, c)
		b.queueMenu(ctx, c)
	case "rate":
		b.clearState(ctx, c)
		b.rateMenu(ctx, c)
	case "feedback":
		b.clearState(ctx, c)
		b.feedbackMenu(ctx, c)
	case "lookup":
		b.clearState(ctx, c)
		b.reply(c, c.t.T("bot.lookup.ask"), nil)
	case "cancel":
		b.clearState(ctx, c)
		b.reply(c, c.t.T("bot.cancelled"), b.mainKeyboard(c))
	default:
		b.reply(c, c.t.T("bot.error.unknown_command"), b.mainKeyboard(c))
	}
}

// commands are the menu Telegram shows, in both languages.
var commands = []string{"track", "queue", "rate", "feedback", "stop", "lang", "help"}

func (b *bot) setCommands() error {
	for _, lang := range []string{"vi", "en"} {
		t := b.a.Text.For(lang)
		var list []tgbotapi.BotCommand
		for _, cmd := range commands {
			list = append(list, tgbotapi.BotCommand{Command: cmd, Description: t.T("bot.command." + cmd)})
		}
		cfg := tgbotapi.NewSetMyCommands(list...)
		if lang == "en" {
			cfg.LanguageCode = "en" // "" is everybody else: Vietnamese
		}
		if _, err := b.api.Request(cfg); err != nil {
			return err
		}
	}
	return nil
}

func (b *bot) setLang(ctx context.Context, c *chatCtx, lang string) {
	c.Lang, c.LangChosen = lang, true
	if err := b.save(ctx, c); err != nil {
		b.fail(c, c.ID, err)
		return
	}
	c.t = b.a.Text.For(lang)
	b.reply(c, c.t.T("bot.lang.set"), b.mainKeyboard(c))
}

// buttons of the main keyboard, by the action they stand for.
var buttons = []string{"lookup", "track", "queue", "rate", "feedback", "lang", "help"}

func (b *bot) mainKeyboard(c *chatCtx) any {
	label := func(a string) tgbotapi.KeyboardButton { return tgbotapi.NewKeyboardButton(c.t.T("bot.button." + a)) }
	kb := tgbotapi.NewReplyKeyboard(
		tgbotapi.NewKeyboardButtonRow(label("lookup"), label("track")),
		tgbotapi.NewKeyboardButtonRow(label("queue"), label("rate"), label("feedback")),
		tgbotapi.NewKeyboardButtonRow(label("lang"), label("help")),
	)
	kb.ResizeKeyboard = true
	return kb
}

// buttonAction reads a keyboard button's text, in either language.
func buttonAction(cat *i18n.Catalog, text string) (string, bool) {
	for _, lang := range []string{"vi", "en"} {
		t := cat.For(lang)
		for _, a := range buttons {
			if text == t.T("bot.button."+a) {
				return a, true
			}
		}
	}
	return "", false
}

// langKeyboard offers each language under its own name.
func (b *bot) langKeyboard() any {
	return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(b.a.Text.For("vi").T("bot.lang.name"), "l:vi"),
		tgbotapi.NewInlineKeyboardButtonData(b.a.Text.For("en").T("bot.lang.name"), "l:en"),
	))
}

// looksLikeCode: one word with a digit and a hyphen is read as a dossier
// code rather than searched.
func looksLikeCode(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	return strings.ContainsAny(s, "0123456789") && strings.Contains(s, "-")
}

// normCode is a code as typed, in the form codes are stored: trimmed and
// upper case.
func normCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// reply sends a message to the chat now (an answer to what it just did).
func (b *bot) reply(c *chatCtx, text string, markup any) {
	b.send(c.ID, text, markup)
}

func (b *bot) send(chat int64, text string, markup any) {
	msg := tgbotapi.NewMessage(chat, text)
	msg.ParseMode = tgbotapi.ModeHTML
	msg.DisableWebPagePreview = true
	if markup != nil {
		msg.ReplyMarkup = markup
	}
	if _, err := b.api.Send(msg); err != nil {
		b.log.Warn("telegram sendMessage failed", "chat", chat, "err", b.red.clean(err.Error()))
	}
}

func (b *bot) answerCallback(id, text string) {
	if _, err := b.api.Request(tgbotapi.NewCallback(id, text)); err != nil {
		b.log.Warn("telegram answerCallbackQuery failed", "err", b.red.clean(err.Error()))
	}
}

// fail logs an internal error once and tells the chat, in its language,
// that something went wrong; a user never sees the error itself.
func (b *bot) fail(c *chatCtx, chat int64, err error) {
	ae := apperr.As(err)
	b.log.Error("bot update failed", "chat", chat, "code", ae.Code, "err", err)
	t := b.a.Text.For("vi")
	if c != nil {
		t = c.t
	}
	b.send(chat, esc(t.T("error.internal")), nil)
}

// esc escapes a value for HTML parse mode.
func esc(s string) string { return html.EscapeString(s) }

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func atoiOr(s string, def int) int {
	var n int
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		return def
	}
	return n
}
