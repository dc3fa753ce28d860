package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeTags is the JSON array of the axe-core rule tags that Axe runs: WCAG 2.0
// and 2.1 at levels A and AA, and the axe best practices.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]`

// axeScript is the path of axe-core below the repository root. npm installs
// it from package.json (`make assets` or `npm ci`).
const axeScript = "node_modules/axe-core/axe.min.js"

// AxeViolation is one axe-core rule that the page breaks.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element that breaks a rule.
type AxeNode struct {
	// Target holds the CSS selectors of the element. It has more than one
	// entry only for an element in an iframe or a shadow root.
	Target []string `json:"target"`
	// HTML is the start of the element's markup.
	HTML string `json:"html"`
	// FailureSummary says what to fix.
	FailureSummary string `json:"failureSummary"`
}

// String returns the violation as readable lines, one per element.
func (v AxeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		html := strings.Join(strings.Fields(n.HTML), " ")
		if r := []rune(html); len(r) > 160 {
			html = string(r[:160]) + "…"
		}
		fmt.Fprintf(&b, "\n      at %s: %s", strings.Join(n.Target, " "), html)
		if n.FailureSummary != "" {
			fmt.Fprintf(&b, "\n        %s", strings.ReplaceAll(n.FailureSummary, "\n", "\n        "))
		}
	}
	return b.String()
}

// axeRun runs axe on the document and returns the violations in a compact
// form. The %s is the JSON array of tags.
const axeRun = `(async () => {
	const r = await axe.run(document, {runOnly: %s, resultTypes: ["violations"]});
	return r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
			html: n.html,
			failureSummary: n.failureSummary || "",
		})),
	}));
})()`

// AxeViolations runs axe-core on the page in the tab of ctx and returns the
// rules that the page breaks, for the tags wcag2a, wcag2aa, wcag21a, wcag21aa
// and best-practice. It fails the test when axe-core is not installed or does
// not run.
//
// Axe-core is read from node_modules at the repository root and evaluated
// through the DevTools protocol (Runtime.evaluate), which the page's Content
// Security Policy does not restrict, so it works on pages with a strict CSP
// and leaves no trace in the page's own script sources.
// settle resolves when no CSS or Web animation is running, or after two
// seconds.
const settle = `new Promise((resolve) => {
	const start = performance.now();
	const check = () => {
		const running = document.getAnimations().some((a) => a.playState === "running");
		if (!running || performance.now() - start > 2000) resolve(true);
		else setTimeout(check, 50);
	};
	check();
})`

func AxeViolations(ctx context.Context, t testing.TB) []AxeViolation {
	t.Helper()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		t.Fatalf("axe: checking the page: %v", err)
	}
	if !loaded {
		path := filepath.Join(RepoRoot(t), filepath.FromSlash(axeScript))
		src, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			t.Fatalf("axe: %s is missing. Run `make assets` (or `npm ci`) at the repository root.", path)
		}
		if err != nil {
			t.Fatalf("axe: reading %s: %v", path, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
			t.Fatalf("axe: loading axe-core into the page: %v", err)
		}
	}
	// Contrast measured halfway through a fade-in is not the page's
	// contrast: let running animations (and charts' entry animations)
	// finish first, for at most two seconds.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](settle, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("axe: waiting for animations: %v", err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](fmt.Sprintf(axeRun, axeTags), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: running the audit: %v", err)
	}
	return violations
}

// Axe runs axe-core on the page in the tab of ctx (see AxeViolations) and
// fails the test, listing each violation with its elements, when the page
// breaks any rule.
func Axe(ctx context.Context, t testing.TB) {
	t.Helper()
	violations := AxeViolations(ctx, t)
	if len(violations) == 0 {
		return
	}
	var b strings.Builder
	page, _ := chromedp.Run(ctx, chromedp.Location())
	fmt.Fprintf(&b, "axe found %d accessibility violation(s) on %s:", len(violations), page)
	for _, v := range violations {
		b.WriteString("\n  - " + v.String())
	}
	t.Error(b.String())
}
