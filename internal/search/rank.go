package search

import (
	"math"
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
		if h := s.acc[d].hit; h > bestHit { // not max: it pays for NaN handling
			bestHit = h
		}
	}
	threshold, coreMin := minMatch*bestHit, minCore*st.core
	s.ranked = s.ranked[:0]
	for _, d := range s.cands {
		a := &s.acc[d]
		if a.hit < threshold || a.core < coreMin && (a.coreWords < 2 || a.core < specificCore) {
			continue
		}
		base := wCover * float64(a.cov/st.total)
		if int(a.count) == st.words {
			base += wAll
		}
		s.ranked = append(s.ranked, ranked{doc: d, score: base})
	}
	floor := math.Inf(-1)
	if limit > 0 && len(s.ranked) > limit && !ix.plain {
		floor = s.kthBase(limit) - (wPhrase + wShort) - 1e-9
	}
	for _, r := range s.ranked {
		s.count(r.doc)
		if r.score < floor {
			continue
		}
		sc := r.score
		adj, extra, named := ix.phrase(s, r.doc, pairs)
		if nPairs > 0 {
			sc += wPhrase * float64(adj) / float64(nPairs)
		}
		if named {
			sc += wShort / (1 + 0.1*float64(extra))
		}
		s.keep(r.doc, st.factor*sc/maxScore)
	}
}

// kthBase returns the k-th largest base score in s.ranked, using a min-heap
// of the k largest seen.
func (s *scratch) kthBase(k int) float64 {
	h := s.kth[:0]
	for _, r := range s.ranked {
		switch {
		case len(h) < k:
			h = append(h, r.score)
			for i := len(h) - 1; i > 0 && h[(i-1)/2] > h[i]; i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case r.score > h[0]:
			h[0] = r.score
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
	}
	s.kth = h
	return h[0]
}

// phrase scans the names of d for query words that are neighbours there as
// in the query, and counts the name words the query did not ask for. It uses
// whichever name, Vietnamese or English, matches the query better, and
// skips a name that matches no query word.
func (ix *Index) phrase(s *scratch, d uint32, pairs uint64) (adj, extra int, named bool) {
	e, in := &ix.docs[d], s.acc[d].fields
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
