package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"motcua/internal/catalog"
	"motcua/internal/store/storetest"
)

// The search API keeps its answers, but never past a change of the catalog;
// the gzipped answer and the plain one are the same JSON.
func TestSearchAnswersFollowTheCatalog(t *testing.T) {
	kind := storetest.Kinds(t)[0]
	h := newDeskHarness(t, kind, nil)
	b := h.browser(t)
	ctx := context.Background()
	get := func(headers ...string) (*http.Response, listResponse, string) {
		t.Helper()
		resp, body := b.do("GET", "/api/v1/procedures?q=khai+sinh&limit=50", nil, headers...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET = %d: %s", resp.StatusCode, body)
		}
		if resp.Header.Get("Content-Encoding") == "gzip" {
			plain, err := gunzip(body)
			if err != nil {
				t.Fatal(err)
			}
			body = string(plain)
		}
		var l listResponse
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return resp, l, body
	}
	for range 2 {
		if _, l, _ := get(); l.Total != 0 {
			t.Fatalf("an empty catalog finds %d procedures", l.Total)
		}
	}
	if _, err := h.env.Catalog.Import(ctx, sample(t), nil, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	must(t, h.env.Catalog.Refresh(ctx))
	_, plain, plainBody := get()
	if plain.Total == 0 {
		t.Fatalf("after the import the search still finds nothing: the answer of the old catalog was kept")
	}
	for range 2 {
		resp, zipped, zippedBody := get("Accept-Encoding", "gzip")
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("a large answer was not gzipped for a client that accepts it")
		}
		if zippedBody != plainBody || zipped.Total != plain.Total {
			t.Errorf("gzipped answer differs from the plain one")
		}
	}
	_, en, _ := get("Accept-Language", "en")
	if len(en.Items) == 0 || en.Items[0].Name == plain.Items[0].Name {
		t.Errorf("the English answer is the Vietnamese one kept aside: %q", en.Items[0].Name)
	}
}

// A kept answer varies, as any page, by language and cookie, and by the
// encoding when it has a gzipped form.
func TestSearchAnswerVaries(t *testing.T) {
	kind := storetest.Kinds(t)[0]
	h := newDeskHarness(t, kind, nil)
	ctx := context.Background()
	if _, err := h.env.Catalog.Import(ctx, sample(t), nil, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	must(t, h.env.Catalog.Refresh(ctx))
	b := h.browser(t)
	for range 2 {
		resp, _ := b.do("GET", "/api/v1/procedures?q=giay+phep&limit=50", nil, "Accept-Encoding", "gzip")
		if got, want := resp.Header.Values("Vary"), []string{"Accept-Language, Cookie, Accept-Encoding"}; len(got) != 1 || got[0] != want[0] {
			t.Errorf("Vary = %q, want %q", got, want)
		}
	}
}

// The cache holds at most searchCacheMax answers and searchCacheBytes.
func TestSearchCacheIsBounded(t *testing.T) {
	sc := newSearchCache()
	big := &searchAnswer{body: make([]byte, 60<<10)}
	for i := range 4 * searchCacheMax {
		sc.put(1, searchKey{q: itoa(i)}, big)
		if len(sc.answers) > searchCacheMax || sc.bytes > searchCacheBytes {
			t.Fatalf("after %d answers the cache holds %d answers, %d bytes", i+1, len(sc.answers), sc.bytes)
		}
	}
	if sc.get(1, searchKey{q: itoa(4*searchCacheMax - 1)}) == nil {
		t.Errorf("the last answer kept is not found")
	}
	if sc.get(2, searchKey{q: itoa(4*searchCacheMax - 1)}) != nil {
		t.Errorf("an answer of catalog version 1 was given for version 2")
	}
}
