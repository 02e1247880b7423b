package kiosk

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/internal/staff"
)

func TestDisplayShowsCountersCallsAndQueues(t *testing.T) {
	f := sqliteFixture(t)
	page := f.get(t, "/display/TB1")
	for _, want := range []string{"Quầy 1", "Quầy 2", "Sẵn sàng", "Hôm nay chưa gọi số nào.",
		`data-events="/api/v1/offices/TB1/events"`, `data-say="Mời số {number} đến quầy số {counter}"`,
		`<noscript><meta http-equiv="refresh" content="10"></noscript>`, "/static/display."} {
		if !strings.Contains(page, want) {
			t.Errorf("empty display lacks %q", want)
		}
	}
	f.take(t, "land", "")
	f.take(t, "civil", "")
	f.act(t, "clerk", f.c2, "next", nil)
	page = f.get(t, "/display/TB1")
	for _, want := range []string{
		`<li data-counter="` + itoa(f.c2.ID) + `" class="d-fresh">`, `<span class="d-now">A001</span>`,
		`<span class="d-num">A001</span><span>→ Quầy 2</span>`, `<td class="d-count">1</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("display after a call lacks %q", want)
		}
	}
	// Later the call is no longer fresh, but still served there.
	f.clock.Add(time.Minute)
	page = f.get(t, "/display/TB1")
	if strings.Contains(page, "d-fresh") || !strings.Contains(page, `<span class="d-now">A001</span>`) {
		t.Errorf("a minute later the call should be shown without the highlight")
	}
	// The hall is Vietnamese whatever the device asks for.
	if en := f.get(t, "/display/TB1?lang=en"); strings.Contains(en, "Now serving") || !strings.Contains(en, "Đang phục vụ") ||
		!strings.Contains(en, "Mời số {number}") {
		t.Errorf("a display asking for English: want it Vietnamese, labels and call-out")
	}
}

func TestPhonePageFollowsTheTicket(t *testing.T) {
	f := sqliteFixture(t)
	f.take(t, "land", "")
	id := f.take(t, "land", "")
	page := f.get(t, "/t/"+id)
	for _, want := range []string{`<strong class="t-number" id="t-number">A002</strong>`, "Đang chờ đến lượt", "1 người",
		`data-events="/api/v1/offices/TB1/events"`, `<noscript><meta http-equiv="refresh" content="20"></noscript>`, `aria-live="polite"`} {
		if !strings.Contains(page, want) {
			t.Errorf("phone page lacks %q", want)
		}
	}
	if strings.Contains(page, "t.me/") {
		t.Error("the page offers Telegram while no bot ever ran")
	}
	// Where to go: the office's hours, then, once it has them, its address
	// and a phone that dials.
	if !strings.Contains(page, "Thứ Hai – Thứ Sáu: 07:00-11:30, 13:30-17:00") {
		t.Error("the phone page lacks the office's hours")
	}
	o := f.office
	o.Address, o.Phone = "Số 1 Tiểu La, thị trấn Hà Lam", "0235 3874 123"
	if _, err := f.q.UpdateOffice(context.Background(), staff.Operator(), o); err != nil {
		t.Fatal(err)
	}
	page = f.get(t, "/t/"+id)
	for _, want := range []string{"Số 1 Tiểu La, thị trấn Hà Lam", `href="tel:02353874123"`, "openstreetmap.org/search?query="} {
		if !strings.Contains(page, want) {
			t.Errorf("phone page lacks %q", want)
		}
	}
	// Once the bot has recorded its username, the page offers to follow
	// the number in Telegram with a deep link naming the ticket.
	if err := f.db.SetBotMeta(context.Background(), "username", "motcua_bot", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if page := f.get(t, "/t/"+id); !strings.Contains(page, `href="https://t.me/motcua_bot?start=t_`+id+`"`) {
		t.Error("the phone page lacks the Telegram deep link")
	}
	if status, _, _ := f.do(t, http.MethodGet, "/t/"+strings.ToUpper(id), nil); status != http.StatusOK {
		t.Errorf("phone page with an upper-case ID = %d, want 200 (IDs are case-insensitive)", status)
	}
}

func TestQRCodeIsWellFormedSVG(t *testing.T) {
	svg, err := qrSVG("https://motcua.example.vn/t/abc", `số "A001" <b>`)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name
		ViewBox string `xml:"viewBox,attr"`
		Label   string `xml:"aria-label,attr"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("QR SVG is not well-formed: %v", err)
	}
	if doc.XMLName.Local != "svg" || doc.Label != `số "A001" <b>` || !strings.HasPrefix(doc.ViewBox, "0 0 ") {
		t.Errorf("svg = %+v", doc)
	}
	if n := strings.Count(doc.Path.D, "M"); n < 50 {
		t.Errorf("QR path has %d runs, want a real code", n)
	}
}

func TestBarChart(t *testing.T) {
	if got := barChart("x", nil, []string{"s-bar"}, func(float64) string { return "" }); got != "" {
		t.Errorf("chart of nothing = %q, want empty", got)
	}
	svg := string(barChart("Chờ <phút>", []barRow{{"A · Đất đai", []float64{5, 10}}, {"B", []float64{0, 20}}},
		[]string{"s-bar", "s-bar-long"}, func(v float64) string { return strings.Repeat("|", int(v)/5) }))
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("chart is not well-formed: %v\n%s", err, svg)
	}
	// The longest value takes the whole span; half of it half.
	for _, want := range []string{`width="350.0"`, `width="175.0"`, `width="87.5"`, `aria-label="Chờ &lt;phút&gt;"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %s\n%s", want, svg)
		}
	}
}
