package search

import (
	"math"
	"strings"
)

// repair rewrites query words that are not words of the catalog but are
// typing accidents with a single reading: Telex or VNI keystrokes left in
// by a missing input method ("ddawng kys" for "đăng ký", "d9a8ng" for
// "đăng"), and words run together ("khaisinh"). Genuine typos are left for
// the typo matcher, which weighs them lower.
func (ix *Index) repair(toks []qtoken) []qtoken {
	var out []qtoken
	for i, t := range toks {
		if t.code || ix.knows(t.text) || (t.prefix && ix.hasPrefix(t.text)) {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		fixed := ix.fix(t)
		if fixed == nil {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]qtoken, 0, len(toks)+len(fixed)), toks[:i]...)
		}
		out = append(out, fixed...)
	}
	if out == nil {
		return toks
	}
	if len(out) > maxQueryTokens {
		out = out[:maxQueryTokens]
	}
	return out
}

func (ix *Index) knows(w string) bool {
	if _, ok := ix.ids[w]; ok {
		return true
	}
	if _, ok := ix.ids[w+"s"]; ok {
		return true // "tree" is "trees", not Telex for "tre"
	}
	return ix.syn.knows(w)
}

func (ix *Index) hasPrefix(p string) bool {
	lo, hi := ix.prefixRange(p)
	return lo < hi
}

// fix returns the replacement of an unknown word, or nil.
func (ix *Index) fix(t qtoken) []qtoken {
	if w, ok := telexPlain(t.text); ok && ix.knows(w) {
		return []qtoken{{text: w, prefix: t.prefix}}
	}
	if w, ok := vniPlain(t.text); ok && ix.knows(w) {
		return []qtoken{{text: w, prefix: t.prefix}}
	}
	if len(t.text) < 5 || len(ix.typos.neighbours(ix.terms, t.text, nil)) > 0 {
		return nil
	}
	parts := ix.wordBreak(t.text)
	if parts == nil {
		return nil
	}
	out := make([]qtoken, len(parts))
	for i, p := range parts {
		out[i] = qtoken{text: p}
	}
	out[len(out)-1].prefix = t.prefix
	return out
}

// telexPlain undoes Telex keystrokes typed without the input method: "dd"
// is đ, a doubled a/e/o or a w adds a hat or horn, and s f r x j after the
// first letter are tones. Folded Vietnamese never has f, j, w or z and no
// s, r or x after its first letters (but the r of "tr"), so for a word that
// is not in the vocabulary the reading is unambiguous.
func telexPlain(w string) (string, bool) {
	var b strings.Builder
	changed := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c < 'a' || c > 'z':
			return "", false
		case i > 0 && (c == 'd' || c == 'a' || c == 'e' || c == 'o') && w[i-1] == c:
			changed = true
			continue
		case c == 'w':
			changed = true
			if i == 0 {
				b.WriteByte('u') // a lone w is ư
			}
			continue
		case i > 0 && (c == 's' || c == 'f' || c == 'x' || c == 'j' || c == 'r' && !(i == 1 && w[0] == 't')):
			changed = true
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), changed && b.Len() > 0
}

// vniPlain undoes VNI keystrokes: digits typed after the letters they mark.
func vniPlain(w string) (string, bool) {
	letters, digits := 0, 0
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case '1' <= c && c <= '9':
			digits++
		case 'a' <= c && c <= 'z':
			letters++
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	return b.String(), letters > 0 && digits > 0
}

// wordBreak splits w into the fewest (at most four) catalog words of two
// letters or more, or returns nil.
func (ix *Index) wordBreak(w string) []string {
	const maxParts = 4
	if len(w) > 40 {
		return nil
	}
	// parts[i]: fewest words covering w[:i]; from[i]: where the last
	// starts; rarest[i]: the document frequency of the rarest of them.
	// Among splits into as many words, the one of commoner words wins:
	// "kethon" is "ket hon" (kết hôn), not "ke thon".
	var parts, from [41]int8
	var rarest [41]int
	rarest[0] = math.MaxInt
	for i := 1; i <= len(w); i++ {
		parts[i] = -1
		for j := max(0, i-12); j <= i-2; j++ {
			if parts[j] < 0 || int(parts[j]) >= maxParts {
				continue
			}
			id, ok := ix.ids[w[j:i]]
			if !ok {
				continue
			}
			p, r := parts[j]+1, min(rarest[j], ix.df(id))
			if parts[i] < 0 || p < parts[i] || p == parts[i] && r > rarest[i] {
				parts[i], from[i], rarest[i] = p, int8(j), r
			}
		}
	}
	if parts[len(w)] < 2 {
		return nil
	}
	out := make([]string, parts[len(w)])
	for i, k := len(w), len(out)-1; i > 0; i, k = int(from[i]), k-1 {
		out[k] = w[from[i]:i]
	}
	return out
}
