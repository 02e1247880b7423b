package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"motcua/internal/demo"
	"motcua/internal/queue"
	"motcua/internal/store"
	"motcua/internal/store/storetest"
)

// queuePortal is a portal started with -demo, with what the queue tests need
// to act on it: its database and counter tokens.
type queuePortal struct {
	base         string
	dbURL        string
	vars         map[string]string
	counterToken string
}

func startDemoQueue(t *testing.T, kind string) *queuePortal {
	t.Helper()
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, kind), "MOTCUA_DATA_DIR": t.TempDir(), inOpenHours: "1"}
	base := startPortal(t, kind, vars, "-demo")
	return &queuePortal{base: base, dbURL: vars["DATABASE_URL"], vars: vars}
}

// token creates a machine token with scope for unit, as an operator does.
func (p *queuePortal) token(t *testing.T, unit, scope string) string {
	t.Helper()
	r := runCmd(t, p.vars, "", "token", "create", "-unit", unit, "-scope", scope)
	if r.status != 0 {
		t.Fatalf("token create: %d %s", r.status, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

// manager opens the portal's database directly, for set-up the API does
// not offer.
func (p *queuePortal) manager(t *testing.T) *queue.Manager {
	t.Helper()
	db, err := store.Open(context.Background(), p.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return queue.NewManager(db, nil, time.Now, nil)
}

// send makes a request with a JSON body and decodes the JSON answer into v
// (when v is not nil). headers are name, value pairs.
func sendJSON(t *testing.T, method, url string, body any, v any, headers ...string) *http.Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s %s: %d %v\n%s", method, url, resp.StatusCode, err, raw)
		}
	}
	return resp
}

type officesResponse struct {
	Items []officeJSON `json:"items"`
}

type queueResponse struct {
	Services []queueServiceJSON `json:"services"`
	Counters []queueCounterJSON `json:"counters"`
}

// counterID finds the ID of counter number n of an office.
func counterID(t *testing.T, base, office string, n int) int64 {
	t.Helper()
	_, offices := fetchJSON[officesResponse](t, base, "/api/v1/offices")
	for _, o := range offices.Items {
		for _, c := range o.Counters {
			if o.Code == office && c.Number == n {
				return c.ID
			}
		}
	}
	t.Fatalf("office %s has no counter %d", office, n)
	return 0
}

// issue takes a number through the API; a priority number is issued by
// counter staff (a counter token), who alone may with an enrolled kiosk.
func (p *queuePortal) issue(t *testing.T, service, priority string) ticketJSON {
	t.Helper()
	var tk ticketJSON
	var headers []string
	if priority != "" {
		if p.counterToken == "" {
			p.counterToken = p.token(t, "TB", "counter")
		}
		headers = []string{"Authorization", "Bearer " + p.counterToken}
	}
	resp := sendJSON(t, "POST", p.base+"/api/v1/offices/"+demo.Office+"/tickets", map[string]string{"service": service, "priority": priority}, &tk, headers...)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("issue %s: %d", service, resp.StatusCode)
	}
	return tk
}

func (p *queuePortal) act(t *testing.T, token string, counter int64, action string, body any, v any) *http.Response {
	t.Helper()
	return sendJSON(t, "POST", p.base+"/api/v1/counters/"+strconv.FormatInt(counter, 10)+"/"+action, body, v, "Authorization", "Bearer "+token)
}
