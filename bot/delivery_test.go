package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/dossier"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// TestWebhook: with TELEGRAM_WEBHOOK_URL the bot registers the webhook with
// a secret token (a raw setWebhook), refuses calls without it or with a
// wrong one, and answers the right ones.
func TestWebhook(t *testing.T) {
	f := newFakeTG(t)
	w := newWorld(t, storetest.URL(t, "sqlite"))
	const secret = "s3cret-Token_value"
	r := startBot(t, w.env(f, map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.example.vn/telegram/hook",
		"TELEGRAM_WEBHOOK_SECRET": secret}))
	set := f.callsOf("setWebhook", 0)
	if len(set) != 1 || set[0].Params.Get("url") != "https://bot.example.vn/telegram/hook" || set[0].Params.Get("secret_token") != secret {
		t.Fatalf("setWebhook = %+v", set)
	}
	if len(f.callsOf("getUpdates", 0)) != 0 {
		t.Error("webhook mode polls")
	}
	u := user{ID: 5001, Lang: "vi"}
	body, _ := json.Marshal(map[string]any{"update_id": 1, "message": u.textUpdate("/start")["message"]})
	post := func(header string) int {
		req, _ := http.NewRequest("POST", "http://"+r.addr+"/telegram/hook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", header)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, bad := range []string{"", "wrong", secret + "x", strings.ToUpper(secret)} {
		if code := post(bad); code != http.StatusForbidden {
			t.Errorf("secret %q: %d, want 403", bad, code)
		}
	}
	if n := len(f.sent(u.ID)); n != 0 {
		t.Fatalf("a refused call was answered %d times", n)
	}
	if code := post(secret); code != http.StatusOK {
		t.Fatalf("right secret: %d", code)
	}
	if m := f.waitSent(t, u.ID, 1)[0]; !strings.Contains(m.text(), "Xin chào") {
		t.Errorf("webhook answer: %q", m.text())
	}
	if strings.Contains(r.stderr.String(), secret) {
		t.Error("the webhook secret appears in the log")
	}
}

// subscribe proves the chat's phone and subscribes it to the world's
// dossier, through the bot.
func subscribe(t *testing.T, f *fakeTG, w *world, u user) {
	t.Helper()
	f.say(t, u, w.dossier.Code)
	n := len(f.sent(u.ID))
	f.push(u.contactUpdate(u.ID, applicantPhoneTG))
	f.waitSent(t, u.ID, n+2)
}

// TestFloodControlAndBlockedUser: a 429 is honoured (the message is sent
// again after retry_after, once), a user who blocked the bot makes its chat
// inactive and its deliveries dropped, not retried.
func TestFloodControlAndBlockedUser(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			f := newFakeTG(t)
			w := newWorld(t, storetest.URL(t, kind))
			startBot(t, w.env(f, nil), "-poll", "2s")
			a, b := user{ID: 6001, Lang: "vi"}, user{ID: 6002, Lang: "en"}
			subscribe(t, f, w, a)
			subscribe(t, f, w, b)
			na, nb := len(f.sent(a.ID)), len(f.sent(b.ID))
			f.mu.Lock()
			f.flood[a.ID] = 2
			f.blocked[b.ID] = true
			f.mu.Unlock()
			w.move(t, w.dossier.Code, dossier.InProgress, "")
			got := f.waitSent(t, a.ID, na+1)
			tries := f.callsOf("sendMessage", a.ID)
			last := tries[len(tries)-1]
			var refused call
			for _, c := range tries {
				if c.Params.Get("_outcome") == "429" {
					refused = c
				}
			}
			if refused.Method == "" || last.At.Sub(refused.At) < 2*time.Second {
				t.Errorf("429 with retry_after 2: sent again %v later", last.At.Sub(refused.At))
			}
			if !strings.Contains(got[na].text(), w.dossier.Code) || len(got) != na+1 {
				t.Errorf("after 429: %d messages, %q", len(got)-na, got[na].text())
			}
			// b blocked the bot: one refused try, then nothing more.
			deadline := time.Now().Add(10 * time.Second)
			for {
				c, err := w.a.DB.BotChat(ctx, b.ID)
				must(t, err)
				if !c.Active {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("a blocked chat is still active")
				}
				time.Sleep(20 * time.Millisecond)
			}
			w.move(t, w.dossier.Code, dossier.Supplement, "Thiếu giấy")
			f.waitSent(t, a.ID, na+2)
			time.Sleep(time.Second)
			if tries := f.callsOf("sendMessage", b.ID); len(tries) != nb+1 || len(f.sent(b.ID)) != nb {
				t.Errorf("blocked chat: %d tries after blocking, want 1", len(tries)-nb)
			}
			counts, err := w.a.DB.DeliveryCounts(ctx)
			must(t, err)
			if counts[store.DeliveryDropped] != 1 || counts[store.DeliveryPending] != 0 || counts[store.DeliverySent] != 2 {
				t.Errorf("deliveries = %v, want 2 sent, 1 dropped", counts)
			}
			// Writing again makes the chat active again.
			f.mu.Lock()
			f.blocked[b.ID] = false
			f.mu.Unlock()
			f.say(t, b, "/help")
			if c, _ := w.a.DB.BotChat(ctx, b.ID); !c.Active {
				t.Error("a chat that writes again stays inactive")
			}
		})
	}
}

// head is the head of unit TB, who answers feedback and low ratings.
var head = actor.Actor{Kind: actor.Staff, ID: 1, Name: "truong.tb", Role: actor.RoleHead, Unit: "TB", FullName: "Trần Văn Bình"}

// TestRateAndFeedback: a returned dossier brings a rating, question by
// question, once; a low rating's reply and a feedback's answer come back
// to the chat.
func TestRateAndFeedback(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			f := newFakeTG(t)
			w := newWorld(t, storetest.URL(t, kind))
			startBot(t, w.env(f, nil), "-poll", "2s")
			u := user{ID: 8001, Lang: "vi"}
			subscribe(t, f, w, u)
			code := w.dossier.Code
			n := len(f.sent(u.ID))
			w.move(t, code, dossier.InProgress, "")
			w.move(t, code, dossier.Done, "")
			w.move(t, code, dossier.Returned, "")
			got := f.waitSent(t, u.ID, n+3)
			inv := got[n+2]
			if !strings.Contains(inv.text(), code) || !strings.Contains(inv.text(), "Câu 1/6") || !strings.Contains(inv.Params.Get("reply_markup"), "r:d:"+code+":0:2") {
				t.Fatalf("invitation: %q %s", inv.text(), inv.Params.Get("reply_markup"))
			}
			// A forged step, a bad level and skipping the required question
			// change nothing.
			for _, data := range []string{"r:d:" + code + ":3:2", "r:d:" + code + ":0:7", "r:d:" + code + ":0:s", "r:d:OTHER-1:0:2", "R:d:OTHER-1"} {
				if a := f.press(t, u, data); !strings.Contains(a, "không còn dùng") {
					t.Errorf("%q answered %q", data, a)
				}
			}
			answers := []string{"0", "s", "1", "0", "s", "2"}
			for i, a := range answers {
				m := f.do(t, u, u.callbackUpdate(fmt.Sprintf("r:d:%s:%d:%s", code, i, a)))
				if i < len(answers)-1 && !strings.Contains(m.text(), fmt.Sprintf("Câu %d/6", i+2)) {
					t.Fatalf("after answer %d: %q", i+1, m.text())
				}
				if i == len(answers)-1 && (!strings.Contains(m.text(), "lãnh đạo cơ quan sẽ xem xét") || !strings.Contains(m.text(), code)) {
					t.Errorf("thanks: %q", m.text())
				}
			}
			if rated, _ := w.a.Ratings.RatedDossier(ctx, code); !rated {
				t.Fatal("the rating was not recorded")
			}
			if a := f.press(t, u, fmt.Sprintf("r:d:%s:5:2", code)); !strings.Contains(a, "không còn dùng") {
				t.Errorf("an answer after the end: %q", a)
			}
			if m := f.say(t, u, "/rate"); !strings.Contains(m.text(), "Chưa có gì để đánh giá") {
				t.Errorf("/rate after rating: %q", m.text())
			}
			// The head answers the low rating: the reply comes to the chat.
			fus, err := w.a.Ratings.FollowUps(ctx, head, true)
			must(t, err)
			if len(fus) != 1 {
				t.Fatalf("%d follow-ups", len(fus))
			}
			n = len(f.sent(u.ID))
			_, err = w.a.Ratings.CloseFollowUp(ctx, head, fus[0].ID, "Đã nhắc nhở cán bộ", "Xin lỗi ông <An>, chúng tôi đã chấn chỉnh.")
			must(t, err)
			if m := f.waitSent(t, u.ID, n+1)[n]; !strings.Contains(m.text(), code) || !strings.Contains(m.text(), "Xin lỗi ông &lt;An&gt;") {
				t.Errorf("rating reply: %q", m.text())
			}

			// Feedback about the office, answered by the head.
			m := f.say(t, u, "/feedback")
			if !strings.Contains(m.Params.Get("reply_markup"), "f:o:TB-HCC") {
				t.Fatalf("feedback menu: %s", m.Params.Get("reply_markup"))
			}
			f.do(t, u, u.callbackUpdate("f:o:TB-HCC"))
			m = f.say(t, u, "Phòng chờ thiếu ghế ngồi")
			fbCode := regexp.MustCompile(`<b>([A-Z0-9-]+)</b>`).FindStringSubmatch(m.text())
			if fbCode == nil {
				t.Fatalf("feedback thanks: %q", m.text())
			}
			n = len(f.sent(u.ID))
			_, err = w.a.Feedback.Answer(ctx, head, fbCode[1], "Chúng tôi đã bổ sung 20 ghế.", false)
			must(t, err)
			if m := f.waitSent(t, u.ID, n+1)[n]; !strings.Contains(m.text(), fbCode[1]) || !strings.Contains(m.text(), "20 ghế") {
				t.Errorf("feedback answer: %q", m.text())
			}
			// A chat without a proved phone is asked for it first.
			x := user{ID: 8002, Lang: "en"}
			if m := f.say(t, x, "/feedback"); !strings.Contains(m.Params.Get("reply_markup"), `"request_contact":true`) {
				t.Errorf("feedback without phone: %q", m.text())
			}
			if a := f.press(t, x, "f:o:TB-HCC"); !strings.Contains(a, "no longer works") {
				t.Errorf("feedback button without a phone: %q", a)
			}
		})
	}
}

// TestTwoInstancesSendEachMessageOnce: two bots (webhook mode, as behind a
// load balancer) share the database; every follower gets every move once,
// in order.
func TestTwoInstancesSendEachMessageOnce(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			f := newFakeTG(t)
			w := newWorld(t, storetest.URL(t, kind))
			env := w.env(f, map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.example.vn/hook", "TELEGRAM_WEBHOOK_SECRET": "same-secret"})
			startBot(t, env)
			startBot(t, env)
			code := w.dossier.Code
			chats := []int64{9001, 9002, 9003}
			for _, id := range chats {
				c, err := w.a.DB.EnsureBotChat(ctx, id, "vi", time.Now())
				must(t, err)
				c.Phone = "+84912345678"
				must(t, w.a.DB.SaveBotChat(ctx, c, time.Now()))
				must(t, w.a.DB.Subscribe(ctx, id, code, time.Now()))
			}
			path := []dossier.Status{dossier.InProgress, dossier.Supplement, dossier.InProgress, dossier.Payment, dossier.InProgress}
			for i, st := range path {
				w.move(t, code, st, fmt.Sprintf("bước %d", i+1))
			}
			for _, id := range chats {
				f.waitSent(t, id, len(path))
			}
			time.Sleep(1500 * time.Millisecond)
			for _, id := range chats {
				got := f.sent(id)
				if len(got) != len(path) {
					t.Errorf("chat %d got %d messages, want %d", id, len(got), len(path))
					continue
				}
				for i, m := range got {
					if !strings.Contains(m.text(), fmt.Sprintf("bước %d", i+1)) {
						t.Errorf("chat %d message %d: %q", id, i+1, m.text())
					}
				}
			}
		})
	}
}

// TestFailuresAreRetriedWithBackoff: a message Telegram fails to take
// (502) is tried again after 2 s, then 4 s, and arrives once.
func TestFailuresAreRetriedWithBackoff(t *testing.T) {
	f := newFakeTG(t)
	w := newWorld(t, storetest.URL(t, "sqlite"))
	startBot(t, w.env(f, nil), "-poll", "2s")
	u := user{ID: 6101, Lang: "en"}
	subscribe(t, f, w, u)
	n := len(f.sent(u.ID))
	f.mu.Lock()
	f.broken[u.ID] = 2
	f.mu.Unlock()
	w.move(t, w.dossier.Code, dossier.InProgress, "")
	got := f.waitSent(t, u.ID, n+1)
	var at []time.Time
	for _, c := range f.callsOf("sendMessage", u.ID)[n:] {
		at = append(at, c.At)
	}
	if len(at) != 3 || at[1].Sub(at[0]) < 2*time.Second || at[2].Sub(at[1]) < 4*time.Second {
		t.Errorf("tries at %v, want three: then +2 s, then +4 s", at)
	}
	if len(got) != n+1 || !strings.Contains(got[n].text(), w.dossier.Code) {
		t.Errorf("after the failures: %q", got[n].text())
	}
}
