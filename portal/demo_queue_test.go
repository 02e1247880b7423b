package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"motcua/internal/catalog"
	"motcua/internal/demo"
	"motcua/internal/store/storetest"
	"motcua/internal/unit"
)

func TestDemoQueueTwiceChangesNothing(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	ctx := context.Background()
	e, err := open(ctx, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, u := range []unit.Unit{
		{Code: "QNA", Name: "Tỉnh Quảng Nam", Level: catalog.LevelProvince},
		{Code: "TB", Name: "Huyện Thăng Bình", Level: catalog.LevelDistrict, ParentCode: "QNA"},
	} {
		if _, err := e.Units.Add(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var first, second bytes.Buffer
	if err := demo.Queue(ctx, e, &first); err != nil {
		t.Fatal(err)
	}
	if err := demo.Queue(ctx, e, &second); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if !strings.Contains(first.String(), demo.Office) || second.Len() != 0 {
		t.Errorf("output: first %q, second %q; want the office once", first.String(), second.String())
	}
	l, err := e.Queue.Layout(ctx, demo.Office)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Services) != 3 || len(l.Counters) != 4 {
		t.Errorf("demo office: %d services, %d counters; want 3 and 4", len(l.Services), len(l.Counters))
	}
}
