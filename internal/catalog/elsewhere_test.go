package catalog_test

import (
	"context"
	"testing"

	"motcua/internal/catalog"
	"motcua/internal/search"
	"motcua/internal/store/storetest"
)

// A query for something another office handles has no items and says
// where to go, whatever the filters; the catalog's own procedures are never
// sent elsewhere.
func TestSearchAnswersWhereToGoForWhatOthersHandle(t *testing.T) {
	ctx := context.Background()
	svc := catalog.NewService(storetest.Open(t, "sqlite"), search.DefaultSynonyms(), now)
	if _, err := svc.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []catalog.Query{
		{Q: "làm hộ chiếu"},
		{Q: "lam ho chieu", Level: catalog.LevelCommune, Limit: 5, Offset: 20},
		{Q: "  HỘ CHIẾU  ", Field: "Hộ tịch"},
	} {
		res, err := svc.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Elsewhere == nil || res.Elsewhere.Key != "passport" || len(res.Items) != 0 || res.Items == nil || res.Total != 0 {
			t.Errorf("Search(%+v) = %d items of %d, elsewhere %+v; want no items and the passport office", q, len(res.Items), res.Total, res.Elsewhere)
		}
	}
	// The bundled catalog lists the identity card (commune police): it is
	// found, not sent elsewhere.
	for _, q := range []string{"làm căn cước", "cccd", "1.014061", "đăng ký khai sinh"} {
		res, err := svc.Search(catalog.Query{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Elsewhere != nil || res.Total == 0 {
			t.Errorf("Search(%q) = %d results, elsewhere %+v; want results from the catalog", q, res.Total, res.Elsewhere)
		}
	}
}

func TestPortalURL(t *testing.T) {
	const page = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"
	search := "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword=1.001193"
	for source, want := range map[string]string{
		page: page,
		"":   search,
		"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/":        search, // no procedure
		"http://dichvucong.gov.vn/thu-tuc-hanh-chinh/abc":      search, // not https
		"https://dichvucong.example/thu-tuc-hanh-chinh/abc":    search,
		"https://dichvucong.gov.vn/p/home/dvc-trang-chu.html":  search,
		"https://csdl.dichvucong.gov.vn/thu-tuc-hanh-chinh/ab": search,
	} {
		p := catalog.Procedure{Code: "1.001193", Source: source}
		if got := p.PortalURL(); got != want {
			t.Errorf("source %q: PortalURL() = %q, want %q", source, got, want)
		}
	}
	if got := (catalog.Procedure{Code: "1.010708.000.00.00.H56"}).PortalURL(); got != "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword=1.010708.000.00.00.H56" {
		t.Errorf("PortalURL() = %q", got)
	}
}
