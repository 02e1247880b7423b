package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/dossier"
	"motcua/internal/queue"
	"motcua/internal/store/storetest"
	"motcua/internal/web"
)

// loadOpenAPI decodes the embedded document.
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// dig walks nested JSON objects by their keys; nil when one is missing.
func dig(v any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	m, _ := v.(map[string]any)
	return m
}

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// docOperations lists the document's operations as "GET /api/v1/x/{id}".
func docOperations(doc map[string]any) map[string]map[string]any {
	ops := map[string]map[string]any{}
	for path, item := range dig(doc, "paths") {
		for method, op := range item.(map[string]any) {
			if slices.Contains(httpMethods, method) {
				ops[strings.ToUpper(method)+" "+path] = op.(map[string]any)
			}
		}
	}
	return ops
}

var routeParam = regexp.MustCompile(`:(\w+)\??`)

// openAPIPath writes a Fiber route path as OpenAPI does: :id is {id}.
func openAPIPath(route string) string { return routeParam.ReplaceAllString(route, "{$1}") }

// collectRefs calls f with every $ref in v.
func collectRefs(v any, f func(string)) {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			f(ref)
		}
		for _, e := range x {
			collectRefs(e, f)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, f)
		}
	}
}

func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	if info := dig(doc, "info"); info["title"] != "motcua" || info["version"] == "" || info["version"] == nil {
		t.Errorf("info = %v, want title motcua and a version", info)
	}
	collectRefs(doc, func(ref string) {
		if _, bad := resolve(doc, map[string]any{"$ref": ref})["not"]; bad || !strings.HasPrefix(ref, "#/components/") {
			t.Errorf("$ref %q does not resolve", ref)
		}
	})
	t.Run("path parameters match the paths", func(t *testing.T) {
		for name, op := range docOperations(doc) {
			want := regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(name, -1)
			var wantNames, got []string
			for _, m := range want {
				wantNames = append(wantNames, m[1])
			}
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				if p := resolve(doc, p.(map[string]any)); p["in"] == "path" {
					got = append(got, p["name"].(string))
				}
			}
			sort.Strings(wantNames)
			sort.Strings(got)
			if !slices.Equal(got, wantNames) {
				t.Errorf("%s declares path parameters %v, want %v", name, got, wantNames)
			}
		}
	})
	t.Run("dossier statuses carry their national codes", func(t *testing.T) {
		st := dig(doc, "components", "schemas", "DossierStatus")
		codes := dig(st, "x-national-codes")
		desc, _ := st["description"].(string)
		if got, want := len(st["enum"].([]any)), len(dossier.Statuses); got != want || len(codes) != want {
			t.Errorf("%d statuses and %d codes documented, want %d", got, len(codes), want)
		}
		for _, s := range dossier.Statuses {
			if !slices.Contains(st["enum"].([]any), any(string(s))) {
				t.Errorf("status %s is not in the enum", s)
			}
			if got := codes[string(s)]; got != float64(s.NationalCode()) {
				t.Errorf("national code of %s = %v, want %d", s, got, s.NationalCode())
			}
			if want := fmt.Sprintf("`%s` %d", s, s.NationalCode()); !strings.Contains(desc, want) {
				t.Errorf("description does not say %q", want)
			}
		}
	})
	t.Run("the error codes are every code the server answers", func(t *testing.T) {
		enum := dig(doc, "components", "schemas", "Error", "properties", "error", "properties", "code")["enum"].([]any)
		desc, _ := dig(doc, "info")["description"].(string)
		for _, c := range []apperr.Code{apperr.Malformed, apperr.Unauthorized, apperr.Forbidden, apperr.NotFound, apperr.Conflict,
			apperr.Invalid, apperr.TooLarge, apperr.HeaderTooBig, apperr.RateLimited, apperr.Unavailable, apperr.Internal} {
			if !slices.Contains(enum, any(string(c))) {
				t.Errorf("error code %q is not in the enum %v", c, enum)
			}
			if st := web.Status(c); c != apperr.Internal && c != apperr.Unauthorized &&
				!strings.Contains(desc, strconv.Itoa(st)+" ") {
				t.Errorf("the description does not give status %d (%s)", st, c)
			}
		}
	})
	t.Run("enums list what the services accept", func(t *testing.T) {
		var channels, groups []any
		for _, c := range dossier.Channels {
			channels = append(channels, string(c))
		}
		for _, g := range queue.PriorityGroups {
			groups = append(groups, g.Key)
		}
		for name, want := range map[string][]any{"Channel": channels, "PriorityGroupKey": groups} {
			if got := dig(doc, "components", "schemas", name)["enum"].([]any); !slices.Equal(got, want) {
				t.Errorf("%s enum = %v, want %v", name, got, want)
			}
		}
	})
}

// TestOpenAPIMatchesRoutes fails when a route under /api/ is not documented
// or the document describes a route that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": storetest.URL(t, "sqlite"), "MOTCUA_DATA_DIR": t.TempDir()}
	e, err := open(context.Background(), func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	_, app, err := newServer(e)
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method != fiber.MethodHead {
			routes[r.Method+" "+openAPIPath(r.Path)] = true
		}
	}
	if !routes["GET /api/v1/procedures/{code}"] || !routes["GET /api/openapi.json"] {
		t.Fatalf("the app's routes do not look like the portal's: %v", routes)
	}
	documented := docOperations(loadOpenAPI(t))
	for op := range routes {
		if strings.HasPrefix(strings.SplitN(op, " ", 2)[1], "/api/") && documented[op] == nil {
			t.Errorf("route %s is not in openapi.json", op)
		}
	}
	for op := range documented {
		if !routes[op] {
			t.Errorf("openapi.json describes %s, which is not a route", op)
		}
	}
}
