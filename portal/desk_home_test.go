package main

import (
	"context"
	"strings"
	"testing"

	"motcua/internal/queue"
	"motcua/internal/staff"
)

// The desk's landing page leads each staff member to the counters, display,
// kiosk and summary of the offices of their own unit, and no other.
func TestDeskHomeLinksTheOfficesOfTheStaffUnit(t *testing.T) {
	h := newDeskHarness(t, "sqlite", nil)
	ctx := context.Background()
	for _, o := range []queue.Office{
		{Code: "TB-MC", Name: "Một cửa Thăng Bình", UnitCode: "TB"},
		{Code: "BA-MC", Name: "Một cửa Bình An", UnitCode: "BA"},
	} {
		if _, err := h.s.queue.CreateOffice(ctx, staff.Operator(), o); err != nil {
			t.Fatal(err)
		}
		if _, err := h.s.queue.CreateService(ctx, staff.Operator(), queue.Service{Code: "hotich", OfficeCode: o.Code, NameVi: "Hộ tịch", Prefix: "A"}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.s.queue.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: o.Code, Number: 1, Name: "Quầy 1", Services: []string{"hotich"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		user        string
		see, notSee []string
	}{
		{"clerk", []string{"/display/TB-MC", "/kiosk/TB-MC", "/counter/"}, []string{"BA-MC", "/summary"}},
		{"officer", []string{"/display/TB-MC", "/desk/offices/TB-MC/summary"}, []string{"BA-MC"}},
		{"admin", []string{"/display/TB-MC", "/display/BA-MC", "/desk/offices/BA-MC/summary"}, nil},
	} {
		t.Run(tc.user+" sees the offices of their unit", func(t *testing.T) {
			b := h.browser(t)
			b.login(tc.user)
			resp, body := b.do("GET", "/desk", nil)
			if resp.StatusCode != 200 {
				t.Fatalf("GET /desk = %d", resp.StatusCode)
			}
			for _, s := range tc.see {
				if !strings.Contains(body, s) {
					t.Errorf("desk of %s lacks %q", tc.user, s)
				}
			}
			for _, s := range tc.notSee {
				if strings.Contains(body, s) {
					t.Errorf("desk of %s shows %q", tc.user, s)
				}
			}
		})
	}
}
