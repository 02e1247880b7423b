package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

// sameResultQueries are asked of a portal on each store after the same
// import; the answers must not depend on the store.
var sameResultQueries = []string{
	"q=" + url.QueryEscape("đăng ký khai sinh"),
	"q=dang+ky+khai+sinh",
	"q=" + url.QueryEscape("sổ đỏ"),
	"q=so+do",
	"q=bao+tu",
	"q=xay+nha",
	"q=ket+hon",
	"q=tam+tru",
	"q=chung+thuc+ban+sao",
	"q=" + url.QueryEscape("dang ky ket hom"), // a typo
	"q=1.001193",
	"q=birth+registration",
	"q=giay+phep&level=district",
	"q=ho+kinh+doanh&online=partial",
	"field=" + url.QueryEscape("Hộ tịch"),
	"level=commune&online=full",
	"online=none",
	"",
}

// TestImportGivesSameSearchOnEveryStore imports the sample file with
// `portal import` into an empty database of each kind, twice (the second
// time must change nothing), starts the portal on it and compares the
// answers to the same queries.
func TestImportGivesSameSearchOnEveryStore(t *testing.T) {
	want := len(sample(t))
	answers := map[string][]string{}
	kinds := storetest.Kinds(t)
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			dbURL := storetest.URL(t, kind)
			env := map[string]string{"DATABASE_URL": dbURL, "MOTCUA_DATA_DIR": t.TempDir()}
			getenv := func(k string) string { return env[k] }
			for i := range 2 {
				var stdout, stderr bytes.Buffer
				if err := run(context.Background(), []string{"import", "testdata/procedures.sample.json"}, getenv, &stdout, &stderr); err != nil {
					t.Fatalf("import %d: %v\n%s", i+1, err, stderr.String())
				}
				t.Logf("import %d: %s", i+1, strings.TrimSpace(stdout.String()))
			}
			base := startPortal(t, kind, env)
			_, all := fetchJSON[listResponse](t, base, "/api/v1/procedures?limit=1")
			if all.Total != want {
				t.Fatalf("after importing %d procedures twice the catalog holds %d", want, all.Total)
			}
			for _, q := range sameResultQueries {
				_, got := fetchJSON[listResponse](t, base, "/api/v1/procedures?limit=100&"+q)
				if q != "" && strings.HasPrefix(q, "q=") && got.Total == 0 {
					t.Errorf("%s finds nothing", q)
				}
				answers[kind+" "+q] = append(got.codes(), "total="+itoa(got.Total))
			}
		})
	}
	if len(kinds) < 2 {
		t.Skip("only SQLite is available: set MOTCUA_TEST_POSTGRES to compare with PostgreSQL")
	}
	for _, q := range sameResultQueries {
		a, b := answers["sqlite "+q], answers["postgres "+q]
		if strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("%q: SQLite gives %v, PostgreSQL %v", q, a, b)
		}
	}
}
