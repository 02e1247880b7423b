package main

import (
	"fmt"
	"motcua/internal/demo"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOpenAPILive checks the document against a running demo portal: it is
// served, and real answers of the API, successes and errors, match the
// schemas it gives for their status.
func TestOpenAPILive(t *testing.T) {
	p := startDemoQueue(t, "sqlite")
	doc := loadOpenAPI(t)

	t.Run("the portal serves the document", func(t *testing.T) {
		resp, body := fetch(t, p.base, "/api/openapi.json")
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET /api/openapi.json: %d %q, want 200 application/json", resp.StatusCode, ct)
		}
		if body != string(openapiJSON) {
			t.Errorf("GET /api/openapi.json answered %d bytes that are not openapi.json (%d bytes)", len(body), len(openapiJSON))
		}
	})

	t.Run("real answers match the documented schemas", func(t *testing.T) {
		// call sends a request, checks the status and the body against the
		// document's schema for docPath, method and status, and returns the body.
		call := func(method, path, docPath string, body any, want int, headers ...string) map[string]any {
			t.Helper()
			var got any
			resp := sendJSON(t, method, p.base+path, body, &got, headers...)
			if resp.StatusCode != want {
				t.Errorf("%s %s: %d, want %d; body %v", method, path, resp.StatusCode, want, got)
			}
			op := dig(doc, "paths", docPath, strings.ToLower(method))
			res := dig(op, "responses", strconv.Itoa(resp.StatusCode))
			if op == nil || res == nil {
				t.Errorf("%s %s answered %d, which openapi.json does not list for %s", method, path, resp.StatusCode, docPath)
				return nil
			}
			schema := dig(resolve(doc, res), "content", "application/json", "schema")
			for _, e := range checkSchema(doc, schema, got, "$") {
				t.Errorf("%s %s (%d): %s", method, path, resp.StatusCode, e)
			}
			m, _ := got.(map[string]any)
			return m
		}
		str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }

		list := call("GET", "/api/v1/procedures?limit=5", "/api/v1/procedures", nil, 200)
		items, _ := list["items"].([]any)
		if len(items) == 0 {
			t.Fatalf("the demo catalog is empty: %v", list)
		}
		code := str(items[0].(map[string]any), "code")
		call("GET", "/api/v1/procedures?q=khai%20sinh&lang=en", "/api/v1/procedures", nil, 200)
		if away := call("GET", "/api/v1/procedures?q=lam%20ho%20chieu", "/api/v1/procedures", nil, 200); away["elsewhere"] == nil {
			t.Errorf("a passport query answered %v, want elsewhere", away)
		}
		call("GET", "/api/v1/procedures/"+url.PathEscape(code), "/api/v1/procedures/{code}", nil, 200)
		call("GET", "/api/v1/procedures/no-such-code", "/api/v1/procedures/{code}", nil, 404)
		call("GET", "/api/v1/procedures?limit=1000", "/api/v1/procedures", nil, 422)
		call("GET", "/api/v1/procedures?offset=many", "/api/v1/procedures", nil, 400)

		offices := call("GET", "/api/v1/offices", "/api/v1/offices", nil, 200)
		service, counter := demoServiceAndCounter(t, offices)
		call("GET", "/api/v1/offices/"+demo.Office+"/queue", "/api/v1/offices/{office}/queue", nil, 200)
		call("GET", "/api/v1/offices/NOPE/queue", "/api/v1/offices/{office}/queue", nil, 404)
		tk := call("POST", "/api/v1/offices/"+demo.Office+"/tickets", "/api/v1/offices/{office}/tickets", map[string]string{"service": service}, 201)
		call("POST", "/api/v1/offices/"+demo.Office+"/tickets", "/api/v1/offices/{office}/tickets", map[string]string{"service": "nope"}, 422)
		call("POST", "/api/v1/offices/"+demo.Office+"/tickets", "/api/v1/offices/{office}/tickets", `{"service": 1}`, 400)
		call("GET", "/api/v1/tickets/"+str(tk, "id"), "/api/v1/tickets/{id}", nil, 200)

		act := "/api/v1/counters/" + counter + "/"
		bearer := "Bearer " + p.token(t, "TB", "counter")
		call("POST", act+"next", "/api/v1/counters/{id}/{action}", nil, 200, "Authorization", bearer)
		call("POST", act+"done", "/api/v1/counters/{id}/{action}", map[string]string{"ticket": str(tk, "id")}, 200, "Authorization", bearer)
		call("POST", act+"done", "/api/v1/counters/{id}/{action}", nil, 409, "Authorization", bearer)
		call("POST", act+"next", "/api/v1/counters/{id}/{action}", nil, 401)

		sync := "/api/v1/sync/dossiers/000.00.31.H42-OPENAPI-0001"
		body := syncBodyAt(time.Now().Add(-2 * time.Hour))
		syncToken := "Bearer " + p.token(t, "TB", "sync")
		call("PUT", sync, "/api/v1/sync/dossiers/{code}", body, 201, "Authorization", syncToken)
		call("PUT", sync, "/api/v1/sync/dossiers/{code}", body, 200, "Authorization", syncToken)
		call("PUT", sync, "/api/v1/sync/dossiers/{code}", `{"extra": true}`, 422, "Authorization", syncToken)
		call("PUT", sync, "/api/v1/sync/dossiers/{code}", body, 401)
		call("PUT", sync, "/api/v1/sync/dossiers/{code}", body, 403, "Authorization", bearer)
		track := "/api/v1/dossiers/000.00.31.H42-OPENAPI-0001?phone="
		call("GET", track+"0912345678", "/api/v1/dossiers/{code}", nil, 200)
		call("GET", track+"0987654321", "/api/v1/dossiers/{code}", nil, 404)
		call("GET", track+"abc", "/api/v1/dossiers/{code}", nil, 422)

		// Satisfaction. Ratings and feedback share the look-up limit with
		// the tracking calls above (20 a minute): these stay under it.
		returned := "/api/v1/sync/dossiers/000.00.31.H42-OPENAPI-0002"
		call("PUT", returned, "/api/v1/sync/dossiers/{code}", returnedBodyAt(time.Now().Add(-3*time.Hour)), 201, "Authorization", syncToken)
		rate := "/api/v1/dossiers/000.00.31.H42-OPENAPI-0002/ratings"
		call("POST", rate, "/api/v1/dossiers/{code}/ratings", map[string]any{"phone": "0987654321", "answers": map[string]int{"overall": 2}}, 404)
		call("POST", "/api/v1/dossiers/000.00.31.H42-OPENAPI-0001/ratings", "/api/v1/dossiers/{code}/ratings",
			map[string]any{"phone": "0912345678", "answers": map[string]int{"overall": 2}}, 422)
		call("POST", rate, "/api/v1/dossiers/{code}/ratings", map[string]any{"phone": "0912345678", "answers": map[string]int{"overall": 0, "trips": 1}, "comment": "Chờ lâu"}, 201)
		call("POST", rate, "/api/v1/dossiers/{code}/ratings", map[string]any{"phone": "0912345678", "answers": map[string]int{"overall": 2}}, 409)
		visit := "/api/v1/tickets/" + str(tk, "id") + "/ratings"
		call("POST", visit, "/api/v1/tickets/{id}/ratings", map[string]any{"answers": map[string]int{"overall": 2}}, 201)
		call("POST", visit, "/api/v1/tickets/{id}/ratings", map[string]any{"answers": map[string]int{"overall": 1}}, 409)
		waiting := call("POST", "/api/v1/offices/"+demo.Office+"/tickets", "/api/v1/offices/{office}/tickets", map[string]string{"service": service}, 201)
		call("POST", "/api/v1/tickets/"+str(waiting, "id")+"/ratings", "/api/v1/tickets/{id}/ratings", map[string]any{"answers": map[string]int{"overall": 2}}, 422)
		call("GET", "/api/v1/ratings/questions?lang=en", "/api/v1/ratings/questions", nil, 200)
		call("GET", "/api/v1/satisfaction?unit=TB", "/api/v1/satisfaction", nil, 200)
		call("GET", "/api/v1/satisfaction?from=2026-02-30", "/api/v1/satisfaction", nil, 422)
		fb := call("POST", "/api/v1/feedback", "/api/v1/feedback", map[string]any{"about": map[string]string{"kind": "procedure", "ref": code},
			"name": "Trần Thị Bình", "phone": "0912345678", "content": "Đề nghị niêm yết rõ lệ phí."}, 201)
		call("POST", "/api/v1/feedback", "/api/v1/feedback", map[string]any{"about": map[string]string{"kind": "mayor", "ref": "x"}}, 422)
		call("GET", "/api/v1/feedback/"+str(fb, "code")+"?phone=0912345678", "/api/v1/feedback/{code}", nil, 200)
		call("GET", "/api/v1/feedback/"+str(fb, "code")+"?phone=0987654321", "/api/v1/feedback/{code}", nil, 404)
		call("POST", "/api/v1/feedback/"+str(fb, "code")+"/verdict", "/api/v1/feedback/{code}/verdict", map[string]any{"phone": "0912345678", "satisfied": true}, 422)

		call("GET", "/healthz", "/healthz", nil, 200)
		call("GET", "/readyz", "/readyz", nil, 200)
	})
}

// returnedBodyAt is a sync body of a dossier of 0912345678 received at the
// given time and since handed over.
func returnedBodyAt(at time.Time) string {
	ts := func(d time.Duration) string { return at.Add(d).UTC().Format(time.RFC3339) }
	return fmt.Sprintf(`{"procedure_code": "1.001193", "unit": "TB",
 "applicant": {"name": "Nguyễn Văn An", "phone": "0912345678"},
 "channel": "counter", "received_at": %q, "due_at": null, "status": "returned",
 "events": [{"at": %q, "status": "received", "note": ""}, {"at": %q, "status": "in_progress", "note": ""},
            {"at": %q, "status": "done", "note": ""}, {"at": %q, "status": "returned", "note": ""}],
 "apology": null}`, ts(0), ts(0), ts(time.Minute), ts(time.Hour), ts(2*time.Hour))
}

// demoServiceAndCounter picks from GET /api/v1/offices a service of the
// demo office and the id of a counter that serves it.
func demoServiceAndCounter(t *testing.T, offices map[string]any) (string, string) {
	t.Helper()
	items, _ := offices["items"].([]any)
	for _, o := range items {
		o := o.(map[string]any)
		if o["code"] != demo.Office {
			continue
		}
		counters, _ := o["counters"].([]any)
		for _, c := range counters {
			c := c.(map[string]any)
			if svcs, _ := c["services"].([]any); len(svcs) > 0 {
				return svcs[0].(string), strconv.FormatFloat(c["id"].(float64), 'f', -1, 64)
			}
		}
	}
	t.Fatalf("no counter of %s in %v", demo.Office, offices)
	return "", ""
}

// syncBodyAt is the sync body of portal/openapi.json, received at the given time.
func syncBodyAt(at time.Time) string {
	ts := at.UTC().Format(time.RFC3339)
	return fmt.Sprintf(`{"procedure_code": "1.001193", "unit": "TB",
 "applicant": {"name": "Nguyễn Văn An", "phone": "0912345678"},
 "channel": "counter", "received_at": %q, "due_at": null,
 "status": "in_progress", "digitized": true, "e_result": false, "reused_data": false,
 "has_fee": false, "paid_online": false, "synced_national": false,
 "events": [{"at": %q, "status": "received", "note": ""},
            {"at": %q, "status": "in_progress", "note": "Chuyển phòng Tư pháp"}],
 "apology": null}`, ts, ts, ts)
}
