package web

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"motcua/internal/i18n"
)

func TestRendererSharesPartialsWithinAPageSet(t *testing.T) {
	assets, err := LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	text, err := i18n.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	pages := fstest.MapFS{
		"_shared.html": {Data: []byte(`{{define "greeting"}}<p id="g">xin chào {{.Data}}</p>{{end}}`)},
		"one.html":     {Data: []byte(`{{define "main"}}{{template "greeting" .}}one{{end}}`)},
		"two.html":     {Data: []byte(`{{define "main"}}{{template "greeting" .}}two{{end}}`)},
	}
	r, err := NewRenderer(assets, pages)
	if err != nil {
		t.Fatal(err)
	}
	if r.Has("_shared") {
		t.Error("a partial is served as a page")
	}
	for _, name := range []string{"one", "two"} {
		var buf bytes.Buffer
		if err := r.Render(&buf, name, Page{T: text.For("vi"), Lang: "vi", Path: "/", Data: "bạn"}); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); !strings.Contains(got, `<p id="g">xin chào bạn</p>`+name) {
			t.Errorf("page %s lacks the partial's output:\n%s", name, got)
		}
	}

	t.Run("a page using a partial of another set fails at start", func(t *testing.T) {
		other := fstest.MapFS{"three.html": {Data: []byte(`{{define "main"}}{{template "greeting" .}}{{end}}`)}}
		r, err := NewRenderer(assets, pages, other)
		if err != nil {
			return // refused at parse time: fine
		}
		var buf bytes.Buffer
		if err := r.Render(&buf, "three", Page{T: text.For("vi"), Lang: "vi", Path: "/"}); err == nil {
			t.Error("three rendered a partial of another page set")
		}
	})
}

func TestTelURLKeepsTheDigitsToDial(t *testing.T) {
	for in, want := range map[string]string{
		"0235 3874 123":      "tel:02353874123",
		"(+84) 235-3874-123": "tel:+842353874123",
		"+84 912.345.678":    "tel:+84912345678",
		"":                   "",
		"không có":           "",
	} {
		if got := string(TelURL(in)); got != want {
			t.Errorf("TelURL(%q) = %q, want %q", in, got, want)
		}
	}
}
