package search

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// loadCatalog reads the real catalog when the catalog package ships one, and
// the copy of the sample in testdata otherwise.
func loadCatalog(tb testing.TB) []Doc {
	tb.Helper()
	for _, path := range []string{"../catalog/data/procedures.json", "testdata/procedures.json"} {
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		var recs []struct {
			Code    string `json:"code"`
			Name    string `json:"name"`
			NameEn  string `json:"name_en"`
			Field   string `json:"field"`
			FieldEn string `json:"field_en"`
			Agency  string `json:"agency"`
		}
		if err := json.Unmarshal(b, &recs); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		docs := make([]Doc, len(recs))
		for i, r := range recs {
			docs[i] = Doc(r)
		}
		return docs
	}
	tb.Fatal("no catalog found")
	return nil
}
