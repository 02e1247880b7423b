package main

import (
	"fmt"
	"html/template"
	"strings"

	"motcua/internal/web"
)

// The scorecard's charts are inline SVG drawn on the server: readable
// without JavaScript, printable, and each one an image with a title, whose
// numbers are also in the table beside it.

// scoreBar is one bar: a label, a score and its maximum.
type scoreBar struct {
	Label string
	Score float64
	Max   float64
	Mark  bool // drawn in the highlight colour (the unit shown)
}

const (
	svgWidth  = 720
	svgLabelW = 260
	svgValueW = 90
	svgBarH   = 22
	svgGap    = 10
)

// barsSVG draws each score as a bar against its maximum.
func barsSVG(title string, bars []scoreBar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	span := float64(svgWidth - svgLabelW - svgValueW)
	height := len(bars)*(svgBarH+svgGap) + svgGap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="sc-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`,
		svgWidth, height, template.HTMLEscapeString(title), template.HTMLEscapeString(title))
	for i, r := range bars {
		y := svgGap + i*(svgBarH+svgGap)
		w := 0.0
		if r.Max > 0 {
			w = min(r.Score/r.Max, 1) * span
		}
		class := "sc-bar"
		if r.Mark {
			class = "sc-bar sc-mark"
		}
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, y+svgBarH-6, template.HTMLEscapeString(clipLabel(r.Label, 34)))
		fmt.Fprintf(&b, `<rect class="sc-track" x="%d" y="%d" width="%.1f" height="%d"/>`, svgLabelW, y, span, svgBarH)
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="%d"/>`, class, svgLabelW, y, w, svgBarH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s / %s</text>`, float64(svgLabelW)+span+6, y+svgBarH-6, fmtScore(r.Score), fmtScore(r.Max))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// linePoint is one month of the trend.
type linePoint struct {
	Label string
	Value float64
}

// lineSVG draws the totals month by month on a 0 to 100 scale, with the
// grade lines of 50, 70, 80 and 90.
func lineSVG(title string, pts []linePoint) template.HTML {
	if len(pts) == 0 {
		return ""
	}
	const w, h, left, bottom, top = 720, 260, 40, 30, 10
	plotW, plotH := float64(w-left-50), float64(h-bottom-top)
	x := func(i int) float64 {
		if len(pts) == 1 {
			return left + plotW/2
		}
		return left + float64(i)*plotW/float64(len(pts)-1)
	}
	y := func(v float64) float64 { return top + plotH - v/100*plotH }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="sc-chart sc-line" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`,
		w, h, template.HTMLEscapeString(title), template.HTMLEscapeString(title))
	for _, g := range []float64{0, 50, 70, 80, 90, 100} {
		fmt.Fprintf(&b, `<line class="sc-grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><text class="sc-axis" x="0" y="%.1f">%g</text>`,
			left, y(g), w-50, y(g), y(g)+4, g)
	}
	var path []string
	for i, p := range pts {
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Value)))
	}
	fmt.Fprintf(&b, `<polyline class="sc-trend" points="%s"/>`, strings.Join(path, " "))
	for i, p := range pts {
		fmt.Fprintf(&b, `<circle class="sc-dot" cx="%.1f" cy="%.1f" r="4"/>`, x(i), y(p.Value))
		fmt.Fprintf(&b, `<text class="sc-axis" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(i), h-8, template.HTMLEscapeString(p.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func clipLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func fmtScore(v float64) string { return web.FormatPoints(v) }
