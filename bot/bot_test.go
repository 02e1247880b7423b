package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"motcua/internal/actor"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store/storetest"
)

func TestStartNeedsAToken(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), nil, func(string) string { return "" }, &out, &errb)
	if code := exitCode(err, &errb); code != 1 || !strings.Contains(errb.String(), "TELEGRAM_BOT_TOKEN is not set") ||
		strings.Count(errb.String(), "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want 1 and one line naming TELEGRAM_BOT_TOKEN", code, errb.String())
	}
	errb.Reset()
	if code := exitCode(run(context.Background(), []string{"-nope"}, func(string) string { return "" }, &out, &errb), &errb); code != 2 {
		t.Fatalf("bad flag: exit %d, want 2", code)
	}
}

// TestTokenFromFile: TELEGRAM_BOT_TOKEN_FILE names a file holding it, as
// for every secret.
func TestTokenFromFile(t *testing.T) {
	f := newFakeTG(t)
	w := newWorld(t, storetest.URL(t, "sqlite"))
	file := w.dataFile("token")
	must(t, os.WriteFile(file, []byte(f.token+"\n"), 0o600))
	env := w.env(f, map[string]string{"TELEGRAM_BOT_TOKEN": "", "TELEGRAM_BOT_TOKEN_FILE": file})
	startBot(t, env, "-poll", "1s")
	if len(f.callsOf("getMe", 0)) != 1 {
		t.Error("the bot did not start with the token from the file")
	}
}

func TestStartRefusesAWrongTokenWithoutPrintingIt(t *testing.T) {
	f := newFakeTG(t)
	w := newWorld(t, storetest.URL(t, "sqlite"))
	env := w.env(f, map[string]string{"TELEGRAM_BOT_TOKEN": "999:WRONG-secret-token"})
	var out, errb bytes.Buffer
	err := run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errb)
	code := exitCode(err, &errb)
	if code != 1 || !strings.Contains(errb.String(), "Unauthorized") || strings.Contains(errb.String(), "WRONG-secret-token") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	// An unreachable endpoint: net/http quotes the URL, token included.
	env["TELEGRAM_API_ENDPOINT"] = "http://127.0.0.1:1/bot%s/%s"
	errb.Reset()
	code = exitCode(run(context.Background(), nil, func(k string) string { return env[k] }, &out, &errb), &errb)
	if code != 1 || strings.Contains(errb.String(), "WRONG-secret-token") || !strings.Contains(errb.String(), "[redacted]") {
		t.Fatalf("unreachable: exit %d, stderr %q", code, errb.String())
	}
}

// TestPollingStartAndLookUp: the bot starts, records its username, sets its
// commands in both languages, answers /healthz, and looks procedures up in
// Vietnamese and English.
func TestPollingStartAndLookUp(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			f := newFakeTG(t)
			w := newWorld(t, storetest.URL(t, kind))
			r := startBot(t, w.env(f, nil), "-poll", "2s")
			if name, _ := w.a.DB.BotUsername(context.Background()); name != "motcua_test_bot" {
				t.Errorf("recorded username %q", name)
			}
			cmds := f.callsOf("setMyCommands", 0)
			if len(cmds) != 2 || cmds[0].Params.Get("language_code") != "" || cmds[1].Params.Get("language_code") != "en" ||
				!strings.Contains(cmds[0].Params.Get("commands"), "Theo dõi hồ sơ") || !strings.Contains(cmds[1].Params.Get("commands"), "Follow a dossier") {
				t.Errorf("setMyCommands = %+v", cmds)
			}
			if len(f.callsOf("deleteWebhook", 0)) != 1 {
				t.Error("long polling must delete any webhook first")
			}
			if polls := f.callsOf("getUpdates", 0); len(polls) > 0 && polls[0].Params.Get("timeout") != "2" {
				t.Errorf("getUpdates timeout = %q, want the -poll 2s (long polling, not short)", polls[0].Params.Get("timeout"))
			}
			res, err := http.Get("http://" + r.addr + "/healthz")
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("healthz: %v %v", res, err)
			}
			res.Body.Close()

			vi := user{ID: 1001, Lang: "vi"}
			m := f.say(t, vi, "/start")
			if !strings.Contains(m.text(), "Xin chào") || m.Params.Get("parse_mode") != "HTML" || !strings.Contains(m.Params.Get("reply_markup"), "Tra cứu thủ tục") {
				t.Errorf("welcome: %q %s", m.text(), m.Params.Get("reply_markup"))
			}
			m = f.say(t, vi, "khai sinh")
			if !strings.Contains(m.Params.Get("reply_markup"), `"callback_data":"p:1.001193"`) || !strings.Contains(m.text(), "khai sinh") {
				t.Errorf("search: %q %s", m.text(), m.Params.Get("reply_markup"))
			}
			// What the one-stop department does not handle: where to go instead.
			m = f.say(t, vi, "lam ho chieu")
			if !strings.Contains(m.text(), "không làm tại Bộ phận Một cửa") || strings.Contains(m.Params.Get("reply_markup"), "callback_data") {
				t.Errorf("passport: %q %s", m.text(), m.Params.Get("reply_markup"))
			}
			m = f.do(t, vi, vi.callbackUpdate("p:1.001193"))
			for _, want := range []string{"Đăng ký khai sinh", "Giấy chứng sinh &lt;bản chính&gt;", "3 ngày làm việc", "Miễn phí", "một phần",
				"UBND cấp xã", `href="https://motcua.example.vn/procedures/1.001193"`} {
				if !strings.Contains(m.text(), want) {
					t.Errorf("procedure message lacks %q:\n%s", want, m.text())
				}
			}

			en := user{ID: 1002, Lang: "en-GB"}
			m = f.say(t, en, "/start")
			if !strings.Contains(m.text(), "Hello") || !strings.Contains(m.Params.Get("reply_markup"), "Look up a procedure") {
				t.Errorf("English welcome: %q", m.text())
			}
			m = f.do(t, en, en.callbackUpdate("p:1.001193"))
			if !strings.Contains(m.text(), "Birth registration") || !strings.Contains(m.text(), "3 working days") || !strings.Contains(m.text(), "?lang=en") {
				t.Errorf("English procedure: %s", m.text())
			}
			if m = f.say(t, en, "passport"); !strings.Contains(m.text(), "is not handled at the one-stop department") {
				t.Errorf("English passport: %s", m.text())
			}
			m = f.say(t, en, "zzqqxx nothing like this")
			if !strings.Contains(m.text(), "I found no procedure") {
				t.Errorf("no result: %s", m.text())
			}
			// /lang switches and is kept over Telegram's language.
			m = f.say(t, en, "/lang vi")
			if !strings.Contains(m.text(), "tiếng Việt") {
				t.Errorf("/lang vi: %s", m.text())
			}
			if m = f.say(t, en, "/help"); !strings.Contains(m.text(), "Tôi có thể giúp gì") {
				t.Errorf("after /lang vi, help in %q", m.text())
			}
			m = f.say(t, en, "/lang")
			if mk := m.Params.Get("reply_markup"); !strings.Contains(mk, `"text":"English","callback_data":"l:en"`) || !strings.Contains(mk, "Tiếng Việt") {
				t.Errorf("/lang keyboard: %s", mk)
			}
			m = f.do(t, en, en.callbackUpdate("l:en"))
			if !strings.Contains(m.text(), "English") {
				t.Errorf("l:en: %s", m.text())
			}
		})
	}
}

// TestBadInput: stickers, photos, voice, very long text, unknown commands,
// forged callback data and bad deep links get a short reply in the chat's
// language and change nothing.
func TestBadInput(t *testing.T) {
	f := newFakeTG(t)
	w := newWorld(t, storetest.URL(t, "sqlite"))
	startBot(t, w.env(f, nil), "-poll", "2s")
	for _, u := range []user{{ID: 2001, Lang: "vi"}, {ID: 2002, Lang: "en"}} {
		want := map[string]string{"vi": "chỉ đọc được chữ", "en": "only read text"}[u.Lang]
		for _, extra := range []map[string]any{
			{"sticker": map[string]any{"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": false}},
			{"photo": []any{map[string]any{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}}},
			{"voice": map[string]any{"file_id": "v", "file_unique_id": "v", "duration": 1}},
		} {
			if m := f.do(t, u, u.message(extra)); !strings.Contains(m.text(), want) {
				t.Errorf("%s non-text: %q", u.Lang, m.text())
			}
		}
		long := strings.Repeat("khai sinh ", 100)
		if m := f.say(t, u, long); !strings.Contains(m.text(), "500") {
			t.Errorf("long text: %q", m.text())
		}
		if m := f.say(t, u, "/frobnicate"); !strings.Contains(m.text(), map[string]string{"vi": "không biết lệnh", "en": "do not know"}[u.Lang]) {
			t.Errorf("unknown command: %q", m.text())
		}
		if m := f.say(t, u, "/start bad!payload"); !strings.Contains(m.text(), map[string]string{"vi": "không hợp lệ", "en": "not valid"}[u.Lang]) {
			t.Errorf("bad payload: %q", m.text())
		}
		if m := f.say(t, u, "/start t_aaaaaaaaaaaaaaaaaaaaaaaaaa"); !strings.Contains(m.text(), map[string]string{"vi": "Không tìm thấy số", "en": "cannot find this queue number"}[u.Lang]) {
			t.Errorf("unknown ticket: %q", m.text())
		}
		for _, data := range []string{"zz", "p:NOPE", "o:NOPE", "x:short", "l:fr", "", strings.Repeat("u", 64)} {
			n := len(f.callsOf("answerCallbackQuery", 0))
			f.push(u.callbackUpdate(data))
			deadline := time.Now().Add(10 * time.Second)
			for len(f.callsOf("answerCallbackQuery", 0)) == n {
				if time.Now().After(deadline) {
					t.Fatalf("callback %q not answered", data)
				}
				time.Sleep(10 * time.Millisecond)
			}
			got := f.callsOf("answerCallbackQuery", 0)[n]
			if !strings.Contains(got.Params.Get("text"), map[string]string{"vi": "không còn dùng", "en": "no longer works"}[u.Lang]) {
				t.Errorf("forged callback %q answered %q", data, got.Params.Get("text"))
			}
		}
	}
	if subs, _ := w.a.DB.Subscriptions(context.Background(), 2001); len(subs) != 0 {
		t.Errorf("bad input subscribed to %v", subs)
	}
}

// TestTrackDossier: a code in any case with spaces asks for the phone; a
// forged contact is refused; the chat's own contact proves it, shows the
// citizen's view and subscribes; the dossier's moves then arrive in order
// from the outbox; /stop ends them.
func TestTrackDossier(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			f := newFakeTG(t)
			w := newWorld(t, storetest.URL(t, kind))
			startBot(t, w.env(f, nil), "-poll", "2s")
			code := w.dossier.Code
			u := user{ID: 3001, Lang: "vi"}

			m := f.say(t, u, "  "+strings.ToLower(code)+"  ")
			if !strings.Contains(m.text(), code) || !strings.Contains(m.Params.Get("reply_markup"), `"request_contact":true`) {
				t.Fatalf("ask phone: %q %s", m.text(), m.Params.Get("reply_markup"))
			}
			if strings.Contains(m.text(), "Tiếp nhận") || strings.Contains(m.text(), "An") {
				t.Errorf("the dossier shows before the phone is proved: %q", m.text())
			}
			// Someone else's contact card proves nothing.
			m = f.do(t, u, u.contactUpdate(9999, applicantPhoneTG))
			if !strings.Contains(m.text(), "của chính bạn") {
				t.Errorf("forged contact: %q", m.text())
			}
			if c, _ := w.a.DB.BotChat(ctx, u.ID); c.Phone != "" {
				t.Fatalf("forged contact stored phone %q", c.Phone)
			}
			n := len(f.sent(u.ID))
			f.push(u.contactUpdate(u.ID, applicantPhoneTG))
			got := f.waitSent(t, u.ID, n+2)
			view := got[n+1].text()
			due := w.dossier.DueAt.In(w.a.Text.Zone()).Format("02/01/2006")
			for _, want := range []string{"Hồ sơ " + code, "Được tiếp nhận", due, "Bạn cần làm gì tiếp theo", "Quá trình", "Tôi sẽ báo cho bạn"} {
				if !strings.Contains(view, want) && !strings.Contains(strings.ToLower(view), strings.ToLower(want)) {
					t.Errorf("view lacks %q:\n%s", want, view)
				}
			}
			if ok, _ := w.a.DB.Subscribed(ctx, u.ID, code); !ok {
				t.Fatal("not subscribed after the view")
			}
			// The dossier moves at the desk (the portal's process): the
			// outbox carries it to the chat, in order.
			w.move(t, code, dossier.InProgress, "")
			w.move(t, code, dossier.Supplement, "Thiếu <bản sao> CCCD")
			got = f.waitSent(t, u.ID, n+4)
			if !strings.Contains(got[n+2].text(), code) || !strings.Contains(got[n+2].text(), "Đang xử lý") {
				t.Errorf("first notice: %q", got[n+2].text())
			}
			if !strings.Contains(got[n+3].text(), code) || !strings.Contains(got[n+3].text(), "Thiếu &lt;bản sao&gt; CCCD") {
				t.Errorf("second notice: %q", got[n+3].text())
			}
			if got[n+3].At.Sub(got[n+2].At) < 900*time.Millisecond {
				t.Errorf("two messages to one chat %v apart, want about a second", got[n+3].At.Sub(got[n+2].At))
			}
			// Another of their dossiers needs no second proof.
			d2 := w.receive(t)
			if m = f.say(t, u, "/track "+d2.Code); !strings.Contains(m.text(), "Hồ sơ "+d2.Code) {
				t.Errorf("second dossier: %q", m.text())
			}
			// Stop following the first.
			if m = f.say(t, u, "/stop "+code); !strings.Contains(m.text(), code) {
				t.Errorf("stop: %q", m.text())
			}
			before := len(f.sent(u.ID))
			w.move(t, code, dossier.InProgress, "")
			w.move(t, d2.Code, dossier.InProgress, "")
			f.waitSent(t, u.ID, before+1)
			time.Sleep(1500 * time.Millisecond)
			got = f.sent(u.ID)
			if len(got) != before+1 || !strings.Contains(got[before].text(), d2.Code) {
				t.Errorf("after /stop: %d new messages, last %q", len(got)-before, got[len(got)-1].text())
			}

			// A stranger's chat, with another phone, learns nothing.
			x := user{ID: 3002, Lang: "en"}
			f.say(t, x, code)
			n = len(f.sent(x.ID))
			f.push(x.contactUpdate(x.ID, "+84 987 654 321"))
			got = f.waitSent(t, x.ID, n+2)
			if !strings.Contains(got[n+1].text(), "found no dossier") || strings.Contains(got[n+1].text(), "Received") {
				t.Errorf("stranger: %q", got[n+1].text())
			}
			if ok, _ := w.a.DB.Subscribed(ctx, x.ID, code); ok {
				t.Error("a stranger was subscribed")
			}
		})
	}
}

// TestNoticeInEnglish: a chat in English gets the dossier's moves in English.
func TestNoticeInEnglish(t *testing.T) {
	f := newFakeTG(t)
	w := newWorld(t, storetest.URL(t, "sqlite"))
	startBot(t, w.env(f, nil), "-poll", "2s")
	u := user{ID: 3101, Lang: "en"}
	code := w.dossier.Code
	f.say(t, u, code)
	n := len(f.sent(u.ID))
	f.push(u.contactUpdate(u.ID, "+"+applicantPhoneTG))
	f.waitSent(t, u.ID, n+2)
	w.move(t, code, dossier.InProgress, "")
	got := f.waitSent(t, u.ID, n+3)
	if !strings.Contains(got[n+2].text(), "Dossier <b>"+code+"</b>: Being handled") {
		t.Errorf("English notice: %q", got[n+2].text())
	}
	// The button under the view unsubscribes; pressed again it says so.
	if m := f.do(t, u, u.callbackUpdate("u:"+code)); !strings.Contains(m.text(), "no longer hear about dossier <b>"+code+"</b>") {
		t.Errorf("unsubscribe button: %q", m.text())
	}
	if m := f.do(t, u, u.callbackUpdate("u:"+code)); !strings.Contains(m.text(), "do not follow dossier") {
		t.Errorf("unsubscribe twice: %q", m.text())
	}
}

// TestFollowTicket: the ticket page's deep link links the chat to the
// ticket; it hears how many are ahead, a heads-up when two remain, "your
// turn: counter N" when called (written to the outbox by the call itself,
// since the portal's event bus does not reach this process) and the end of
// the visit.
func TestFollowTicket(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			f := newFakeTG(t)
			w := newWorld(t, storetest.URL(t, kind))
			startBot(t, w.env(f, nil), "-poll", "2s")
			q := w.a.Queue
			var ids []string
			for range 5 {
				v, err := q.Issue(ctx, actor.Anon(), "TB-HCC", "hotich", "")
				must(t, err)
				ids = append(ids, v.Ticket.ID)
			}
			mine := ids[4]
			u := user{ID: 4001, Lang: "en"}
			m := f.say(t, u, "/start "+TicketPayload(mine))
			if !strings.Contains(m.text(), "A005") || !strings.Contains(m.text(), "4 people are ahead") || !strings.Contains(m.Params.Get("reply_markup"), "x:"+mine) {
				t.Fatalf("follow: %q", m.text())
			}
			n := len(f.sent(u.ID))
			c1, c2 := w.counter[1].ID, w.counter[2].ID
			_, err := q.Act(ctx, staff.Operator(), c1, queue.Action{Name: "next"}) // A001: 3 ahead of A005
			must(t, err)
			_, err = q.Act(ctx, staff.Operator(), c2, queue.Action{Name: "next"}) // A002: 2 ahead
			must(t, err)
			got := f.waitSent(t, u.ID, n+1)
			if !strings.Contains(got[n].text(), "A005") || !strings.Contains(got[n].text(), "only 2 people before you") {
				t.Errorf("heads-up: %q", got[n].text())
			}
			_, err = q.Act(ctx, staff.Operator(), c1, queue.Action{Name: "next", Ticket: ids[0]}) // A003
			must(t, err)
			_, err = q.Act(ctx, staff.Operator(), c2, queue.Action{Name: "next", Ticket: ids[1]}) // A004
			must(t, err)
			_, err = q.Act(ctx, staff.Operator(), c1, queue.Action{Name: "next", Ticket: ids[2]}) // A005 at counter 1
			must(t, err)
			got = f.waitSent(t, u.ID, n+2)
			if !strings.Contains(got[n+1].text(), "A005") || !strings.Contains(got[n+1].text(), "counter <b>1</b>") {
				t.Errorf("your turn: %q", got[n+1].text())
			}
			_, err = q.Act(ctx, staff.Operator(), c1, queue.Action{Name: "done", Ticket: mine})
			must(t, err)
			got = f.waitSent(t, u.ID, n+3)
			if !strings.Contains(got[n+2].text(), "A005") || !strings.Contains(got[n+2].text(), "Question 1 of 6") ||
				!strings.Contains(got[n+2].Params.Get("reply_markup"), "r:t:"+mine+":0:2") {
				t.Errorf("visit done with the rating's first question: %q %s", got[n+2].text(), got[n+2].Params.Get("reply_markup"))
			}
			time.Sleep(1200 * time.Millisecond)
			if extra := len(f.sent(u.ID)) - (n + 3); extra != 0 {
				t.Errorf("%d messages more than the heads-up, the call and the end", extra)
			}
			// The visit is rated question by question, in English.
			for i := range 6 {
				m = f.do(t, u, u.callbackUpdate(fmt.Sprintf("r:t:%s:%d:2", mine, i)))
			}
			if !strings.Contains(m.text(), "Thank you for your rating!") || !strings.Contains(m.text(), "A005") {
				t.Errorf("rating thanks: %q", m.text())
			}
			if rated, _ := w.a.Ratings.RatedTicket(ctx, mine); !rated {
				t.Error("the visit's rating was not recorded")
			}
			if a := f.press(t, u, "R:t:"+mine); a != "" {
				t.Errorf("rate again: callback answered %q", a)
			}
			if m := f.waitSent(t, u.ID, len(f.sent(u.ID)))[len(f.sent(u.ID))-1]; !strings.Contains(m.text(), "already rated") {
				t.Errorf("rate again: %q", m.text())
			}
			// The button under the link stops following the number.
			if m := f.do(t, u, u.callbackUpdate("x:"+mine)); !strings.Contains(m.text(), "no longer hear about number <b>A005</b>") {
				t.Errorf("unfollow: %q", m.text())
			}
			// Queue menu in Vietnamese: the office with who waits, and hours.
			v := user{ID: 4002, Lang: "vi"}
			m = f.say(t, v, "/queue")
			if !strings.Contains(m.text(), "Bộ phận Một cửa huyện Thăng Bình") || !strings.Contains(m.text(), "Giờ làm việc") {
				t.Errorf("queue menu: %q", m.text())
			}
			m = f.do(t, v, v.callbackUpdate("o:TB-HCC"))
			if !strings.Contains(m.text(), "Hộ tịch") {
				t.Errorf("office now: %q", m.text())
			}
		})
	}
}
