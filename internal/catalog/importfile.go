package catalog

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"motcua/internal/apperr"
)

// RecordError is every problem with one record of an import file. Position
// is the record's number in a JSON array, or its line in a CSV file.
type RecordError struct {
	Position int
	Code     string
	Fields   []apperr.FieldError
}

// Columns are the import format's fields, in the order CSV files use.
var Columns = []string{"code", "name", "name_en", "field", "field_en", "level", "agency", "processing_days",
	"processing_note", "fee", "online", "documents", "legal_basis", "steps", "forms", "verified", "source"}

// MaxImportBytes bounds an import file; the whole national catalog is far
// smaller.
const MaxImportBytes = 64 << 20

// ParseJSON reads a JSON array of procedures in the format of
// procedures.sample.json. Each record is checked on its own so that every bad
// one is reported, not just the first; unknown fields are refused, since they
// are usually misspelt known ones.
func ParseJSON(r io.Reader) ([]Procedure, []RecordError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, nil, fmt.Errorf("file is larger than %d MiB", MaxImportBytes>>20)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, fmt.Errorf("not a JSON array of procedures: %w", err)
	}
	procs := make([]Procedure, 0, len(raw))
	var positions []int
	var bad []RecordError
	for i, rec := range raw {
		var p Procedure
		dec := json.NewDecoder(bytes.NewReader(rec))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			bad = append(bad, RecordError{Position: i + 1, Code: peekCode(rec), Fields: []apperr.FieldError{jsonFieldError(err)}})
			continue
		}
		errs := check(&p)
		procs = append(procs, p)
		positions = append(positions, i+1)
		if len(errs) > 0 {
			bad = append(bad, RecordError{Position: i + 1, Code: p.Code, Fields: errs})
		}
	}
	return procs, dedupe(procs, bad, func(i int) int { return positions[i] }), nil
}

func peekCode(rec json.RawMessage) string {
	var c struct {
		Code any `json:"code"`
	}
	_ = json.Unmarshal(rec, &c)
	if s, ok := c.Code.(string); ok {
		return s
	}
	return ""
}

func jsonFieldError(err error) apperr.FieldError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return apperr.FieldError{Field: te.Field, MessageID: "error.import.type", Params: map[string]any{"Want": te.Type.String()}}
	}
	msg := err.Error()
	if i := strings.Index(msg, "unknown field "); i >= 0 {
		name := strings.Trim(msg[i+len("unknown field "):], `"`)
		if name == "" {
			name = `""` // a member with an empty name still needs a name in the report
		}
		return apperr.FieldError{Field: name, MessageID: "error.import.unknown_field"}
	}
	return apperr.FieldError{Field: "record", MessageID: "error.import.not_object"}
}

// ParseCSV reads procedures from CSV with a header row naming the columns of
// the JSON format (any order; code, name, field, level, agency,
// processing_days and online are required). A list cell holds one item per
// line, or items separated by " | ". A form is its name followed by its link
// or file name in angle brackets: "Tờ khai đăng ký khai sinh
// <https://…/to-khai.docx>" or "Tờ khai đăng ký khai sinh <TK-01.docx>".
func ParseCSV(r io.Reader) ([]Procedure, []RecordError, error) {
	cr := csv.NewReader(io.LimitReader(r, MaxImportBytes))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !isColumn(h) {
			return nil, nil, fmt.Errorf("CSV header: unknown column %q (want %s)", h, strings.Join(Columns, ", "))
		}
		col[h] = i
	}
	for _, need := range []string{"code", "name", "field", "level", "agency", "processing_days", "online"} {
		if _, ok := col[need]; !ok {
			return nil, nil, fmt.Errorf("CSV header: missing column %q", need)
		}
	}
	var procs []Procedure
	var lines []int
	var bad []RecordError
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		p := Procedure{Code: get("code"), Name: get("name"), NameEn: get("name_en"), Field: get("field"),
			FieldEn: get("field_en"), Level: Level(get("level")), Agency: get("agency"),
			ProcessingNote: get("processing_note"), Fee: get("fee"), Online: Online(get("online")),
			Documents: splitList(get("documents")), LegalBasis: splitList(get("legal_basis")),
			Steps: splitList(get("steps")), Source: get("source")}
		var errs []apperr.FieldError
		p.Forms, errs = splitForms(get("forms"))
		if len(rec) != len(header) {
			errs = append(errs, apperr.FieldError{Field: "record", MessageID: "error.import.columns", Params: map[string]any{"Got": len(rec), "Want": len(header)}})
		}
		if d, err := strconv.Atoi(strings.TrimSpace(get("processing_days"))); err == nil {
			p.ProcessingDays = d
		} else {
			errs = append(errs, apperr.FieldError{Field: "processing_days", MessageID: "error.import.type", Params: map[string]any{"Want": "int"}})
		}
		if v, ok := parseBool(get("verified")); ok {
			p.Verified = v
		} else {
			errs = append(errs, apperr.FieldError{Field: "verified", MessageID: "error.import.type", Params: map[string]any{"Want": "bool"}})
		}
		errs = append(errs, check(&p)...)
		procs = append(procs, p)
		lines = append(lines, line)
		if len(errs) > 0 {
			bad = append(bad, RecordError{Position: line, Code: p.Code, Fields: errs})
		}
	}
	return procs, dedupe(procs, bad, func(i int) int { return lines[i] }), nil
}

func isColumn(h string) bool {
	for _, c := range Columns {
		if c == h {
			return true
		}
	}
	return false
}

func splitList(cell string) []string {
	if strings.TrimSpace(cell) == "" {
		return []string{}
	}
	sep := "\n"
	if !strings.Contains(cell, "\n") {
		sep = " | "
	}
	return strings.Split(strings.ReplaceAll(cell, "\r\n", "\n"), sep)
}

// splitForms reads a CSV forms cell: items as in splitList, each
// "name <link or file name>".
func splitForms(cell string) ([]Form, []apperr.FieldError) {
	items := splitList(cell)
	forms := make([]Form, 0, len(items))
	var errs []apperr.FieldError
	for i, it := range items {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		open := strings.LastIndexByte(it, '<')
		if open < 0 || !strings.HasSuffix(it, ">") {
			errs = append(errs, apperr.FieldError{Field: fmt.Sprintf("forms[%d]", i), MessageID: "error.import.form"})
			continue
		}
		f := Form{Name: it[:open]}
		if target := strings.TrimSpace(it[open+1 : len(it)-1]); strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
			f.URL = target
		} else {
			f.File = target
		}
		forms = append(forms, f)
	}
	return forms, errs
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "no", "không", "khong":
		return false, true
	case "true", "1", "yes", "có", "co":
		return true, true
	}
	return false, false
}

func check(p *Procedure) []apperr.FieldError {
	if !utf8.ValidString(p.Code) {
		return []apperr.FieldError{{Field: "code", MessageID: "error.field.utf8"}}
	}
	p.Normalize()
	return p.Validate()
}

// dedupe reports a code that appears twice in one file: which record should
// win is a question for the person importing, not a guess.
func dedupe(procs []Procedure, bad []RecordError, pos func(i int) int) []RecordError {
	first := map[string]int{}
	for i, p := range procs {
		if p.Code == "" {
			continue
		}
		if j, dup := first[p.Code]; dup {
			bad = append(bad, RecordError{Position: pos(i), Code: p.Code, Fields: []apperr.FieldError{{
				Field: "code", MessageID: "error.import.duplicate", Params: map[string]any{"Position": pos(j)}}}})
			continue
		}
		first[p.Code] = i
	}
	return bad
}
