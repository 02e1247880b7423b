package search

import (
	"slices"
	"strings"
)

type ranked struct {
	doc   uint32
	score float64
}

// before reports whether a ranks before b: higher score, then smaller code.
func (ix *Index) before(a, b ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if c := strings.Compare(ix.docs[a.doc].code, ix.docs[b.doc].code); c != 0 {
		return c < 0
	}
	return a.doc < b.doc
}

// collect returns the best max results (all when max <= 0), keeping the
// best seen in a heap with the worst on top.
func (ix *Index) collect(s *scratch, max int) []Hit {
	h := s.heap[:0]
	for _, d := range s.results {
		r := ranked{doc: d, score: s.final[d].score}
		switch {
		case max <= 0 || len(h) < max:
			h = append(h, r)
			if len(h) == max {
				for i := len(h)/2 - 1; i >= 0; i-- {
					ix.siftDown(h, i)
				}
			}
		case ix.before(r, h[0]):
			h[0] = r
			ix.siftDown(h, 0)
		}
	}
	slices.SortFunc(h, func(a, b ranked) int {
		if ix.before(a, b) {
			return -1
		}
		return 1
	})
	s.heap = h
	if len(h) == 0 {
		return nil
	}
	hits := make([]Hit, len(h))
	for i, r := range h {
		hits[i] = Hit{Code: ix.docs[r.doc].code, Score: r.score}
	}
	return hits
}

func (ix *Index) siftDown(h []ranked, i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && ix.before(h[worst], h[l]) {
			worst = l
		}
		if r < len(h) && ix.before(h[worst], h[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}
