package catalog

import (
	"bytes"
	"os"
	"testing"
	"unicode/utf8"
)

// checkParsed holds for every import, whatever the file: each bad record is
// named by a position inside the file and by at least one field, and a
// procedure that no record error names passes Validate.
func checkParsed(t *testing.T, procs []Procedure, bad []RecordError, records int) {
	t.Helper()
	named := map[int]bool{}
	for _, e := range bad {
		if e.Position < 1 || (records >= 0 && e.Position > records) || len(e.Fields) == 0 {
			t.Fatalf("record error %+v out of the file's %d records or without a field", e, records)
		}
		for _, f := range e.Fields {
			if f.Field == "" || f.MessageID == "" {
				t.Fatalf("record error %+v has an unnamed field", e)
			}
		}
		named[e.Position] = true
	}
	if len(bad) == 0 {
		for i := range procs {
			if errs := procs[i].Validate(); len(errs) > 0 {
				t.Fatalf("procedure %q accepted with %v", procs[i].Code, errs)
			}
			if !utf8.ValidString(procs[i].Name) {
				t.Fatalf("procedure %q accepted with a name that is not UTF-8", procs[i].Code)
			}
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	if sample, err := os.ReadFile("data/procedures.json"); err == nil && len(sample) < 1<<20 {
		f.Add(sample)
	}
	for _, s := range []string{`[]`, `{}`, `null`, `[{"code": 1}]`, `[{"code":"1.001193","name":"x","extra":true}]`,
		`[{"code":"A","name":"Khai sinh","field":"Hộ tịch","level":"district","agency":"UBND","processing_days":3,"online":"full"}]`,
		"[\"\xff\"]", `[{"processing_days": -1}]`, `[{"documents": [{"name": null}]}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		procs, bad, err := ParseJSON(bytes.NewReader(data))
		if err != nil {
			if procs != nil || bad != nil {
				t.Fatalf("an error with results: %v", err)
			}
			return
		}
		checkParsed(t, procs, bad, -1)
	})
}

func FuzzParseCSV(f *testing.F) {
	header := "code,name,field,level,agency,processing_days,online\n"
	for _, s := range []string{header, header + "1.1,Khai sinh,Hộ tịch,district,UBND,3,full\n", header + "1.1,\"a\nb\",x,commune,y,-3,none\n",
		"code\n", "", "\xff\xfe", header + "1.1,a,b,c,d,e,f,g,h\n", "name,code\n\"unterminated"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		procs, bad, err := ParseCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkParsed(t, procs, bad, -1)
	})
}
