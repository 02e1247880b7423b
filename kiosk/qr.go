package kiosk

import (
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSVG draws a QR code of content as inline SVG: sharp at any size on the
// screen and on a receipt printer, a few hundred bytes, and no image request
// (the ticket page needs nothing but itself). label is the accessible name.
func qrSVG(content, label string) (template.HTML, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("kiosk: qr code: %w", err)
	}
	bits := q.Bitmap() // with the quiet zone around it
	n := len(bits)
	var d strings.Builder
	for y, row := range bits {
		// One rectangle per run of dark modules keeps the path short.
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		n, n, template.HTMLEscapeString(label), n, n, d.String())
	return template.HTML(svg), nil
}
