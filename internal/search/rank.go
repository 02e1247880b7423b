package search

import (
	"math/bits"
)

type variantStats struct {
	total  float32 // weight of all the words
	core   float32 // weight of the words that are not filler
	live   uint64  // bit i: token i occurs in the catalog
	words  int     // tokens that count (not ignored filler)
	factor float64 // scale of this reading
}

// rankVariant turns the sums of scoreVariant into scores. The phrase and
// length terms read each document's names, the dearest step of a search,
// so when only limit results are wanted it skips the documents that cannot
// reach the limit best whatever their names say.
func (ix *Index) rankVariant(s *scratch, v []qtoken, st variantStats, limit int) {
	var pairs uint64 // bit i: tokens i and i+1 are words that both occur
	for i := 0; i+1 < len(v); i++ {
		if !v[i].code && !v[i+1].code && st.live&(3<<i) == 3<<i {
			pairs |= 1 << i
		}
	}
	nPairs := bits.OnesCount64(pairs)
	var bestHit float32
	for _, d := range s.cands {
		if h := s.wordsOf(&s.acc[d]).hit; h > bestHit { // not max: it pays for NaN handling
			bestHit = h
		}
	}
	threshold, coreMin := minMatch*bestHit, minCore*st.core
	s.ranked = s.ranked[:0]
	for _, d := range s.cands {
		a := &s.acc[d]
		w := s.wordsOf(a)
		if w.hit < threshold || w.core < coreMin && (w.coreWords < 2 || w.core < specificCore) {
			continue
		}
		base := wCover * float64(a.cov/st.total)
		if int(w.count) == st.words {
			base += wAll
		}
		s.ranked = append(s.ranked, candidate{doc: d, base: base, terms: w.terms})
	}
	if limit <= 0 || len(s.ranked) <= limit || ix.plain {
		for _, r := range s.ranked {
			s.count(r.doc)
			s.keep(r.doc, ix.score(s, r, pairs, nPairs, st.factor))
		}
		return
	}
	// A document's score is at most its bound: its base score, all the
	// phrase score, and the length score of the fewest name words the
	// query did not ask for that its names can have (see docEntry.distinct;
	// rounding is monotone, so the bound computed in floating point is
	// above the score computed in floating point). The documents of the
	// limit best bounds are scored first: limit documents then have a
	// result at least their score, so the limit-th best of them is a bar
	// that the page's last result reaches. A document whose bound is below
	// the bar cannot make the page and its names need not be read; it
	// still counts towards the total.
	top := s.kth[:0]
	for i := range s.ranked {
		r := &s.ranked[i]
		r.bound = st.factor * (r.base + wPhrase + ix.shortBound(s, r.doc, r.terms)) / maxScore
		top = pushTop(top, limit, r.bound)
	}
	kb := top[0]
	top = top[:0]
	for _, r := range s.ranked {
		if r.bound >= kb {
			s.keep(r.doc, ix.score(s, r, pairs, nPairs, st.factor))
			top = pushTop(top, limit, s.final[r.doc].score)
		}
	}
	s.kth = top
	bar := top[0]
	for _, r := range s.ranked {
		s.count(r.doc)
		if r.bound >= kb || r.bound < bar {
			continue
		}
		s.keep(r.doc, ix.score(s, r, pairs, nPairs, st.factor))
	}
}

// candidate is a document that matches a reading, with its base score (of
// the words matched), the terms it matches at most, and the most its
// names can add to that (see rankVariant).
type candidate struct {
	doc   uint32
	terms uint16
	base  float64
	bound float64
}

// shortBound returns the most the length score of d can be when its names
// match at most terms terms of the query: Index.phrase takes the length of a
// name only where a word of the query matched.
func (ix *Index) shortBound(s *scratch, d uint32, terms uint16) float64 {
	e, in := &ix.docs[d], s.acc[d].fieldsOf()
	extra, named := 0, false
	for k, f := range [2]field{inName, inNameEn} {
		if in&f == 0 {
			continue
		}
		x := max(0, int(e.distinct[k])-int(terms))
		if !named || x < extra {
			extra, named = x, true
		}
	}
	if !named {
		return 0
	}
	return wShort / (1 + 0.1*float64(extra))
}

// score adds to the base score of r what its names earn: the neighbouring
// query words that are neighbours there, and a short name.
func (ix *Index) score(s *scratch, r candidate, pairs uint64, nPairs int, factor float64) float64 {
	sc := r.base
	adj, extra, named := ix.phrase(s, r.doc, pairs)
	if nPairs > 0 {
		sc += wPhrase * float64(adj) / float64(nPairs)
	}
	if named {
		sc += wShort / (1 + 0.1*float64(extra))
	}
	return factor * sc / maxScore
}

// pushTop adds x to h, a min-heap of the k largest values seen, so that
// h[0] is the k-th largest once k values are in.
func pushTop(h []float64, k int, x float64) []float64 {
	switch {
	case len(h) < k:
		h = append(h, x)
		for i := len(h) - 1; i > 0 && h[(i-1)/2] > h[i]; i = (i - 1) / 2 {
			h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
		}
	case x > h[0]:
		h[0] = x
		for i := 0; ; {
			m, l, rr := i, 2*i+1, 2*i+2
			if l < len(h) && h[l] < h[m] {
				m = l
			}
			if rr < len(h) && h[rr] < h[m] {
				m = rr
			}
			if m == i {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	return h
}

// phrase scans the names of d for query words that are neighbours there as
// in the query, and counts the name words the query did not ask for. It uses
// whichever name, Vietnamese or English, matches the query better, and
// skips a name that matches no query word.
func (ix *Index) phrase(s *scratch, d uint32, pairs uint64) (adj, extra int, named bool) {
	e, in := &ix.docs[d], s.acc[d].fieldsOf()
	for k, sp := range [2]span{e.name, e.nameEn} {
		if in&[2]field{inName, inNameEn}[k] == 0 {
			continue
		}
		var found, prev uint64
		matched := 0
		for _, t := range ix.seqs[sp.off : sp.off+sp.n] {
			m := s.termMask[t]
			if m != 0 {
				matched++
			}
			found |= prev & (m >> 1) // bit i: token i, then token i+1
			prev = m
		}
		if matched == 0 {
			continue
		}
		a, x := bits.OnesCount64(found&pairs), int(sp.n)-matched
		if !named || a > adj || a == adj && x < extra {
			adj, extra, named = a, x, true
		}
	}
	return adj, extra, named
}

// keep records the score of d for one reading; d keeps its best.
func (s *scratch) keep(d uint32, score float64) {
	f := &s.final[d]
	if f.stamp != s.qEpoch {
		f.stamp, f.score = s.qEpoch, score
		s.results = append(s.results, d)
		return
	}
	f.score = max(f.score, score)
}

// count notes that d matches a reading, once per query.
func (s *scratch) count(d uint32) {
	if f := &s.final[d]; f.seen != s.qEpoch {
		f.seen = s.qEpoch
		s.total++
	}
}
