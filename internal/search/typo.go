package search

import (
	"slices"
	"sort"
)

// A typo is looked for only in words long enough that one wrong letter is
// more likely a slip than another word: folded Vietnamese syllables are
// short ("sinh", "tinh", "minh" are all real), so four letters get none.
const (
	minTypoLen  = 5  // one edit from here
	minTypo2Len = 9  // two edits from here: only long (mostly English) words
	maxTypoLen  = 32 // longer tokens are junk, not words
)

func maxEdits(n int) int {
	switch {
	case n > maxTypoLen:
		return 0
	case n >= minTypo2Len:
		return 2
	case n >= minTypoLen:
		return 1
	}
	return 0
}

// typoTable is a deletion neighbourhood of the vocabulary: for each term,
// hashes of the term and of the term with one (and, when long, two) letters
// deleted. Two words within k edits share a string obtained by deleting at
// most k letters from each, so a query word finds its neighbours with a few
// dozen binary searches instead of a scan of the vocabulary.
type typoTable []typoEntry

type typoEntry struct {
	h    uint64
	term uint32
}

func typoEligible(w string) bool {
	if len(w) < minTypoLen-1 || len(w) > maxTypoLen {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func buildTypos(terms []string) typoTable {
	var t typoTable
	for id, w := range terms {
		if !typoEligible(w) {
			continue
		}
		term := uint32(id)
		t = append(t, typoEntry{hashSkip(w, -1, -1), term})
		if len(w) < minTypoLen {
			continue
		}
		for i := range len(w) {
			t = append(t, typoEntry{hashSkip(w, i, -1), term})
		}
		if len(w) < minTypo2Len {
			continue
		}
		for i := range len(w) {
			for j := i + 1; j < len(w); j++ {
				t = append(t, typoEntry{hashSkip(w, i, j), term})
			}
		}
	}
	slices.SortFunc(t, func(a, b typoEntry) int {
		if a.h != b.h {
			if a.h < b.h {
				return -1
			}
			return 1
		}
		return int(a.term) - int(b.term)
	})
	return slices.Clip(t)
}

// neighbours appends to dst the terms within maxEdits(len(w)) edits of w,
// other than w itself, with their distance.
func (t typoTable) neighbours(terms []string, w string, dst []termHit) []termHit {
	k := maxEdits(len(w))
	if k == 0 || !typoEligible(w) {
		return dst
	}
	start := len(dst)
	probe := func(h uint64) {
		i := sort.Search(len(t), func(i int) bool { return t[i].h >= h })
		for ; i < len(t) && t[i].h == h; i++ {
			id := t[i].term
			if slices.ContainsFunc(dst[start:], func(x termHit) bool { return x.term == id }) {
				continue
			}
			switch d := osa(w, terms[id], k); {
			case d == 1:
				dst = append(dst, termHit{term: id, q: typo1Q})
			case d == 2:
				dst = append(dst, termHit{term: id, q: typo2Q})
			}
		}
	}
	probe(hashSkip(w, -1, -1))
	for i := range len(w) {
		probe(hashSkip(w, i, -1))
	}
	if k >= 2 {
		for i := range len(w) {
			for j := i + 1; j < len(w); j++ {
				probe(hashSkip(w, i, j))
			}
		}
	}
	return dst
}

// hashSkip is FNV-1a of w without the bytes at i and j (-1: none), so that
// deletions are hashed without building them.
func hashSkip(w string, i, j int) uint64 {
	h := uint64(14695981039346656037)
	for k := 0; k < len(w); k++ {
		if k == i || k == j {
			continue
		}
		h ^= uint64(w[k])
		h *= 1099511628211
	}
	return h
}

// osa is the optimal string alignment distance between ASCII words a and b
// (insertions, deletions, substitutions and swaps of neighbours each count
// one, as a finger slips), or max+1 once it is certain to exceed max.
func osa(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	if len(a) > maxTypoLen || len(b) > maxTypoLen {
		return max + 1
	}
	var rows [3][maxTypoLen + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], max+1)
}
