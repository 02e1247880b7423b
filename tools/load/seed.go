package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"motcua/internal/actor"
	"motcua/internal/app"
	"motcua/internal/catalog"
	"motcua/internal/config"
	"motcua/internal/queue"
	"motcua/internal/staff"
	"motcua/internal/store"
	"motcua/internal/unit"
)

// The load's unit, office and applicant: every dossier has the same phone,
// which is what the tracking lookup compares against.
const (
	loadUnit   = "TB"
	loadOffice = "TB-MC"
	loadPhone  = "+84912345678"
	loadAsked  = "0912 345 678" // as a citizen types it
)

// fixture is what the seeding leaves for the load generator.
type fixture struct {
	dossiers     int
	procedures   []string // codes of the catalog
	services     []string // queue services of the office
	kioskSecrets []string // one per kiosk
	counterIDs   []int64
	counterToken string
}

// loadPrefix begins every dossier's code: the i-th is loadPrefix and i in
// seven digits (valid for dossier.ValidCode).
const loadPrefix = "000.00.31.H42-LOAD-"

// dossierCode is the i-th dossier's code.
func dossierCode(i int) string { return fmt.Sprintf(loadPrefix+"%07d", i) }

// openApp opens the store at url the way the portal does (migrations
// included) with the bundled catalog imported.
func openApp(ctx context.Context, url, dataDir string) (*app.App, error) {
	cfg, err := config.FromEnv(func(k string) string {
		switch k {
		case "DATABASE_URL":
			return url
		case "MOTCUA_DATA_DIR":
			return dataDir
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// seed fills a fresh store: the bundled catalog, a unit with its office
// (three services, four counters), the kiosks, a counter token, dossiers
// with their events and ratings, and a day of tickets.
func seed(ctx context.Context, e *app.App, dossiers, kiosks, ticketsToday int, logf func(string, ...any)) (fixture, error) {
	var f fixture
	if _, err := e.Catalog.SeedIfEmpty(ctx); err != nil {
		return f, fmt.Errorf("catalog: %w", err)
	}
	for _, p := range e.Catalog.All() {
		f.procedures = append(f.procedures, p.Code)
	}
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: loadUnit, Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA", AgencyCode: "000.00.31.H42"},
	} {
		if _, err := e.Units.Add(ctx, u); err != nil {
			return f, fmt.Errorf("unit %s: %w", u.Code, err)
		}
	}
	if _, err := e.Queue.CreateOffice(ctx, staff.Operator(), queue.Office{Code: loadOffice, Name: "Bộ phận Một cửa huyện Thăng Bình", UnitCode: loadUnit,
		// Open day and night (holidays still close it): a load run issues
		// numbers whatever the hour it runs at.
		Hours: queue.AlwaysOpen()}); err != nil {
		return f, fmt.Errorf("office: %w", err)
	}
	for i, s := range []queue.Service{
		{Code: "hotich", NameVi: "Hộ tịch – Chứng thực", NameEn: "Civil status – Certification", Prefix: "A", Fields: []string{"Hộ tịch"}},
		{Code: "datdai", NameVi: "Đất đai – Xây dựng", NameEn: "Land – Construction", Prefix: "B", Fields: []string{"Đất đai"}},
		{Code: "kinhdoanh", NameVi: "Kinh doanh – Lĩnh vực khác", NameEn: "Business – Other matters", Prefix: "C", Fields: []string{"Bảo trợ xã hội"}},
	} {
		s.OfficeCode, s.Position = loadOffice, i
		if _, err := e.Queue.CreateService(ctx, staff.Operator(), s); err != nil {
			return f, fmt.Errorf("service %s: %w", s.Code, err)
		}
		f.services = append(f.services, s.Code)
	}
	for n := 1; n <= 4; n++ {
		c, err := e.Queue.CreateCounter(ctx, staff.Operator(), queue.Counter{OfficeCode: loadOffice, Number: n, Name: fmt.Sprintf("Quầy %d", n), Services: f.services})
		if err != nil {
			return f, fmt.Errorf("counter %d: %w", n, err)
		}
		f.counterIDs = append(f.counterIDs, c.ID)
	}
	admin := actor.Actor{Kind: actor.Staff, ID: 1, Name: "load", Role: actor.RoleAdmin}
	for i := 0; i < kiosks; i++ {
		_, secret, err := e.Queue.EnrolKiosk(ctx, admin, loadOffice, fmt.Sprintf("Kiosk %d", i+1))
		if err != nil {
			return f, fmt.Errorf("kiosk: %w", err)
		}
		f.kioskSecrets = append(f.kioskSecrets, secret)
	}
	_, tok, err := e.Staff.CreateToken(ctx, loadUnit, []string{"counter"}, "load counter")
	if err != nil {
		return f, fmt.Errorf("counter token: %w", err)
	}
	f.counterToken = tok
	t0 := time.Now()
	if err := addDossiers(ctx, e.DB, 0, dossiers); err != nil {
		return f, err
	}
	f.dossiers = dossiers
	logf("seed: %d dossiers with their events in %s", dossiers, time.Since(t0).Round(time.Millisecond))
	// A day of tickets, issued as the kiosks issue them, and one in three
	// of them rated.
	if len(f.kioskSecrets) > 0 {
		k, err := e.Queue.KioskActor(ctx, f.kioskSecrets[0])
		if err != nil {
			return f, err
		}
		t0 = time.Now()
		for i := 0; i < ticketsToday; i++ {
			if _, err := e.Queue.Issue(ctx, k, loadOffice, f.services[i%len(f.services)], ""); err != nil {
				return f, fmt.Errorf("ticket: %w", err)
			}
		}
		logf("seed: %d tickets in %s", ticketsToday, time.Since(t0).Round(time.Millisecond))
	}
	return f, nil
}

// addDossiers inserts dossiers from..to-1 with their events and ratings (the store's
// LoadDossiers: a year of receptions, the last month's partly still
// running).
func addDossiers(ctx context.Context, db *store.DB, from, to int) error {
	return db.LoadDossiers(ctx, store.LoadSpec{Unit: loadUnit, Prefix: loadPrefix, Phone: loadPhone, From: from, To: to,
		First: time.Now().UTC().AddDate(-1, 0, 0).Truncate(time.Hour), Events: true, Ratings: true})
}
