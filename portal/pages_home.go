package main

import (
	"github.com/gofiber/fiber/v2"
)

// homeData is what the home page shows besides its fixed text.
type homeData struct {
	Total  int
	Fields []fieldLink
}

// fieldLink is a field to browse: Value goes in the URL, Name is shown.
type fieldLink struct {
	Value string
	Name  string
	Count int
}

// pageHome is GET /: what the service is, a search box, the fields to
// browse and where and when to go.
func (s *server) pageHome(c *fiber.Ctx) error {
	lang := langOf(c)
	var d homeData
	for _, f := range s.catalog.Fields() {
		d.Fields = append(d.Fields, fieldLink{Value: f.Name, Name: f.LocalName(lang), Count: f.Count})
		d.Total += f.Count
	}
	return s.render(c, "home", s.tr(c).T("home.title"), d)
}
