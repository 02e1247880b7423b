package dossier

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizePhone returns a Vietnamese phone number in one canonical form,
// +84 followed by the national significant number, whichever usual way it was
// written: 0912345678, +84912345678, 84912345678, 0084…, with spaces
// (including the no-break space a copy from a page brings), dots, dashes or
// brackets, the + inside them too: (+84) 905-123-456. It reports false for anything that is not a phone:
// mobiles have 9 digits after the country code and start with 3, 5, 7, 8 or 9;
// landlines (since 2017) have 10 and start with 2.
func NormalizePhone(s string) (string, bool) {
	if len(s) > 32 || !utf8.ValidString(s) {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	d := b.String()
	var nsn string
	switch {
	case strings.HasPrefix(d, "+84"):
		nsn = d[3:]
	case strings.HasPrefix(d, "0084"):
		nsn = d[4:]
	case strings.HasPrefix(d, "84") && (len(d) == 11 || len(d) == 12):
		nsn = d[2:]
	case strings.HasPrefix(d, "0"):
		nsn = d[1:]
	default:
		return "", false
	}
	// A trunk 0 written after the country code (+84 0912…) is a common slip.
	if strings.HasPrefix(nsn, "0") && len(nsn) >= 10 {
		nsn = nsn[1:]
	}
	if !validNSN(nsn) {
		return "", false
	}
	return "+84" + nsn, true
}

func validNSN(n string) bool {
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	switch {
	case len(n) == 9:
		return strings.ContainsRune("35789", rune(n[0]))
	case len(n) == 10:
		return n[0] == '2'
	}
	return false
}

// MaskPhone keeps only the last three digits of a phone, for pages a
// stranger may see: +84912345678 → ******678.
func MaskPhone(p string) string {
	if len(p) <= 3 {
		return strings.Repeat("*", len(p))
	}
	return strings.Repeat("*", 6) + p[len(p)-3:]
}

// Initials masks a name to its initials: Nguyễn Văn An → N. V. A.
func Initials(name string) string {
	var parts []string
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		parts = append(parts, strings.ToUpper(string(r))+".")
	}
	return strings.Join(parts, " ")
}

// PhoneNational is the applicant's phone as people write it in Vietnam:
// +84912345678 → 0912 345 678.
func (a Applicant) PhoneNational() string {
	n, ok := strings.CutPrefix(a.Phone, "+84")
	if !ok || len(n) < 9 {
		return a.Phone
	}
	n = "0" + n
	return n[:len(n)-6] + " " + n[len(n)-6:len(n)-3] + " " + n[len(n)-3:]
}
