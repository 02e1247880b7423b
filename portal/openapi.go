package main

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openapiJSON describes the JSON API. It is written by hand next to the
// handlers it describes; openapi_test.go fails when a route and the document
// disagree, and checks real responses against its schemas.
//
//go:embed openapi.json
var openapiJSON []byte

// apiOpenAPI is GET /api/openapi.json.
func (s *server) apiOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(openapiJSON)
}
