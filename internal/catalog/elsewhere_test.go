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
