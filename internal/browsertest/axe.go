package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeDir holds the package.json and package-lock.json that pin axe-core.
const axeDir = "tools/axe"

// Violation is one axe-core rule that the page breaks.
type Violation struct {
	ID      string `json:"id"`     // the rule, such as "image-alt"
	Impact  string `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks the rule.
type Node struct {
	Target  []string `json:"target"` // CSS selectors, one per frame
	HTML    string   `json:"html"`
	Summary string   `json:"failureSummary"`
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t%s  %s", strings.Join(n.Target, " "), n.HTML)
	}
	return b.String()
}

// axeRun runs the WCAG 2.0 and 2.1 A and AA rules on the whole document.
const axeRun = `axe.run(document, {
	runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
	resultTypes: ["violations"],
}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
		html: n.html, failureSummary: n.failureSummary || "",
	})),
})))`

// Axe runs axe-core on the page that the tab shows now and returns what it
// finds.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src := axeSource(t)
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !loaded {
		err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src))
	}
	if err != nil {
		t.Fatalf("browsertest: inject axe-core: %v", err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browsertest: run axe-core: %v", err)
	}
	return vs
}

// AssertNoSerious fails the test for each serious or critical violation on
// the page that the tab shows now, and logs the moderate and minor ones. page
// names the page in the messages.
func AssertNoSerious(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	for _, v := range Axe(t, ctx) {
		switch v.Impact {
		case "serious", "critical":
			t.Errorf("%s: accessibility: %s", page, v)
		default:
			t.Logf("%s: accessibility: %s", page, v)
		}
	}
}

// axe is axe.min.js, read once per test binary.
var axe struct {
	once sync.Once
	src  string
	err  error
	skip bool // the error may be a skip where no browser is required
}

// axeSource returns axe.min.js, running npm ci first when it is missing.
func axeSource(t testing.TB) string {
	t.Helper()
	axe.once.Do(func() { axe.src, axe.skip, axe.err = loadAxe() })
	if axe.err != nil {
		if axe.skip {
			unavailable(t, axe.err)
		}
		t.Fatalf("browsertest: %v", axe.err)
	}
	return axe.src
}

func loadAxe() (src string, skip bool, err error) {
	root, err := moduleRoot()
	if err != nil {
		return "", false, err
	}
	path := filepath.Join(root, axeDir, "node_modules", "axe-core", "axe.min.js")
	if b, err := os.ReadFile(path); err == nil {
		return string(b), false, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", true, fmt.Errorf("no axe-core: %s is missing and npm is not on PATH to install it (npm ci --prefix %s)", path, axeDir)
	}
	// Test binaries of several packages run at once: one installs, the
	// others wait and then find the file.
	unlock, err := lockFile(filepath.Join(root, axeDir, "package.json"))
	if err != nil {
		return "", false, err
	}
	defer unlock()
	if b, err := os.ReadFile(path); err == nil {
		return string(b), false, nil
	}
	cmd := exec.Command(npm, "ci", "--prefix", axeDir, "--no-audit", "--no-fund")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", true, fmt.Errorf("no axe-core: npm ci --prefix %s: %v\n%s", axeDir, err, out)
	}
	b, err := os.ReadFile(path)
	return string(b), false, err
}

// moduleRoot walks up from the working directory, the package's directory
// under go test, to the directory that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
