package main

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"motcua/internal/catalog"
)

// searchCache keeps the search API's answers already encoded, and gzipped
// when they are worth it, so that a popular question costs a map look-up:
// a search, its JSON and its compression were most of the API's CPU (README,
// "Performance"). Answers are keyed by the validated query and the reader's
// language, and belong to one catalog version: the first request after the
// catalog changes empties the cache.
type searchCache struct {
	mu      sync.RWMutex
	version int64
	answers map[searchKey]*searchAnswer
	bytes   int // of the answers kept, plain and gzipped
}

// searchCacheMax and searchCacheBytes bound the cache (an answer of 20
// procedures is about 10 KB, 3 KB gzipped; one of 100 five times that); when
// it is full it starts again, and the popular questions come back first.
const (
	searchCacheMax   = 1024
	searchCacheBytes = 8 << 20
)

type searchKey struct {
	q, field, lang string
	level          catalog.Level
	online         catalog.Online
	limit, offset  int
}

type searchAnswer struct {
	body []byte // JSON
	gz   []byte // body gzipped, nil when it is too small to be worth it
}

func newSearchCache() *searchCache {
	return &searchCache{version: -1, answers: map[searchKey]*searchAnswer{}}
}

func (sc *searchCache) get(version int64, k searchKey) *searchAnswer {
	sc.mu.RLock()
	defer sc.mu.RUnlock()
	if sc.version != version {
		return nil
	}
	return sc.answers[k]
}

func (sc *searchCache) put(version int64, k searchKey, a *searchAnswer) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	size := len(a.body) + len(a.gz)
	if sc.version != version || len(sc.answers) >= searchCacheMax || sc.bytes+size > searchCacheBytes {
		if sc.version > version {
			return // an answer from a catalog already replaced
		}
		sc.version = version
		clear(sc.answers)
		sc.bytes = 0
	}
	if _, ok := sc.answers[k]; !ok {
		sc.bytes += size
	}
	sc.answers[k] = a
}

var varyLanguageEncoding = []byte(fiber.HeaderAcceptLanguage + ", " + fiber.HeaderCookie + ", " + fiber.HeaderAcceptEncoding)

// newSearchAnswer encodes a body as c.JSON would and gzips it when it is at
// least minCompress bytes.
func newSearchAnswer(v any) (*searchAnswer, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	a := &searchAnswer{body: body}
	if len(body) >= minCompress {
		a.gz = fasthttp.AppendGzipBytesLevel(nil, body, fasthttp.CompressBestSpeed)
	}
	return a, nil
}

// send writes the answer, gzipped when the client accepts it.
func (a *searchAnswer) send(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.SetContentTypeBytes(contentTypeJSON)
	if a.gz != nil {
		if bytes.Equal(h.Peek(fiber.HeaderVary), varyLanguage) {
			h.SetCanonical(headerVary, varyLanguageEncoding) // what language set, and the encoding
		} else {
			c.Vary(fiber.HeaderAcceptEncoding)
		}
		if c.Request().Header.HasAcceptEncoding("gzip") {
			h.SetContentEncoding("gzip")
			return c.Send(a.gz)
		}
	}
	return c.Send(a.body)
}
