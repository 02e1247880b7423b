package catalog_test

import (
	"strings"
	"testing"

	"motcua/internal/catalog"
)

const goodJSON = `[
 {"code": "1.001193", "name": "Đăng ký khai sinh", "name_en": "Birth registration", "field": "Hộ tịch",
  "field_en": "Civil status", "level": "commune", "agency": "UBND cấp xã", "processing_days": 1,
  "processing_note": "", "fee": "Miễn lệ phí", "online": "full", "documents": ["Tờ khai"],
  "legal_basis": ["Luật Hộ tịch 2014"], "verified": true, "source": "https://example.invalid"}
]`

func TestParseJSONAcceptsTheSampleFormat(t *testing.T) {
	procs, bad, err := catalog.ParseJSON(strings.NewReader(goodJSON))
	if err != nil || len(bad) != 0 {
		t.Fatalf("err = %v, bad = %v", err, bad)
	}
	if len(procs) != 1 || procs[0].Code != "1.001193" || procs[0].Online != catalog.OnlineFull || procs[0].Documents[0] != "Tờ khai" {
		t.Errorf("parsed %+v", procs)
	}
}

func TestParseJSONReportsEveryBadRecordByPositionAndField(t *testing.T) {
	in := `[
	 {"code": "1.000001", "name": "Tốt", "field": "F", "level": "commune", "agency": "A", "processing_days": 1, "online": "none"},
	 {"code": "", "name": "", "field": "F", "level": "county", "agency": "A", "processing_days": -1, "online": "maybe"},
	 {"code": "1.000003", "name": "X", "field": "F", "level": "commune", "agency": "A", "processing_days": "five", "online": "none"},
	 {"code": "1.000004", "nmae": "typo", "field": "F", "level": "commune", "agency": "A", "processing_days": 1, "online": "none"},
	 {"code": "1.000001", "name": "Trùng", "field": "F", "level": "commune", "agency": "A", "processing_days": 1, "online": "none"},
	 42
	]`
	_, bad, err := catalog.ParseJSON(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int][]string{}
	for _, b := range bad {
		for _, f := range b.Fields {
			got[b.Position] = append(got[b.Position], f.Field+":"+f.MessageID)
		}
	}
	want := map[int][]string{
		2: {"code:error.field.required", "name:error.field.required", "level:error.field.level", "online:error.field.online", "processing_days:error.field.range"},
		3: {"processing_days:error.import.type"},
		4: {"nmae:error.import.unknown_field"},
		5: {"code:error.import.duplicate"},
		6: {"record:error.import.not_object"},
	}
	for pos, fields := range want {
		if strings.Join(got[pos], " ") != strings.Join(fields, " ") {
			t.Errorf("record %d: got %v, want %v", pos, got[pos], fields)
		}
	}
	if _, ok := got[1]; ok {
		t.Errorf("record 1 is valid but reported: %v", got[1])
	}
}

func TestParseJSONRejectsANonArray(t *testing.T) {
	for _, in := range []string{`{"code": "x"}`, `not json`, ``, "[\xff]"} {
		if _, _, err := catalog.ParseJSON(strings.NewReader(in)); err == nil {
			t.Errorf("ParseJSON(%q): err = nil, want an error", in)
		}
	}
}

func TestParseCSV(t *testing.T) {
	in := "\ufeffcode,name,name_en,field,level,agency,processing_days,online,documents,verified\n" +
		"1.001193,Đăng ký khai sinh,Birth registration,Hộ tịch,commune,UBND cấp xã,1,full,\"Tờ khai\nGiấy chứng sinh\",true\n" +
		"1.000894,Đăng ký kết hôn,,Hộ tịch,commune,UBND cấp xã,1,partial,Tờ khai | CCCD,có\n" +
		"1.000656,Đăng ký khai tử,,Hộ tịch,commune,UBND cấp xã,một,none,,maybe\n"
	procs, bad, err := catalog.ParseCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(procs) != 3 {
		t.Fatalf("read %d records, want 3", len(procs))
	}
	if got := procs[0].Documents; len(got) != 2 || got[1] != "Giấy chứng sinh" {
		t.Errorf("newline list = %q", got)
	}
	if got := procs[1].Documents; len(got) != 2 || got[1] != "CCCD" || !procs[1].Verified {
		t.Errorf("pipe list = %q, verified = %v", got, procs[1].Verified)
	}
	// The first record's quoted list spans two lines, so the bad one starts on line 5.
	if len(bad) != 1 || bad[0].Position != 5 || len(bad[0].Fields) != 2 {
		t.Fatalf("bad = %+v, want line 5 with processing_days and verified", bad)
	}
}

func TestParseCSVRejectsABadHeader(t *testing.T) {
	for name, in := range map[string]string{
		"unknown column": "code,name,colour\n",
		"missing column": "code,name\n",
		"empty file":     "",
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := catalog.ParseCSV(strings.NewReader(in)); err == nil {
				t.Error("err = nil, want an error")
			}
		})
	}
}

func TestImportFormats(t *testing.T) {
	t.Run("JSON", func(t *testing.T) {
		in := `[{"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune", "agency": "A",
		  "processing_days": 1, "online": "full", "steps": ["Nộp hồ sơ", "Nhận kết quả"],
		  "forms": [{"name": " Tờ khai đăng ký khai sinh ", "url": "https://example.invalid/tk.docx"},
		            {"name": "Giấy cam đoan", "file": "cam-doan.pdf"}]}]`
		procs, bad, err := catalog.ParseJSON(strings.NewReader(in))
		if err != nil || len(bad) != 0 {
			t.Fatalf("err = %v, bad = %+v", err, bad)
		}
		want := []catalog.Form{{Name: "Tờ khai đăng ký khai sinh", URL: "https://example.invalid/tk.docx"}, {Name: "Giấy cam đoan", File: "cam-doan.pdf"}}
		if got := procs[0].Forms; len(got) != 2 || got[0] != want[0] || got[1] != want[1] || len(procs[0].Steps) != 2 {
			t.Errorf("forms = %+v, steps = %q", got, procs[0].Steps)
		}
	})
	t.Run("CSV", func(t *testing.T) {
		in := "code,name,field,level,agency,processing_days,online,steps,forms\n" +
			"1.001193,Đăng ký khai sinh,Hộ tịch,commune,A,1,full,Nộp | Nhận,\"Tờ khai <https://example.invalid/tk.docx>\nGiấy cam đoan (mẫu) <cam-doan.pdf>\"\n" +
			"1.000894,Đăng ký kết hôn,Hộ tịch,commune,A,1,full,,\n"
		procs, bad, err := catalog.ParseCSV(strings.NewReader(in))
		if err != nil || len(bad) != 0 {
			t.Fatalf("err = %v, bad = %+v", err, bad)
		}
		want := []catalog.Form{{Name: "Tờ khai", URL: "https://example.invalid/tk.docx"}, {Name: "Giấy cam đoan (mẫu)", File: "cam-doan.pdf"}}
		if got := procs[0].Forms; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("forms = %+v, want %+v", got, want)
		}
		if len(procs[0].Steps) != 2 || len(procs[1].Forms) != 0 {
			t.Errorf("steps = %q, second forms = %+v", procs[0].Steps, procs[1].Forms)
		}
	})
}

func TestBadFormsAreReportedByField(t *testing.T) {
	in := `[{"code": "1.000001", "name": "X", "field": "F", "level": "commune", "agency": "A", "processing_days": 1, "online": "none",
	  "forms": [{"name": "", "url": "https://example.invalid/a"},
	            {"name": "Không có nơi lấy"},
	            {"name": "Cả hai", "url": "https://example.invalid/b", "file": "b.pdf"},
	            {"name": "Liên kết hỏng", "url": "javascript:alert(1)"},
	            {"name": "Đường dẫn", "file": "../../etc/passwd"}]},
	 {"code": "1.000002", "name": "Y", "field": "F", "level": "commune", "agency": "A", "processing_days": 1, "online": "none",
	  "forms": [{"name": "Z", "link": "https://example.invalid"}]}]`
	_, bad, err := catalog.ParseJSON(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range bad {
		for _, f := range b.Fields {
			got = append(got, f.Field+":"+f.MessageID)
		}
	}
	want := "forms[0].name:error.field.required forms[1]:error.field.form_target forms[2]:error.field.form_target " +
		"forms[3].url:error.field.url forms[4].file:error.field.file_name link:error.import.unknown_field"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}

	csv := "code,name,field,level,agency,processing_days,online,forms\n1.000001,X,F,commune,A,1,none,Tờ khai không nơi lấy\n"
	_, bad, err = catalog.ParseCSV(strings.NewReader(csv))
	if err != nil || len(bad) != 1 || bad[0].Fields[0].Field != "forms[0]" || bad[0].Fields[0].MessageID != "error.import.form" {
		t.Errorf("CSV form without a target: err = %v, bad = %+v", err, bad)
	}
}
