package catalog_test

import (
	"context"
	"testing"

	"motcua/internal/catalog"
	"motcua/internal/search"
	"motcua/internal/store/storetest"
)

// All must list the whole catalog in the order an empty search pages
// through it, beyond the largest page a search may return.
func TestAllListsTheWholeCatalogInSearchOrder(t *testing.T) {
	ctx := context.Background()
	svc := catalog.NewService(storetest.Open(t, "sqlite"), search.DefaultSynonyms(), now)
	if _, err := svc.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	var want []string
	for off := 0; ; off += catalog.MaxLimit {
		res, err := svc.Search(catalog.Query{Limit: catalog.MaxLimit, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Items {
			want = append(want, p.Code)
		}
		if off+catalog.MaxLimit >= res.Total {
			break
		}
	}
	all := svc.All()
	if len(all) != svc.Count() || len(all) <= catalog.MaxLimit {
		t.Fatalf("All() has %d procedures, Count() %d; want the same, above %d", len(all), svc.Count(), catalog.MaxLimit)
	}
	for i, p := range all {
		if p.Code != want[i] {
			t.Fatalf("All()[%d] = %s, want %s (the search order)", i, p.Code, want[i])
		}
	}
}
