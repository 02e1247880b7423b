package catalog_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"motcua/internal/catalog"
	"motcua/internal/search"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

var now = func() time.Time { return time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC) }

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := catalog.NewService(db, search.DefaultSynonyms(), now)

		t.Run("one invalid record imports nothing", func(t *testing.T) {
			procs, bad, err := catalog.ParseJSON(strings.NewReader(`[` + strings.Trim(goodJSON, "[]\n ") + `,
				{"code": "1.2", "name": "", "field": "F", "level": "commune", "agency": "A", "processing_days": 1, "online": "none"}]`))
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.Import(ctx, procs, bad, catalog.ImportOptions{})
			var inv *catalog.InvalidFileError
			if !errors.As(err, &inv) || len(inv.Records) != 1 || inv.Records[0].Position != 2 {
				t.Fatalf("err = %v, want one invalid record at 2", err)
			}
			if svc.Count() != 0 {
				t.Errorf("catalog has %d procedures after a refused import, want 0", svc.Count())
			}
			rep, err := svc.Import(ctx, procs, bad, catalog.ImportOptions{SkipInvalid: true})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Created != 1 || len(rep.Skipped) != 1 || svc.Count() != 1 {
				t.Errorf("with skip: %+v, count %d", rep, svc.Count())
			}
		})

		t.Run("the bundled catalog seeds an empty store once", func(t *testing.T) {
			n, err := svc.SeedIfEmpty(ctx)
			if err != nil || n != 0 {
				t.Errorf("seed into a non-empty catalog: %d, %v; want 0, nil", n, err)
			}
			fresh := catalog.NewService(storetest.Open(t, "sqlite"), search.DefaultSynonyms(), now)
			n, err = fresh.SeedIfEmpty(ctx)
			if err != nil || n < 100 {
				t.Fatalf("seed: %d, %v; want the bundled catalog", n, err)
			}
			res, err := fresh.Search(catalog.Query{Q: "khai sinh"})
			if err != nil || res.Total == 0 {
				t.Errorf("search after seed: %+v, %v", res, err)
			}
		})

		t.Run("another instance sees an import after Refresh", func(t *testing.T) {
			other := catalog.NewService(db, search.DefaultSynonyms(), now)
			if err := other.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			p := catalog.Procedure{Code: "9.000001", Name: "Cấp giấy phép thử nghiệm", Field: "Thử", Level: catalog.LevelDistrict,
				Agency: "UBND", ProcessingDays: 3, Online: catalog.OnlineNone}
			if _, err := svc.Import(ctx, []catalog.Procedure{p}, nil, catalog.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := other.Get("9.000001"); err == nil {
				t.Fatal("other instance saw the import before refreshing")
			}
			if err := other.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := other.Get("9.000001"); err != nil {
				t.Errorf("other instance after refresh: %v", err)
			}
		})
	})
}

func TestQueryValidate(t *testing.T) {
	for name, q := range map[string]catalog.Query{
		"over-long query": {Q: strings.Repeat("a", catalog.MaxQueryLen+1)},
		"invalid UTF-8":   {Q: "\xff\xfe"},
		"limit too large": {Limit: catalog.MaxLimit + 1},
		"negative offset": {Offset: -1},
		"unknown level":   {Level: "county"},
		"unknown online":  {Online: "sometimes"},
		"negative limit":  {Limit: -5},
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			if err := q.Validate(); err == nil {
				t.Error("err = nil, want an error")
			}
		})
	}
	q := catalog.Query{Q: "  khai sinh  "}
	if err := q.Validate(); err != nil || q.Limit != catalog.DefaultLimit || q.Q != "khai sinh" {
		t.Errorf("defaults: %+v, %v", q, err)
	}
}
