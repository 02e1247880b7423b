package main

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"motcua/internal/apperr"
	"motcua/internal/i18n"
	"motcua/internal/unit"
)

// satisfactionData is the public /satisfaction page.
type satisfactionData struct {
	S      satisfactionJSON
	Units  []unit.Unit
	Chart  template.HTML
	Error  string
	Fields map[string]string
	Unit   string
	From   string
	To     string
}

// pageSatisfaction is GET /satisfaction?unit=&from=&to=: satisfaction per
// unit, service and counter over a period, each with the number of ratings
// behind it, a chart drawn on the server, and feedback answered on time.
func (s *server) pageSatisfaction(c *fiber.Ctx) error {
	t := s.tr(c)
	units, err := s.units.List(c.UserContext())
	if err != nil {
		return err
	}
	data := satisfactionData{Units: units, Unit: c.Query("unit"), From: c.Query("from"), To: c.Query("to")}
	data.S, err = s.satisfaction(c)
	if err != nil {
		ae := apperr.As(err)
		if ae.Code != apperr.Invalid {
			return err
		}
		c.Status(fiber.StatusUnprocessableEntity)
		var fields []apperr.FieldError
		data.Error, fields = translateError(t, ae)
		data.Fields = map[string]string{}
		for _, f := range fields {
			data.Fields[f.Field] = f.Message
		}
		return s.render(c, "satisfaction", t.T("satisfaction.title"), data)
	}
	if data.From == "" {
		data.From, data.To = data.S.From, data.S.To
	}
	rows := data.S.Units
	if data.S.Unit != "" {
		rows = data.S.Services
	}
	data.Chart = barChart(t, rows, t.T("satisfaction.chart.label"))
	return s.render(c, "satisfaction", t.T("satisfaction.title"), data)
}

// barChart draws satisfied-% bars, one per figure, with the number of
// ratings behind each: inline SVG, no script, readable without colour (the
// figures are also written out).
func barChart(t *i18n.Translator, rows []figureJSON, label string) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	const (
		left, barW, rowH, top = 260, 420, 34, 10
		width                 = left + barW + 170
	)
	height := top*2 + rowH*len(rows)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		width, height, width, height, template.HTMLEscapeString(label))
	for _, x := range []int{0, 50, 80, 100} {
		px := left + barW*x/100
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#b1b4b6"/>`, px, top/2, px, height-top/2)
	}
	for i, r := range rows {
		y := top + i*rowH
		name := r.Name
		if len([]rune(name)) > 34 {
			name = string([]rune(name)[:33]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left-8, y+rowH/2+5, template.HTMLEscapeString(name))
		value := t.T("satisfaction.no_data")
		if r.Percent != nil {
			w := int(float64(barW) * *r.Percent / 100)
			colour := "#00703c"
			if *r.Percent < 80 {
				colour = "#f47738"
			}
			if *r.Percent < 50 {
				colour = "#d4351c"
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, left, y+6, w, rowH-12, colour)
			value = fmt.Sprintf("%.1f%%", *r.Percent)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s · %s</text>`, left+barW+8, y+rowH/2+5, template.HTMLEscapeString(value),
			template.HTMLEscapeString(t.N("satisfaction.ratings", r.Ratings)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
