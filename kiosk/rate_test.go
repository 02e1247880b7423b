package kiosk

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/rating"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// finish calls the next ticket to counter 1 and finishes it there.
func (f *fixture) finish(t *testing.T, id string) {
	t.Helper()
	if status, _, body := f.act(t, "clerk", f.c1, "next", nil); status != http.StatusSeeOther {
		t.Fatalf("next: %d %s", status, body)
	}
	if status, _, body := f.act(t, "clerk", f.c1, "done", url.Values{"ticket": {id}}); status != http.StatusSeeOther {
		t.Fatalf("done: %d %s", status, body)
	}
}

func TestPhoneTicketTurnsIntoOneTapRating(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		id := f.take(t, "land", "")
		page := f.get(t, "/t/"+id)
		if strings.Contains(page, `name="overall"`) {
			t.Fatal("a waiting ticket offers a rating")
		}
		origin := []string{"Origin", "https://motcua.example.vn"}
		if status, _, _ := f.do(t, "POST", "/t/"+id+"/rate", url.Values{"overall": {"2"}}, origin...); status != 422 {
			t.Fatalf("rating a waiting ticket: %d, want 422", status)
		}
		f.finish(t, id)
		page = f.get(t, "/t/"+id)
		for _, want := range []string{`action="/t/` + id + `/rate"`, `name="overall" value="2"`, `name="overall" value="0"`, "Rất hài lòng"} {
			if !strings.Contains(page, want) {
				t.Fatalf("the finished ticket's page lacks %q", want)
			}
		}
		if status, _, _ := f.do(t, "POST", "/t/"+id+"/rate", url.Values{"overall": {"2"}}, "Origin", "https://evil.example"); status != 403 {
			t.Fatalf("a cross-site tap: %d, want 403", status)
		}
		if status, _, _ := f.do(t, "POST", "/t/"+id+"/rate", url.Values{"overall": {"5"}}, origin...); status != 422 {
			t.Fatalf("a level out of the scale: %d, want 422", status)
		}
		status, loc, _ := f.do(t, "POST", "/t/"+id+"/rate", url.Values{"overall": {"1"}}, origin...)
		if status != http.StatusSeeOther || loc != "/t/"+id+"#rate" {
			t.Fatalf("tap: %d %q", status, loc)
		}
		page = f.get(t, "/t/"+id)
		if strings.Contains(page, `name="overall"`) || !strings.Contains(page, "Cảm ơn bạn đã đánh giá") {
			t.Fatal("the rated ticket still offers a rating")
		}
		// A second tap changes nothing and lands on the thanks.
		if status, _, _ := f.do(t, "POST", "/t/"+id+"/rate", url.Values{"overall": {"0"}}, origin...); status != http.StatusSeeOther {
			t.Fatalf("second tap: %d", status)
		}
		r, err := db.RatingOf(context.Background(), rating.KindTicket, id)
		if err != nil || r.Overall != 1 || r.Channel != rating.ChannelTicket {
			t.Fatalf("stored %+v %v", r, err)
		}
	})
}

func TestCounterTablet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		base := "/counter/" + itoa(f.c1.ID)
		if status, _, _ := f.do(t, "GET", base+"/rate", nil); status != 401 {
			t.Fatalf("anonymous tablet: %d, want 401", status)
		}
		if status, _, _ := f.do(t, "GET", base+"/rate", nil, "X-Test-Staff", "other"); status != 403 {
			t.Fatalf("another unit's tablet: %d, want 403", status)
		}
		// Staff pair a tablet; the tablet keeps a credential for counter 1.
		pair := f.get(t, base+"/pair", "X-Test-Staff", "clerk")
		i := strings.Index(pair, base+"/tablet?k=")
		if i < 0 {
			t.Fatal("the pairing page has no link")
		}
		link := pair[i:]
		link = link[:strings.IndexAny(link, `"<`)]
		link = strings.ReplaceAll(link, "&amp;", "&")
		req, _ := http.NewRequest("GET", link, nil)
		resp, err := f.app.Test(req, -1)
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("join: %v %v", resp.StatusCode, err)
		}
		var cookie string
		for _, c := range resp.Cookies() {
			if c.Name == "motcua_tablet_"+itoa(f.c1.ID) && c.HttpOnly && c.SameSite == http.SameSiteStrictMode {
				cookie = c.Name + "=" + c.Value
			}
		}
		if cookie == "" {
			t.Fatal("no tablet cookie")
		}
		idle := f.get(t, base+"/rate", "Cookie", cookie)
		if strings.Contains(idle, `name="overall"`) || !strings.Contains(idle, "data-events=") {
			t.Fatal("the idle tablet offers a rating or does not follow the events")
		}
		if status, _, _ := f.do(t, "GET", "/counter/"+itoa(f.c2.ID)+"/rate", nil, "Cookie", strings.Replace(cookie, itoa(f.c1.ID), itoa(f.c2.ID), 1)); status != 401 {
			t.Fatalf("counter 1's credential on counter 2: %d", status)
		}

		id := f.take(t, "land", "")
		f.finish(t, id)
		screen := f.get(t, base+"/rate", "Cookie", cookie)
		if !strings.Contains(screen, `name="ticket" value="`+id+`"`) || !strings.Contains(screen, `value="2"`) {
			t.Fatal("the tablet does not offer the visit just finished")
		}
		origin := []string{"Cookie", cookie, "Origin", "https://motcua.example.vn"}
		status, loc, _ := f.do(t, "POST", base+"/rate", url.Values{"ticket": {id}, "overall": {"0"}}, origin...)
		if status != http.StatusSeeOther || loc != base+"/rate?thanks=1" {
			t.Fatalf("tap: %d %q", status, loc)
		}
		thanks := f.get(t, loc, "Cookie", cookie)
		if !strings.Contains(thanks, `http-equiv="refresh"`) || !strings.Contains(thanks, "Cảm ơn bạn!") {
			t.Fatal("no thanks screen that returns to idle")
		}
		if strings.Contains(f.get(t, base+"/rate", "Cookie", cookie), `name="overall"`) {
			t.Fatal("the tablet offers a rated visit again")
		}
		if status, _, _ := f.do(t, "POST", base+"/rate", url.Values{"ticket": {id}, "overall": {"2"}}, origin...); status != 409 {
			t.Fatalf("second tap: %d, want 409", status)
		}
		r, err := db.RatingOf(context.Background(), rating.KindTicket, id)
		if err != nil || !r.Low || r.Channel != rating.ChannelTablet || r.CounterID != f.c1.ID {
			t.Fatalf("stored %+v %v", r, err)
		}
		var followUps int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM follow_ups`).Scan(&followUps); err != nil || followUps != 1 {
			t.Fatalf("%d follow-ups, want 1 (%v)", followUps, err)
		}
	})
}
