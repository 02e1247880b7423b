package scorecard_test

import (
	"context"
	"os"
	"testing"
	"time"

	"motcua/internal/catalog"
	"motcua/internal/scorecard"
	"motcua/internal/search"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
	"motcua/internal/workday"
)

// benchDossiers is the size of the year the benchmark scores.
const benchDossiers = 1_000_000

// BenchmarkCardYearMillionDossiersPostgres scores one unit's year of
// 1,000,000 dossiers on PostgreSQL (the target is under 300 ms). The
// dossiers are made by one INSERT … SELECT over generate_series, spread over
// 2025 across the bundled catalog with every status, channel and flag.
func BenchmarkCardYearMillionDossiersPostgres(b *testing.B) {
	if os.Getenv("MOTCUA_TEST_POSTGRES") == "" {
		b.Skip("MOTCUA_TEST_POSTGRES is not set: the PostgreSQL benchmark does not run")
	}
	ctx := context.Background()
	db := storetest.Open(b, "postgres")
	now := func() time.Time { return time.Date(2026, 1, 15, 3, 0, 0, 0, time.UTC) }
	cat := catalog.NewService(db, search.DefaultSynonyms(), now)
	if _, err := cat.SeedIfEmpty(ctx); err != nil {
		b.Fatal(err)
	}
	units := unit.NewService(db, now)
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
		{Code: "OTHER", Name: "Huyện khác", Level: catalog.LevelDistrict, ParentCode: "QNA"},
	} {
		if _, err := units.Add(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	if err := db.LoadDossiers(ctx, store.LoadSpec{Unit: "TB", Prefix: "BENCH-", Phone: "+84912345678", From: 1, To: benchDossiers + 1,
		First: time.Date(2025, 1, 1, 0, 0, 0, 0, workday.Location())}); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d dossiers in %v", benchDossiers, time.Since(start).Round(time.Millisecond))
	svc, err := scorecard.NewService(db, units, cat, now)
	if err != nil {
		b.Fatal(err)
	}
	p, err := scorecard.ParsePeriod("2025-01-01", "2025-12-31", now())
	if err != nil {
		b.Fatal(err)
	}
	card, err := svc.Card(ctx, "TB", p) // warm the cache once
	if err != nil {
		b.Fatal(err)
	}
	if got := card.Components[0].Indicators[3].Denominator; got < benchDossiers*9/10 {
		b.Fatalf("the year holds %v dossiers, want about %d", got, benchDossiers)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Card(ctx, "TB", p); err != nil {
			b.Fatal(err)
		}
	}
}
