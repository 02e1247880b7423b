// Package catalog is the service layer for administrative procedures (thủ tục
// hành chính): their records, validation, import and search.
package catalog

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/apperr"
)

// Online is how much of a procedure can be done online (Decree 42/2022, art. 11).
type Online string

const (
	OnlineFull    Online = "full"    // toàn trình
	OnlinePartial Online = "partial" // một phần
	OnlineNone    Online = "none"
)

// Valid reports whether o is one of the known kinds.
func (o Online) Valid() bool { return o == OnlineFull || o == OnlinePartial || o == OnlineNone }

// Level is the level of government that decides a procedure, and the level of
// an administrative unit.
type Level string

const (
	LevelProvince Level = "province"
	LevelDistrict Level = "district"
	LevelCommune  Level = "commune"
)

// Valid reports whether l is one of the known levels.
func (l Level) Valid() bool {
	return l == LevelProvince || l == LevelDistrict || l == LevelCommune
}

// Procedure is one entry of the catalog.
type Procedure struct {
	Code           string    `json:"code" db:"code"`
	Name           string    `json:"name" db:"name"`
	NameEn         string    `json:"name_en" db:"name_en"`
	Field          string    `json:"field" db:"field"`
	FieldEn        string    `json:"field_en" db:"field_en"`
	Level          Level     `json:"level" db:"level"`
	Agency         string    `json:"agency" db:"agency"`
	ProcessingDays int       `json:"processing_days" db:"processing_days"`
	ProcessingNote string    `json:"processing_note" db:"processing_note"`
	Fee            string    `json:"fee" db:"fee"`
	Online         Online    `json:"online" db:"online"`
	Documents      []string  `json:"documents" db:"-"`
	LegalBasis     []string  `json:"legal_basis" db:"-"`
	Steps          []string  `json:"steps" db:"-"`
	Forms          []Form    `json:"forms" db:"-"`
	Verified       bool      `json:"verified" db:"verified"`
	Source         string    `json:"source" db:"source"`
	UpdatedAt      time.Time `json:"-" db:"updated_at"`
}

// Form is a form of a procedure (tờ khai, mẫu đơn) with where to get it: a
// link to download it, or the name of its file as the catalog publishes it
// (the one-stop department hands it out).
type Form struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
	File string `json:"file,omitempty"`
}

// Limits on imported text, generous for real records and small enough that a
// bad file cannot bloat the database.
const (
	MaxCodeLen = 64
	MaxTextLen = 2000
	MaxListLen = 100
	MaxDays    = 365
	maxNameLen = 1000
)

// ValidCode reports whether s may be a procedure code: letters, digits, '.',
// '-' and '_', at most MaxCodeLen.
func ValidCode(s string) bool {
	if s == "" || len(s) > MaxCodeLen {
		return false
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}

// Normalize trims the record's text in place.
func (p *Procedure) Normalize() {
	for _, s := range []*string{&p.Code, &p.Name, &p.NameEn, &p.Field, &p.FieldEn, &p.Agency, &p.ProcessingNote, &p.Fee, &p.Source} {
		*s = strings.TrimSpace(*s)
	}
	p.Level = Level(strings.ToLower(strings.TrimSpace(string(p.Level))))
	p.Online = Online(strings.ToLower(strings.TrimSpace(string(p.Online))))
	p.Documents = trimList(p.Documents)
	p.LegalBasis = trimList(p.LegalBasis)
	p.Steps = trimList(p.Steps)
	forms := p.Forms[:0]
	for _, f := range p.Forms {
		f.Name, f.URL, f.File = strings.TrimSpace(f.Name), strings.TrimSpace(f.URL), strings.TrimSpace(f.File)
		if f != (Form{}) {
			forms = append(forms, f)
		}
	}
	p.Forms = forms
}

func trimList(in []string) []string {
	out := in[:0]
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Validate lists every problem with the record, by field.
func (p *Procedure) Validate() []apperr.FieldError {
	var errs []apperr.FieldError
	bad := func(field, id string, params map[string]any) {
		errs = append(errs, apperr.FieldError{Field: field, MessageID: id, Params: params})
	}
	text := func(field, v string, required bool, max int) {
		switch {
		case !utf8.ValidString(v):
			bad(field, "error.field.utf8", nil)
		case required && v == "":
			bad(field, "error.field.required", nil)
		case utf8.RuneCountInString(v) > max:
			bad(field, "error.field.too_long", map[string]any{"Max": max})
		}
	}
	switch {
	case p.Code == "":
		bad("code", "error.field.required", nil)
	case !ValidCode(p.Code):
		bad("code", "error.field.code", map[string]any{"Max": MaxCodeLen})
	}
	text("name", p.Name, true, maxNameLen)
	text("name_en", p.NameEn, false, maxNameLen)
	text("field", p.Field, true, maxNameLen)
	text("field_en", p.FieldEn, false, maxNameLen)
	text("agency", p.Agency, true, maxNameLen)
	text("processing_note", p.ProcessingNote, false, MaxTextLen)
	text("fee", p.Fee, false, MaxTextLen)
	text("source", p.Source, false, MaxTextLen)
	if !p.Level.Valid() {
		bad("level", "error.field.level", nil)
	}
	if !p.Online.Valid() {
		bad("online", "error.field.online", nil)
	}
	if p.ProcessingDays < 0 || p.ProcessingDays > MaxDays {
		bad("processing_days", "error.field.range", map[string]any{"Min": 0, "Max": MaxDays})
	}
	list := func(field string, items []string) {
		if len(items) > MaxListLen {
			bad(field, "error.field.too_many", map[string]any{"Max": MaxListLen})
			return
		}
		for _, it := range items {
			if !utf8.ValidString(it) {
				bad(field, "error.field.utf8", nil)
				return
			}
			if utf8.RuneCountInString(it) > MaxTextLen {
				bad(field, "error.field.too_long", map[string]any{"Max": MaxTextLen})
				return
			}
		}
	}
	list("documents", p.Documents)
	list("legal_basis", p.LegalBasis)
	list("steps", p.Steps)
	if len(p.Forms) > MaxListLen {
		bad("forms", "error.field.too_many", map[string]any{"Max": MaxListLen})
	}
	for i, f := range p.Forms {
		if i >= MaxListLen {
			break
		}
		at := fmt.Sprintf("forms[%d]", i)
		text(at+".name", f.Name, true, maxNameLen)
		text(at+".file", f.File, false, maxNameLen)
		text(at+".url", f.URL, false, MaxTextLen)
		switch {
		case f.URL == "" && f.File == "":
			bad(at, "error.field.form_target", nil)
		case f.URL != "" && f.File != "":
			bad(at, "error.field.form_target", nil)
		case f.URL != "" && !webURL(f.URL):
			bad(at+".url", "error.field.url", nil)
		case f.File != "" && strings.ContainsAny(f.File, "/\\"):
			bad(at+".file", "error.field.file_name", nil)
		}
	}
	return errs
}

// webURL reports whether s is an absolute http or https link.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// NationalPortal is the National Public Service Portal (Cổng Dịch vụ công
// quốc gia), where procedures are applied for online.
const NationalPortal = "https://dichvucong.gov.vn"

// PortalURL returns the procedure's own page on the National Public Service
// Portal, where its "apply online" button is. The portal addresses a
// procedure by an identifier of its own, not by the code
// (https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{id}); the national
// database gives that page as the record's source, so a source there is
// the link. Otherwise the link is the portal's search for the code, which
// leads to the same page in one click. The old pages addressed by code
// (/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=…) are gone.
func (p Procedure) PortalURL() string {
	if u, err := url.Parse(p.Source); err == nil && u.Scheme == "https" && u.Host == "dichvucong.gov.vn" &&
		strings.HasPrefix(u.Path, "/thu-tuc-hanh-chinh/") && len(u.Path) > len("/thu-tuc-hanh-chinh/") {
		return p.Source
	}
	return NationalPortal + "/tim-kiem-thu-tuc-hanh-chinh?keyword=" + url.QueryEscape(p.Code)
}

// LocalName returns the name in lang ("en" or "vi"), falling back to Vietnamese.
func (p *Procedure) LocalName(lang string) string {
	if lang == "en" && p.NameEn != "" {
		return p.NameEn
	}
	return p.Name
}

// LocalField returns the field in lang, falling back to Vietnamese.
func (p *Procedure) LocalField(lang string) string {
	if lang == "en" && p.FieldEn != "" {
		return p.FieldEn
	}
	return p.Field
}

// SaveResult counts what an import did.
type SaveResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}
