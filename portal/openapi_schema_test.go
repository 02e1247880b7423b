package main

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// A light JSON Schema check, enough to hold openapi.json to what the
// handlers really send: $ref, allOf, oneOf/anyOf, type (also as a list),
// enum, const, properties, required and items. It is stricter than JSON
// Schema on one point, on purpose: every member of an object must be
// declared, so that a field added to a handler and not to the document
// fails the test.

// resolve follows a local $ref ("#/components/schemas/X") to its target.
func resolve(doc, schema map[string]any) map[string]any {
	for i := 0; i < 16; i++ {
		ref, ok := schema["$ref"].(string)
		if !ok {
			return schema
		}
		var node any = doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := node.(map[string]any)
			node = m[part]
		}
		next, ok := node.(map[string]any)
		if !ok {
			return map[string]any{"not": "$ref " + ref + " does not resolve"}
		}
		schema = next
	}
	return schema
}

// checkSchema returns what is wrong with v against schema, one line each,
// naming the place with at ("$.items[0].code").
func checkSchema(doc, schema map[string]any, v any, at string) []string {
	schema = resolve(doc, schema)
	if bad, ok := schema["not"].(string); ok {
		return []string{at + ": " + bad}
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		if branches, ok := schema[key].([]any); ok {
			var all []string
			for _, b := range branches {
				errs := checkSchema(doc, b.(map[string]any), v, at)
				if len(errs) == 0 {
					return nil
				}
				all = append(all, errs...)
			}
			return []string{fmt.Sprintf("%s: matches no branch of %s: %s", at, key, strings.Join(all, "; "))}
		}
	}
	if parts, ok := schema["allOf"].([]any); ok {
		schema = mergeAllOf(doc, parts)
	}
	if c, ok := schema["const"]; ok && !reflect.DeepEqual(c, v) {
		return []string{fmt.Sprintf("%s: %v, want %v", at, v, c)}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		return []string{fmt.Sprintf("%s: %v is not one of %v", at, v, enum)}
	}
	if !typeOK(schema["type"], v) {
		return []string{fmt.Sprintf("%s: %s, want type %v", at, jsonType(v), schema["type"])}
	}
	switch x := v.(type) {
	case map[string]any:
		return checkObject(doc, schema, x, at)
	case []any:
		items, ok := schema["items"].(map[string]any)
		if !ok {
			return nil
		}
		var errs []string
		for i, item := range x {
			errs = append(errs, checkSchema(doc, items, item, fmt.Sprintf("%s[%d]", at, i))...)
		}
		return errs
	}
	return nil
}

func checkObject(doc, schema map[string]any, obj map[string]any, at string) []string {
	props, _ := schema["properties"].(map[string]any)
	var errs []string
	required, _ := schema["required"].([]any)
	for _, r := range required {
		if _, ok := obj[r.(string)]; !ok {
			errs = append(errs, fmt.Sprintf("%s: required member %q is missing", at, r))
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := props[k].(map[string]any)
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: member %q is not in the document", at, k))
			continue
		}
		errs = append(errs, checkSchema(doc, p, obj[k], at+"."+k)...)
	}
	return errs
}

// mergeAllOf folds the parts of an allOf into one object schema.
func mergeAllOf(doc map[string]any, parts []any) map[string]any {
	props, required := map[string]any{}, []any{}
	out := map[string]any{"properties": props}
	for _, p := range parts {
		s := resolve(doc, p.(map[string]any))
		if nested, ok := s["allOf"].([]any); ok {
			s = mergeAllOf(doc, nested)
		}
		sp, _ := s["properties"].(map[string]any)
		for k, v := range sp {
			props[k] = v
		}
		if r, ok := s["required"].([]any); ok {
			required = append(required, r...)
		}
		if t, ok := s["type"]; ok {
			out["type"] = t
		}
	}
	out["required"] = required
	return out
}

func typeOK(want, v any) bool {
	switch w := want.(type) {
	case nil:
		return true
	case string:
		got := jsonType(v)
		return got == w || (w == "number" && got == "integer")
	case []any:
		for _, one := range w {
			if typeOK(one, v) {
				return true
			}
		}
	}
	return false
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// TestOpenAPISchemaCheck shows that the checker fails where it should, so
// that the response tests can fail.
func TestOpenAPISchemaCheck(t *testing.T) {
	doc := loadOpenAPI(t)
	summary := map[string]any{"$ref": "#/components/schemas/ProcedureSummary"}
	detail := map[string]any{"$ref": "#/components/schemas/ProcedureDetail"}
	dossier := map[string]any{"$ref": "#/components/schemas/Dossier"}
	good := func() map[string]any {
		return map[string]any{"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "level": "commune",
			"agency": "UBND xã", "processing_days": 0.0, "fee": "", "online": "full"}
	}
	with := func(k string, v any) map[string]any { m := good(); m[k] = v; return m }
	without := func(k string) map[string]any { m := good(); delete(m, k); return m }
	tests := []struct {
		name   string
		schema map[string]any
		v      any
		want   string // "" when valid
		not    string // must not be reported
	}{
		{"a real summary passes", summary, good(), "", ""},
		{"an undeclared member fails", summary, with("extra", 1.0), `member "extra" is not in the document`, ""},
		{"a missing required member fails", summary, without("fee"), `required member "fee" is missing`, ""},
		{"a wrong type fails", summary, with("processing_days", "3"), "want type integer", ""},
		{"a fraction is not an integer", summary, with("processing_days", 1.5), "want type integer", ""},
		{"a value outside the enum fails", summary, with("online", "mostly"), "is not one of", ""},
		{"allOf needs the members of every part", detail, good(), `required member "documents" is missing`, ""},
		{"a null apology passes", dossier, map[string]any{"apology": nil}, `required member "code" is missing`, "$.apology"},
		{"an apology that is not an object fails", dossier, map[string]any{"apology": "soon"}, "$.apology: matches no branch of oneOf", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := strings.Join(checkSchema(doc, tt.schema, tt.v, "$"), "\n")
			if tt.want == "" && errs != "" || !strings.Contains(errs, tt.want) {
				t.Errorf("errors:\n%s\nwant one containing %q", errs, tt.want)
			}
			if tt.not != "" && strings.Contains(errs, tt.not) {
				t.Errorf("errors:\n%s\nwant none about %q", errs, tt.not)
			}
		})
	}
}
