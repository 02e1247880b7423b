package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Screenshot saves a PNG of the whole page, for a person to look at, and
// returns where. A relative path is taken inside t.ArtifactDir(), so that
// screenshots stay out of the source tree; keep them with
//
//	go test -artifacts -outputdir /tmp/shots ./portal
func Screenshot(t testing.TB, ctx context.Context, path string) string {
	t.Helper()
	if !filepath.IsAbs(path) {
		path = filepath.Join(t.ArtifactDir(), path)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	t.Logf("browsertest: screenshot %s", path)
	return path
}

// Text returns the visible text of the first element that the CSS selector
// matches, without leading and trailing space. It waits for the element to
// appear, as long as ctx lets it.
func Text(ctx context.Context, sel string) (string, error) {
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	return strings.TrimSpace(s), err
}
