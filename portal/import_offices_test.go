package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"motcua/internal/store/storetest"
)

const officesFile = `{"offices": [
 {"code": "TB-MC", "unit": "TB", "name": "Bộ phận Một cửa huyện Thăng Bình",
  "address": "268 Tiểu La, thị trấn Hà Lam, Thăng Bình, Quảng Nam", "phone": "0235 3874 123",
  "hours": {"mon": ["07:00-11:30", "13:30-17:00"], "tue": ["07:00-11:30", "13:30-17:00"],
            "wed": ["07:00-11:30", "13:30-17:00"], "thu": ["07:00-11:30", "13:30-17:00"],
            "fri": ["07:00-11:30", "13:30-17:00"], "sat": ["07:30-11:00"], "sun": []},
  "last_ticket_minutes": 20,
  "services": [{"code": "A", "name": "Hộ tịch – Chứng thực", "prefix": "A", "fields": ["Hộ tịch", "Chứng thực"]},
               {"code": "B", "name": "Đất đai", "prefix": "B", "fields": ["Đất đai"]}],
  "counters": [{"number": 1, "name": "Quầy 1", "services": ["A"]}, {"number": 2, "name": "Quầy 2", "services": ["A", "B"]}]},
 {"code": "BA-MC", "unit": "BA", "name": "Một cửa xã Bình An", "hours": {}, "services": [], "counters": []}
]}`

const badOfficesFile = `{"offices": [
 {"code": "", "unit": "TB", "name": "Thiếu mã",
  "hours": {"mon": ["07:00-11:30", "7h-17h"], "fri": ["13:30-17:00", "07:00-11:30"]},
  "services": [{"code": "A", "name": "Hộ tịch", "prefix": "A", "fields": ["Hộ tịch", "Không có lĩnh vực này"]},
               {"code": "B", "name": "Đất đai", "prefix": "A", "fields": ["Hộ tịch"]}],
  "counters": [{"number": 1, "name": "Quầy 1", "services": ["Z"]}]},
 {"code": "OK-MC", "unit": "NOPE", "name": "Đơn vị không có"}
]}`

// TestImportOfficesFile: `portal import` provisions offices with their
// services, counters, address, phone and hours; importing again updates the
// same offices; a bad file reports every bad entry by its path and imports
// nothing; a running portal serves the imported offices at once.
func TestImportOfficesFile(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			vars := map[string]string{"DATABASE_URL": storetest.URL(t, kind), "MOTCUA_DATA_DIR": dir}
			for _, args := range [][]string{
				{"unit", "add", "-code", "QNA", "-name", "Tỉnh Quảng Nam", "-level", "province"},
				{"unit", "add", "-code", "TB", "-name", "Huyện Thăng Bình", "-level", "district", "-parent", "QNA",
					"-address", "Hà Lam, Thăng Bình", "-phone", "0235 3874 000"},
				{"unit", "add", "-code", "BA", "-name", "Xã Bình An", "-level", "commune", "-parent", "TB"},
			} {
				if r := runCmd(t, vars, "", args...); r.status != 0 {
					t.Fatalf("%v: %+v", args, r)
				}
			}
			base := startPortal(t, kind, vars) // running while the file is imported
			good, bad := filepath.Join(dir, "offices.json"), filepath.Join(dir, "bad.json")
			must(t, os.WriteFile(good, []byte(officesFile), 0o600))
			must(t, os.WriteFile(bad, []byte(badOfficesFile), 0o600))

			r := importCmd(t, vars, bad)
			if r.status != 1 || !strings.Contains(r.stderr, "nothing imported") {
				t.Fatalf("bad file: got %+v, want exit 1 with nothing imported", r)
			}
			for _, path := range []string{"offices[0].code", "offices[0].hours.mon[1]", "offices[0].hours.fri[1]",
				"offices[0].services[0].fields[1]", "offices[0].services[1].prefix", "offices[0].services[1].fields[0]",
				"offices[0].counters[0].services[0]", "offices[1].unit"} {
				if !strings.Contains(r.stderr, path+": ") {
					t.Errorf("bad file: no error reported at %s\n%s", path, r.stderr)
				}
			}
			if !strings.Contains(r.stderr, "offices[0].code: This field is required.") {
				t.Errorf("an empty code should be required, not a format error\n%s", r.stderr)
			}
			if _, body := fetch(t, base, "/api/v1/offices"); !strings.Contains(body, `"items":[]`) {
				t.Fatalf("a bad file imported something: %s", body)
			}

			for i, want := range []string{"offices: 2 created, 0 updated", "offices: 0 created, 2 updated"} {
				r := importCmd(t, vars, good)
				if r.status != 0 || !strings.Contains(r.stdout, want) {
					t.Fatalf("import %d: got %+v, want %q", i+1, r, want)
				}
				if !strings.Contains(r.stderr, "office BA-MC has no opening hours") {
					t.Errorf("import %d: the office without hours is not pointed out: %s", i+1, r.stderr)
				}
			}
			// The running portal reads offices from the store: no restart.
			_, body := fetch(t, base, "/api/v1/offices")
			var got struct {
				Items []struct {
					Code, Address, Phone string
					Hours                map[string][]string
					LastTicketMinutes    int `json:"last_ticket_minutes"`
					Services             []struct{ Code, Prefix string }
					Counters             []struct{ Number int }
				}
			}
			must(t, json.Unmarshal([]byte(body), &got))
			if len(got.Items) != 2 {
				t.Fatalf("offices after two imports: %s", body)
			}
			tb := got.Items[1]
			if tb.Code != "TB-MC" || tb.Phone != "0235 3874 123" || !strings.Contains(tb.Address, "Tiểu La") ||
				tb.LastTicketMinutes != 20 || strings.Join(tb.Hours["sat"], ",") != "07:30-11:00" || len(tb.Hours["sun"]) != 0 ||
				len(tb.Services) != 2 || len(tb.Counters) != 2 {
				t.Errorf("TB-MC as served: %+v", tb)
			}
			if ba := got.Items[0]; len(ba.Hours["mon"]) != 0 {
				t.Errorf("BA-MC has hours it was not given: %+v", ba)
			}
		})
	}
}

// importCmd runs `portal import FILE` and keeps all it wrote on stderr
// (the reason line and the bad entries before it).
func importCmd(t *testing.T, vars map[string]string, file string) cmdResult {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runWithInput(context.Background(), []string{"import", file}, func(k string) string { return vars[k] },
		strings.NewReader(""), &out, &errOut)
	status := exitCode(err, &errOut)
	return cmdResult{status: status, stdout: out.String(), stderr: errOut.String()}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
