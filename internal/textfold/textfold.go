// Package textfold reduces Vietnamese text to the form people type when their
// keyboard has no Vietnamese input: lowercase letters without diacritics, đ as
// d, words separated by single spaces. Text folded on both sides matches
// whether or not it was typed with diacritics.
package textfold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s, removes diacritics (NFD, combining marks dropped), maps
// đ/Đ to d, turns every run of characters that are neither letters nor digits
// into one space and trims the result. Invalid UTF-8 bytes count as
// separators. Fold is safe for concurrent use: it keeps no shared state.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				gap = true
				continue
			}
			if gap && b.Len() > 0 {
				b.WriteByte(' ')
			}
			gap = false
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		f, kind := foldRune(r, s[i:i+size])
		i += size
		switch kind {
		case dropped:
			continue
		case separator:
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(f)
	}
	return b.String()
}

// Tokens returns the words of Fold(s).
func Tokens(s string) []string {
	return strings.Fields(Fold(s))
}

// isFolded reports whether Fold(s) == s, so that already folded text (most
// search queries typed without diacritics) costs no allocation.
func isFolded(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			prevSpace = false
		case c == ' ' && !prevSpace:
			prevSpace = true
		default:
			return false
		}
	}
	return true
}

type runeKind uint8

const (
	kept      runeKind = iota // part of a word
	dropped                   // a combining mark: removed, the word goes on
	separator                 // ends the word
)

// foldRune folds one non-ASCII rune; raw is its encoding in the input.
func foldRune(r rune, raw string) (rune, runeKind) {
	if c, ok := tableFold(r); ok {
		if c == ' ' {
			return 0, separator
		}
		return rune(c), kept
	}
	if r == utf8.RuneError {
		return 0, separator
	}
	if unicode.Is(unicode.M, r) {
		return 0, dropped
	}
	// Outside the tables: the first rune of the canonical decomposition is
	// the base letter. norm's property lookup is a stateless trie read, so
	// it is safe across goroutines, unlike a shared transform.Transformer.
	if d := norm.NFD.PropertiesString(raw).Decomposition(); len(d) > 0 {
		r, _ = utf8.DecodeRune(d)
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return unicode.ToLower(r), kept
	}
	return 0, separator
}
