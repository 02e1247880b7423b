package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// The access log's own line is byte for byte the line slog's JSON handler
// writes for the same request, whatever the path holds.
func TestAccessLineIsSlogsLine(t *testing.T) {
	at := time.Date(2026, 12, 1, 18, 12, 45, 123456789, time.FixedZone("ICT", 7*3600))
	for _, tc := range []struct {
		path string
		ms   float64
	}{
		{"/healthz", 0.123},
		{"/api/v1/procedures", 0},
		{"/thủ-tục/\"quoted\"\\back", 12.5},
		{"/ctl\x00\x01\t\n\r\x1f\x7f", 1000.001},
		{"/bad\xff\xfeutf8", 3},
		{"/sep\u2028\u2029<>&", 0.001},
	} {
		var want bytes.Buffer
		h := slog.NewJSONHandler(&want, nil)
		r := slog.NewRecord(at, slog.LevelInfo, "request", 0)
		r.AddAttrs(slog.String("request_id", "0123456789abcdef"), slog.String("method", "GET"), slog.String("path", tc.path),
			slog.String("route", "/:code"), slog.Int("status", 404), slog.Float64("duration_ms", tc.ms), slog.String("ip", "127.0.0.1"))
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		l := accessLine{at: at, requestID: "0123456789abcdef", method: "GET", path: tc.path, route: "/:code", status: 404, durationMS: tc.ms, ip: "127.0.0.1"}
		if err := l.write(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("path %q:\n got %s\nwant %s", tc.path, got.String(), want.String())
		}
	}
}
