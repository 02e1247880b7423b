package search

import (
	"slices"
	"sort"
	"strings"
)

// termHit is a vocabulary term that a query word matches, and how well.
type termHit struct {
	term uint32
	q    float32
}

// How much a match of each kind is worth, exact being 1: exact beats a
// spelling variant beats a prefix beats a typo.
const (
	spellingQ   = 0.95 // kí for ký: both spellings are correct
	prefixBase  = 0.6  // plus up to 0.3 for how much of the word was typed
	codePrefixQ = 0.9
	typo1Q      = 0.7
	typo2Q      = 0.55
)

// Prefix bounds: a one-letter prefix would otherwise pull in a fifth of the
// vocabulary and all its postings.
const (
	maxPrefixTerms     = 32
	maxShortPrefix     = 8 // for one letter
	maxCodePrefixTerms = 1000
	maxPrefixScan      = 4096
)

// typoContext holds the neighbours of a query word that are words of the
// catalog (empty: none).
type typoContext struct{ left, right string }

// minFreeTypoLen is the length from which a word is taken to be no
// Vietnamese syllable (the longest, "nghiêng", has seven letters), so that a
// typo of it is a typo of a longer word, English or run together.
const minFreeTypoLen = 8

// match appends to dst the terms that t matches. A typo that turns a
// syllable into another syllable must make, with a neighbour of the query,
// a pair of words that some name has: "hộ kinh doang" is "kinh doanh", but
// "hộ chiếu" is not "hộ chiến", for the catalog never says "hộ chiến".
func (ix *Index) match(t qtoken, ctx typoContext, dst []termHit) []termHit {
	start := len(dst)
	id, exact := ix.ids[t.text]
	if exact {
		dst = append(dst, termHit{term: id, q: 1})
	}
	if t.code {
		lo, hi := ix.prefixRange(t.text)
		for i := lo; i < hi && i-lo < maxCodePrefixTerms; i++ {
			if i != int(id) || !exact {
				dst = append(dst, termHit{term: uint32(i), q: codePrefixQ})
			}
		}
		return dst
	}
	spelt := false
	if alt, ok := otherSpelling(t.text); ok {
		if aid, ok := ix.ids[alt]; ok {
			dst = append(dst, termHit{term: aid, q: spellingQ})
			spelt = true
		}
	}
	if aid, ok := ix.otherNumber(t.text); ok && !exact {
		dst = append(dst, termHit{term: aid, q: spellingQ})
		spelt = true
	}
	if t.prefix || (!exact && len(t.text) >= 3) {
		dst = ix.prefixes(t.text, dst)
	}
	if !exact && !spelt {
		from := len(dst)
		dst = ix.typos.neighbours(ix.terms, t.text, dst)
		if len(t.text) < minFreeTypoLen && ctx != (typoContext{}) {
			kept := dst[:from]
			for _, h := range dst[from:] {
				w := ix.terms[h.term]
				if ctx.left != "" && ix.adjacent(ctx.left, w) || ctx.right != "" && ix.adjacent(w, ctx.right) {
					kept = append(kept, h)
				}
			}
			dst = kept
		}
	}
	return dedupe(dst, start)
}

// prefixes appends the terms that start with p (but are longer), the most
// frequent first when there are too many.
func (ix *Index) prefixes(p string, dst []termHit) []termHit {
	lo, hi := ix.prefixRange(p)
	if lo < hi && ix.terms[lo] == p {
		lo++
	}
	hi = min(hi, lo+maxPrefixScan)
	limit := maxPrefixTerms
	if len(p) == 1 {
		limit = maxShortPrefix
	}
	start := len(dst)
	for i := lo; i < hi; i++ {
		q := prefixBase + 0.3*float32(len(p))/float32(len(ix.terms[i]))
		dst = append(dst, termHit{term: uint32(i), q: q})
	}
	if len(dst)-start > limit {
		found := dst[start:]
		slices.SortFunc(found, func(a, b termHit) int {
			if d := ix.df(b.term) - ix.df(a.term); d != 0 {
				return d
			}
			return int(a.term) - int(b.term)
		})
		dst = dst[:start+limit]
	}
	return dst
}

func (ix *Index) df(t uint32) int { return int(ix.postOff[t+1] - ix.postOff[t]) }

// prefixRange returns the range of terms that start with p.
func (ix *Index) prefixRange(p string) (lo, hi int) {
	lo = sort.SearchStrings(ix.terms, p)
	rest := ix.terms[lo:]
	return lo, lo + sort.Search(len(rest), func(i int) bool { return !strings.HasPrefix(rest[i], p) })
}

// otherSpelling swaps a final i and y after a consonant: Vietnamese writes
// both kí and ký, lí and lý, sĩ and sỹ, and people mix them.
func otherSpelling(w string) (string, bool) {
	n := len(w)
	if n < 2 || strings.IndexByte("aeiouy", w[n-2]) >= 0 {
		return "", false
	}
	switch w[n-1] {
	case 'i':
		return w[:n-1] + "y", true
	case 'y':
		return w[:n-1] + "i", true
	}
	return "", false
}

// otherNumber finds the English plural of a singular and back: "tree"
// finds "trees", "permits" finds "permit". No folded Vietnamese syllable
// ends in s, so neither form can be a Vietnamese word.
func (ix *Index) otherNumber(w string) (uint32, bool) {
	n := len(w)
	if n < 3 {
		return 0, false
	}
	for i := 0; i < n; i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return 0, false
		}
	}
	if w[n-1] == 's' {
		if w[n-2] == 's' {
			return 0, false
		}
		id, ok := ix.ids[w[:n-1]]
		return id, ok
	}
	id, ok := ix.ids[w+"s"] // the key does not escape: no allocation
	return id, ok
}

// dedupe keeps the best quality of each term in dst[start:].
func dedupe(dst []termHit, start int) []termHit {
	hits := dst[start:]
	if len(hits) < 2 {
		return dst
	}
	slices.SortFunc(hits, func(a, b termHit) int {
		if a.term != b.term {
			return int(a.term) - int(b.term)
		}
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	hits = slices.CompactFunc(hits, func(a, b termHit) bool { return a.term == b.term })
	return dst[:start+len(hits)]
}
