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

// match appends to dst the terms that t matches.
func (ix *Index) match(t qtoken, dst []termHit) []termHit {
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
	if t.prefix || (!exact && len(t.text) >= 3) {
		dst = ix.prefixes(t.text, dst)
	}
	if !exact && !spelt {
		dst = ix.typos.neighbours(ix.terms, t.text, dst)
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
