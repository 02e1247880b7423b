package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/demo"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// sseEvent is one server-sent event, or a comment (typ ":").
type sseEvent struct {
	typ  string
	data string
}

// readSSE parses a text/event-stream into ch, closing it at the end.
func readSSE(resp *http.Response, ch chan<- sseEvent) {
	defer close(ch)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, ":"):
			ch <- sseEvent{typ: ":", data: strings.TrimSpace(line[1:])}
		case strings.HasPrefix(line, "event: "):
			ev.typ = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[len("data: "):]
		case line == "" && ev.typ != "":
			ch <- ev
			ev = sseEvent{}
		}
	}
}

// nextEvent waits for the next event of typ, skipping others.
func nextEvent(t *testing.T, ch <-chan sseEvent, typ string) sseEvent {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended before %s", typ)
			}
			if ev.typ == typ {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s within 15 s", typ)
		}
	}
}

func TestQueueEventStream(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			var stopAt time.Time
			stream := make(chan sseEvent, 64)
			// Runs last, after the portal's own cleanup has shut it down.
			t.Cleanup(func() {
				if _, open := <-drain(stream); open {
					t.Error("event stream still open after shutdown")
				}
				if d := time.Since(stopAt); d > 5*time.Second {
					t.Errorf("shutdown with an open event stream took %v, want under 5 s", d)
				}
			})
			p := startDemoQueue(t, kind)
			t.Cleanup(func() { stopAt = time.Now() })

			if resp, _ := fetch(t, p.base, "/api/v1/offices/NOPE/events"); resp.StatusCode != 404 {
				t.Errorf("events of an unknown office: got %d, want 404", resp.StatusCode)
			}
			req, _ := http.NewRequest("GET", p.base+"/api/v1/offices/"+demo.Office+"/events", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
				t.Fatalf("events: got %d %q, want 200 text/event-stream", resp.StatusCode, ct)
			}
			if ce := resp.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("events are compressed (%s): a stream must be flushed as written", ce)
			}
			go readSSE(resp, stream)
			if ev := nextEvent(t, stream, ":"); ev.data != "connected" {
				t.Fatalf("first comment: got %q, want connected", ev.data)
			}

			issued := p.issue(t, "hotich", "")
			var data queue.TicketEvent
			ev := nextEvent(t, stream, "ticket.issued")
			if err := json.Unmarshal([]byte(ev.data), &data); err != nil || data.Number != issued.Number {
				t.Errorf("ticket.issued: got %s (%v), want number %s", ev.data, err, issued.Number)
			}
			if strings.Contains(ev.data, issued.ID) {
				t.Errorf("the public stream carries the ticket's secret ID: %s", ev.data)
			}
			tok := p.token(t, "TB", "counter")
			if resp := p.act(t, tok, counterID(t, p.base, demo.Office, 1), "next", nil, nil); resp.StatusCode != 200 {
				t.Fatalf("next: %d", resp.StatusCode)
			}
			ev = nextEvent(t, stream, "ticket.called")
			data = queue.TicketEvent{}
			if err := json.Unmarshal([]byte(ev.data), &data); err != nil || data.Number != issued.Number || data.Counter != 1 {
				t.Errorf("ticket.called: got %s (%v), want %s at counter 1", ev.data, err, issued.Number)
			}
		})
	}
}

// drain empties a finished stream's channel and reports whether it is
// still open after a moment.
func drain(ch <-chan sseEvent) <-chan sseEvent {
	out := make(chan sseEvent, 1)
	go func() {
		timeout := time.After(5 * time.Second)
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					close(out)
					return
				}
			case <-timeout:
				out <- sseEvent{}
				return
			}
		}
	}()
	return out
}

// TestQueueConcurrentKiosks issues 3,000 tickets from 64 clients through
// two portal instances on one PostgreSQL (one instance on SQLite) and finds
// every number of every service exactly once, in issue order.
func TestQueueConcurrentKiosks(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test: -short skips it (CI runs it)")
	}
	const tickets, clients = 3000, 64
	services := []string{"hotich", "datdai", "kinhdoanh"}
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			url := storetest.URL(t, kind)
			// A load test: the per-client limit of strangers is off
			// (TestTicketFlooding holds it).
			env := map[string]string{"DATABASE_URL": url, "MOTCUA_TICKETS_PER_HOUR": "0", inOpenHours: "1"}
			bases := []string{startPortal(t, kind, env, "-demo")}
			if kind == "postgres" {
				bases = append(bases, startPortal(t, kind, env))
			}
			jobs := make(chan int, tickets)
			for i := range tickets {
				jobs <- i
			}
			close(jobs)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 60 * time.Second}
			got := make([][]ticketJSON, clients) // per client, in the order it was answered
			start := time.Now()
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					for i := range jobs {
						tk, err := postTicket(client, bases[(c+i)%len(bases)], services[i%len(services)])
						if err != nil {
							t.Error(err)
							return
						}
						got[c] = append(got[c], tk)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			t.Logf("%s: %d tickets from %d clients through %d instance(s) in %v: %.0f tickets/s",
				kind, tickets, clients, len(bases), elapsed.Round(time.Millisecond), tickets/elapsed.Seconds())
			checkNumbers(t, got, services, tickets)
			checkIssueOrder(t, url, got)
		})
	}
}

func postTicket(client *http.Client, base, service string) (ticketJSON, error) {
	body := strings.NewReader(`{"service":"` + service + `"}`)
	resp, err := client.Post(base+"/api/v1/offices/"+demo.Office+"/tickets", "application/json", body)
	if err != nil {
		return ticketJSON{}, err
	}
	defer resp.Body.Close()
	var tk ticketJSON
	if err := json.NewDecoder(resp.Body).Decode(&tk); err != nil || resp.StatusCode != http.StatusCreated {
		return tk, fmt.Errorf("issue %s at %s: %d %v", service, base, resp.StatusCode, err)
	}
	return tk, nil
}

func seqOf(t *testing.T, number string) int {
	n, err := strconv.Atoi(number[1:])
	if err != nil || len(number) < 4 {
		t.Fatalf("number %q is not a letter and at least three digits", number)
	}
	return n
}

// checkNumbers: each service's numbers are 1…n, each once; and each client,
// asking one ticket after another, got rising numbers.
func checkNumbers(t *testing.T, got [][]ticketJSON, services []string, total int) {
	t.Helper()
	seen := map[string][]int{}
	all := 0
	for c, list := range got {
		last := map[string]int{}
		for _, tk := range list {
			n := seqOf(t, tk.Number)
			if n <= last[tk.Service] {
				t.Errorf("client %d got %s after %d", c, tk.Number, last[tk.Service])
			}
			last[tk.Service] = n
			seen[tk.Service] = append(seen[tk.Service], n)
			all++
		}
	}
	if all != total {
		t.Fatalf("got %d tickets, want %d", all, total)
	}
	for _, s := range services {
		nums := seen[s]
		slices.Sort(nums)
		for i, n := range nums {
			if n != i+1 {
				t.Fatalf("%s: position %d holds number %d: a number was duplicated or skipped", s, i+1, n)
			}
		}
		if len(nums) != total/len(services) {
			t.Errorf("%s: %d tickets, want %d", s, len(nums), total/len(services))
		}
	}
}

// checkIssueOrder: in the store, numbers follow issue times per service.
func checkIssueOrder(t *testing.T, url string, got [][]ticketJSON) {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := queue.Day(got[0][0].IssuedAt)
	list, err := db.DayTickets(context.Background(), demo.Office, day)
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]int{}
	for _, tk := range list {
		if tk.Seq != last[tk.Service]+1 {
			t.Fatalf("in issue order, %s follows number %d of %s", tk.Number, last[tk.Service], tk.Service)
		}
		last[tk.Service] = tk.Seq
	}
}
