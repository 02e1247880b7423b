package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTG is a Bot API server inside the test: it answers what the real
// telegram-bot-api library asks (getMe, getUpdates, sendMessage,
// answerCallbackQuery, setWebhook, setMyCommands…) and records every call.
type fakeTG struct {
	t     *testing.T
	srv   *httptest.Server
	token string

	mu      sync.Mutex
	calls   []call
	updates []map[string]any
	nextID  int
	wake    chan struct{}
	msgID   int
	blocked map[int64]bool // the user blocked the bot: 403
	flood   map[int64]int  // retry_after of the next sendMessage to the chat: 429
	broken  map[int64]int  // how many sendMessage to the chat fail with 502
	// holdAt, when >0, makes the holdAt-th sendMessage wait until the client
	// goes away (it is then not recorded: Telegram never took it).
	holdAt  int
	sends   int
	holding chan struct{}
}

// call is one request the bot made.
type call struct {
	Method string
	Params url.Values
	At     time.Time
}

func (c call) chat() int64  { n, _ := strconv.ParseInt(c.Params.Get("chat_id"), 10, 64); return n }
func (c call) text() string { return c.Params.Get("text") }

const testToken = "123456:TEST-token_secret"

func newFakeTG(t *testing.T) *fakeTG {
	f := &fakeTG{t: t, token: testToken, wake: make(chan struct{}, 1), blocked: map[int64]bool{}, flood: map[int64]int{}, broken: map[int64]int{},
		holding: make(chan struct{}, 1), nextID: 100}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is TELEGRAM_API_ENDPOINT for this server.
func (f *fakeTG) endpoint() string { return f.srv.URL + "/bot%s/%s" }

func (f *fakeTG) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || token != f.token {
		writeJSON(w, 401, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	_ = r.ParseForm()
	c := call{Method: method, Params: r.PostForm, At: time.Now()}
	switch method {
	case "getMe":
		f.record(c)
		ok200(w, map[string]any{"id": 42, "is_bot": true, "first_name": "Một cửa", "username": "motcua_test_bot"})
	case "getUpdates":
		f.getUpdates(w, r, c)
	case "sendMessage":
		f.sendMessage(w, r, c)
	default: // answerCallbackQuery, setMyCommands, setWebhook, deleteWebhook
		f.record(c)
		ok200(w, true)
	}
}

func (f *fakeTG) getUpdates(w http.ResponseWriter, r *http.Request, c call) {
	offset, _ := strconv.Atoi(c.Params.Get("offset"))
	timeout, _ := strconv.Atoi(c.Params.Get("timeout"))
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		f.mu.Lock()
		var out []map[string]any
		for _, u := range f.updates {
			if int(u["update_id"].(int)) >= offset {
				out = append(out, u)
			}
		}
		f.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			f.record(c)
			ok200(w, out)
			return
		}
		select {
		case <-f.wake:
		case <-deadline:
			ok200(w, []any{})
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (f *fakeTG) sendMessage(w http.ResponseWriter, r *http.Request, c call) {
	chat := c.chat()
	f.mu.Lock()
	f.sends++
	hold := f.holdAt > 0 && f.sends == f.holdAt
	retry := f.flood[chat]
	delete(f.flood, chat)
	blocked := f.blocked[chat]
	broken := f.broken[chat] > 0
	if broken {
		f.broken[chat]--
	}
	f.mu.Unlock()
	if hold {
		f.holding <- struct{}{}
		<-r.Context().Done() // the bot is killed while Telegram "thinks"
		return
	}
	c.Params.Set("_outcome", "sent")
	switch {
	case retry > 0:
		c.Params.Set("_outcome", "429")
		f.record(c)
		writeJSON(w, 429, map[string]any{"ok": false, "error_code": 429,
			"description": fmt.Sprintf("Too Many Requests: retry after %d", retry), "parameters": map[string]any{"retry_after": retry}})
		return
	case broken:
		c.Params.Set("_outcome", "502")
		f.record(c)
		writeJSON(w, 502, map[string]any{"ok": false, "error_code": 502, "description": "Bad Gateway"})
		return
	case blocked:
		c.Params.Set("_outcome", "403")
		f.record(c)
		writeJSON(w, 403, map[string]any{"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
		return
	}
	f.record(c)
	f.mu.Lock()
	f.msgID++
	id := f.msgID
	f.mu.Unlock()
	ok200(w, map[string]any{"message_id": id, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"},
		"text": c.text()})
}

func (f *fakeTG) record(c call) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
}

func ok200(w http.ResponseWriter, result any) {
	writeJSON(w, 200, map[string]any{"ok": true, "result": result})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// push queues an update for getUpdates.
func (f *fakeTG) push(u map[string]any) map[string]any {
	f.mu.Lock()
	f.nextID++
	u["update_id"] = f.nextID
	f.updates = append(f.updates, u)
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
	return u
}

// user is a Telegram user writing to the bot in a private chat.
type user struct {
	ID   int64
	Lang string
}

func (u user) from() map[string]any {
	return map[string]any{"id": u.ID, "is_bot": false, "first_name": "An", "language_code": u.Lang}
}

func (u user) message(extra map[string]any) map[string]any {
	m := map[string]any{"message_id": 1, "date": time.Now().Unix(), "from": u.from(),
		"chat": map[string]any{"id": u.ID, "type": "private"}}
	for k, v := range extra {
		m[k] = v
	}
	return map[string]any{"message": m}
}

// textUpdate is the user sending text (a command when it starts with /).
func (u user) textUpdate(text string) map[string]any {
	extra := map[string]any{"text": text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		extra["entities"] = []any{map[string]any{"type": "bot_command", "offset": 0, "length": len(cmd)}}
	}
	return u.message(extra)
}

func (u user) contactUpdate(userID int64, phone string) map[string]any {
	return u.message(map[string]any{"contact": map[string]any{"phone_number": phone, "first_name": "An", "user_id": userID}})
}

func (u user) callbackUpdate(data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{"id": fmt.Sprint(time.Now().UnixNano()), "from": u.from(), "data": data,
		"chat_instance": "x", "message": map[string]any{"message_id": 1, "date": time.Now().Unix(),
			"chat": map[string]any{"id": u.ID, "type": "private"}}}}
}

// callsOf returns the calls of a method (to a chat, when chat is not 0).
func (f *fakeTG) callsOf(method string, chat int64) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method && (chat == 0 || c.chat() == chat) {
			out = append(out, c)
		}
	}
	return out
}

// sent are the messages Telegram accepted for a chat.
func (f *fakeTG) sent(chat int64) []call {
	var out []call
	for _, c := range f.callsOf("sendMessage", chat) {
		if c.Params.Get("_outcome") == "sent" {
			out = append(out, c)
		}
	}
	return out
}

// waitSent waits until the chat received n messages and returns them.
func (f *fakeTG) waitSent(t *testing.T, chat int64, n int) []call {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := f.sent(chat)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			var texts []string
			for _, c := range got {
				texts = append(texts, c.text())
			}
			t.Fatalf("chat %d got %d messages, want %d: %q", chat, len(got), n, texts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// say pushes a text and returns the bot's answer to it.
func (f *fakeTG) say(t *testing.T, u user, text string) call {
	t.Helper()
	n := len(f.sent(u.ID))
	f.push(u.textUpdate(text))
	return f.waitSent(t, u.ID, n+1)[n]
}

// do pushes an update and returns the next message the chat receives.
func (f *fakeTG) do(t *testing.T, u user, upd map[string]any) call {
	t.Helper()
	n := len(f.sent(u.ID))
	f.push(upd)
	return f.waitSent(t, u.ID, n+1)[n]
}

// press pushes a callback and returns the text of its answerCallbackQuery.
func (f *fakeTG) press(t *testing.T, u user, data string) string {
	t.Helper()
	n := len(f.callsOf("answerCallbackQuery", 0))
	f.push(u.callbackUpdate(data))
	deadline := time.Now().Add(10 * time.Second)
	for len(f.callsOf("answerCallbackQuery", 0)) == n {
		if time.Now().After(deadline) {
			t.Fatalf("callback %q not answered", data)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return f.callsOf("answerCallbackQuery", 0)[n].Params.Get("text")
}
