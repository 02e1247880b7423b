package scorecard

import (
	"sync"
	"time"
)

// cardTTL is how long a computed card is served again (docs/scorecard.md,
// "How it stays fast"): a public scorecard asked by many at once is computed
// once, and a change made through this process is seen at once (Forget);
// one made elsewhere (another instance, the bot) within cardTTL.
const cardTTL = 15 * time.Second

// cardCacheMax bounds the cards kept; when full the cache starts again.
const cardCacheMax = 512

type cardKey struct {
	unit       string
	start, end int64
}

type cachedCard struct {
	card Card
	at   time.Time
}

type cardCache struct {
	mu    sync.Mutex
	gen   uint64
	cards map[cardKey]cachedCard
}

func (c *cardCache) get(k cardKey, now time.Time) (Card, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cards[k]
	if !ok || now.Before(e.at) || now.Sub(e.at) >= cardTTL {
		return Card{}, false, c.gen
	}
	return e.card, true, c.gen
}

// put keeps a card computed while the cache was at generation gen, unless
// something changed meanwhile.
func (c *cardCache) put(k cardKey, gen uint64, card Card, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.cards == nil || len(c.cards) >= cardCacheMax {
		c.cards = map[cardKey]cachedCard{}
	}
	c.cards[k] = cachedCard{card: card, at: at}
}

// Forget drops every card kept: the caller has just changed what they count
// (a dossier, a rating, feedback, a unit or the catalog).
func (s *Service) Forget() {
	s.cards.mu.Lock()
	defer s.cards.mu.Unlock()
	s.cards.gen++
	s.cards.cards = nil
}
