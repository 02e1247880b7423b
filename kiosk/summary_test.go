package kiosk

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSummaryShowsTheDay(t *testing.T) {
	f := sqliteFixture(t)
	first := f.take(t, "land", "")
	second := f.take(t, "land", "")
	f.clock.Add(6 * time.Minute)
	f.act(t, "clerk", f.c1, "next", nil)
	f.clock.Add(4 * time.Minute)
	f.act(t, "clerk", f.c1, "done", url.Values{"ticket": {first}})
	f.act(t, "clerk", f.c1, "next", nil)
	f.act(t, "clerk", f.c1, "skip", url.Values{"ticket": {second}, "confirm": {"1"}})

	page := f.get(t, "/desk/offices/TB1/summary", "X-Test-Staff", "officer")
	for _, want := range []string{
		"04/05/2026: 2 số đã cấp, 1 lượt đã phục vụ, 1 lượt vắng mặt.",
		`<th scope="row">A · Đất đai</th><td class="s-num">2</td><td class="s-num">1</td><td class="s-num">1</td><td class="s-num">0</td><td class="s-num">8 phút 0 giây</td><td class="s-num">10 phút 0 giây</td>`,
		`<th scope="row">Quầy 1</th><td class="s-num">1</td><td class="s-num">1</td><td class="s-num">4 phút 0 giây</td>`,
		`<td>09:00–10:00</td><td class="s-num">2</td>`,
		`<svg class="s-chart"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("summary lacks %s", want)
		}
	}
	// Another day has nothing.
	if other := f.get(t, "/desk/offices/TB1/summary?day=2026-05-01", "X-Test-Staff", "officer"); !strings.Contains(other, "Ngày này chưa cấp số nào.") {
		t.Errorf("summary of an empty day does not say so")
	}
}

func TestSummaryRefusesBadInput(t *testing.T) {
	f := sqliteFixture(t)
	for _, tc := range []struct {
		name, path, who string
		want            int
	}{
		{"signed out is 401", "/desk/offices/TB1/summary", "", 401},
		{"a clerk is 403", "/desk/offices/TB1/summary", "clerk", 403},
		{"the head of another unit is 403", "/desk/offices/TB1/summary", "otherhead", 403},
		{"an unknown office is 404", "/desk/offices/NOPE/summary", "officer", 404},
		{"a junk day is 422", "/desk/offices/TB1/summary?day=yesterday", "officer", 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.who != "" {
				h = []string{"X-Test-Staff", tc.who}
			}
			if status, _, body := f.do(t, http.MethodGet, tc.path, nil, h...); status != tc.want {
				t.Errorf("GET %s = %d, want %d\n%s", tc.path, status, tc.want, body)
			}
		})
	}
}
