package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"motcua/internal/textfold"
)

// Bounds on a query, so that no input makes a search slow: the HTTP layer
// rejects longer queries, but Search must not depend on it.
const (
	maxQueryRunes    = 200
	maxQueryTokens   = 20
	maxCodeTokens    = 4
	maxVariantTokens = 48 // after synonyms; bit masks hold 64
)

// qtoken is one word of a query.
type qtoken struct {
	text   string
	code   bool // a procedure code as typed, lowercased: "1.001193"
	prefix bool // may be a word not finished yet
	stop   bool // filler: weighs little
	// group numbers the words one synonym rule put in the query (0: typed
	// by the citizen); typed is how many words they replace.
	group, typed int8
}

// parse splits a raw query into tokens: procedure codes as they are, the
// rest folded. It reports no tokens for a blank query.
func parse(raw string) []qtoken {
	raw = clip(raw, maxQueryRunes)
	var text strings.Builder
	var codes []qtoken
	lastIsText := false
	for f := range strings.FieldsSeq(raw) {
		if c, ok := codeOf(f); ok {
			if len(codes) < maxCodeTokens {
				codes = append(codes, qtoken{text: c, code: true, prefix: true})
			}
			lastIsText = false
			continue
		}
		text.WriteString(f)
		text.WriteByte(' ')
		lastIsText = true
	}
	words := textfold.Tokens(text.String())
	if n := maxQueryTokens - len(codes); len(words) > n {
		words = words[:n]
		lastIsText = false // clipped: the last word kept was finished
	}
	toks := make([]qtoken, 0, len(words)+len(codes))
	for _, w := range words {
		toks = append(toks, qtoken{text: w})
	}
	// A query that does not end in a space or punctuation may stop in the
	// middle of a word: "khai si" is on its way to "khai sinh".
	if r, _ := utf8.DecodeLastRuneInString(raw); lastIsText && len(toks) > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)) {
		toks[len(toks)-1].prefix = true
	}
	return append(toks, codes...)
}

// clip cuts s after n runes; an invalid byte counts as one rune.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// codeOf recognises a procedure code or the start of one: a digit first, a
// dot somewhere, then only letters, digits, dots, dashes and underscores
// ("1.001193", "1.0011", "1.010708.000.00.00.H56").
func codeOf(f string) (string, bool) {
	f = strings.TrimRight(f, ",;:)!?")
	if len(f) > 2 && f[len(f)-1] == '.' && strings.Count(f, ".") > 1 {
		f = f[:len(f)-1] // the full stop of a sentence
	}
	if len(f) < 2 || f[0] < '0' || f[0] > '9' || !strings.Contains(f, ".") {
		return "", false
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '.' || c == '-' || c == '_') {
			return "", false
		}
	}
	return strings.ToLower(f), true
}
