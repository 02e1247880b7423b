package kiosk

import (
	"fmt"
	"html/template"
	"strings"
)

// barRow is one row of a horizontal bar chart: a label and one value per
// series, drawn as bars one under the other.
type barRow struct {
	Label  string
	Values []float64
}

// Sizes of the chart in SVG units; the viewBox scales it to the page.
const (
	chartWidth  = 640
	chartLabelW = 200
	chartBarH   = 18
	chartGap    = 12
	chartValueW = 90
)

// barChart draws a small horizontal bar chart as inline SVG, server-side,
// with no script. series holds a CSS class per series (s-bar, s-bar-long),
// format turns a value into the text written after its bar. The table next
// to the chart carries the same numbers for screen readers, so the chart
// is one image with a title.
func barChart(title string, rows []barRow, series []string, format func(float64) string) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	top := 0.0
	for _, r := range rows {
		for _, v := range r.Values {
			top = max(top, v)
		}
	}
	if top == 0 {
		top = 1
	}
	rowH := chartBarH*len(series) + chartGap
	height := rowH*len(rows) + chartGap
	span := float64(chartWidth - chartLabelW - chartValueW)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="s-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartWidth, height, template.HTMLEscapeString(title))
	for i, r := range rows {
		y := chartGap + i*rowH
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, y+chartBarH, template.HTMLEscapeString(clip(r.Label, 26)))
		for j, v := range r.Values {
			by := y + j*chartBarH
			w := v / top * span
			fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="%d"/>`, series[j], chartLabelW, by, w, chartBarH-2)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`, float64(chartLabelW)+w+6, by+chartBarH-3, template.HTMLEscapeString(format(v)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// clip shortens a label that would run into the bars.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
