"""WCAG 2.1 AA checks with axe-core (the npm package in node_modules/, installed by `make test`).

`assert_accessible(page)` injects axe into the page Playwright shows and fails on any serious or critical
violation, listing rule, impact and the offending elements so the message says what to fix.

`assert_charts_reviewed(page)` holds the page's SVG charts to more: no axe-core finding of any impact in them,
and every text in them measured in the browser against what is actually painted behind it (at least 4.5:1,
3:1 for large text). axe-core cannot tell the background of SVG text: it reports every such text as «needs
review» (color-contrast, «contains an image node» or «overlapped by another element»; axe-core issue #1819).
Those reports, and only those, are answered by the measurement here; any other «needs review» in a chart fails.

The tags come from the accessibility statement (accessibility/statement.py), which tells the public what is
checked.
"""

import os
from pathlib import Path

import pytest

from accessibility.statement import AXE_TAGS

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = list(AXE_TAGS)
# The reasons axe-core gives for not deciding the contrast of SVG text; the suite measures those texts itself.
SVG_TEXT_REASONS = {"imgNode", "bgOverlap", "shortTextContent", "elmPartiallyObscured", "elmPartiallyObscuring"}


def axe_results(page) -> dict:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true, men axe-core mangler: `make test` skulle ha kjørt npm install")
        pytest.skip("axe-core er ikke installert (npm install); tilgjengelighetssjekken hoppes over")
    # Evaluated, not added as a <script> tag: the page's CSP (script-src 'self') blocks inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)


def axe_violations(page, impacts=("serious", "critical"), results: dict | None = None) -> list[dict]:
    results = results if results is not None else axe_results(page)
    return [v for v in results["violations"] if v["impact"] in impacts]


def assert_accessible(page, results: dict | None = None) -> None:
    violations = axe_violations(page, results=results)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} – {', '.join(n['target'][0] for n in v['nodes'][:5])}"
        for v in violations
    ]
    assert not violations, f"axe fant brudd på WCAG 2.1 AA på {page.url}:\n" + "\n".join(lines)


# Every <text> of every <svg> on the page: its fill against the fill of the shape painted right under it (or the
# page behind the chart), sampled at five points of its box. A shape painted over the text is reported as such.
MEASURE_SVG_TEXT = """
() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const pageBackground = (svg) => {
    for (let n = svg.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a === 1) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const SHAPES = new Set(['rect', 'polygon', 'circle', 'ellipse', 'path']);
  const out = [];
  for (const text of document.querySelectorAll('svg text')) {
    const style = getComputedStyle(text);
    const label = text.textContent.trim();
    if (!label || style.visibility === 'hidden' || style.display === 'none') continue;
    const svg = text.closest('svg');
    text.scrollIntoView({block: 'center', inline: 'center'});
    const box = text.getBoundingClientRect();
    const fg = parse(style.fill);
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    const points = [[0.5, 0.5], [0.2, 0.35], [0.8, 0.35], [0.2, 0.75], [0.8, 0.75]];
    let worst = null, problem = '';
    for (const [fx, fy] of points) {
      const x = box.left + box.width * fx, y = box.top + box.height * fy;
      let bg = null;
      for (const el of document.elementsFromPoint(x, y)) {
        if (el === svg || !svg.contains(el)) break;
        if (!SHAPES.has(el.localName)) continue;
        const fill = parse(getComputedStyle(el).fill);
        if (!fill || fill.a === 0) continue;
        if (text.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) {
          problem = 'covered by a ' + el.localName; break;
        }
        bg = fill; break;
      }
      bg = bg || pageBackground(svg);
      const r = fg ? ratio(fg, bg) : 0;
      if (!worst || r < worst.ratio) worst = {ratio: r, bg: hex(bg)};
    }
    out.push({text: label, fill: fg ? hex(fg) : style.fill, background: worst.bg, ratio: worst.ratio, need, problem,
              chart: svg.getAttribute('aria-label') || ''});
  }
  window.scrollTo(0, 0);
  return out;
}
"""

# For each node axe-core reports: is it inside an <svg>?
IN_SVG = "targets => targets.map(t => { const el = document.querySelector(t); return !!(el && el.closest('svg')); })"


def chart_findings(page, results: dict) -> list[str]:
    """What axe-core and the measurement find in the page's SVG charts, one line each; empty when all is well."""
    findings = []
    for kind in ("violations", "incomplete"):
        for rule in results[kind]:
            targets = [node["target"][0] for node in rule["nodes"]]
            inside = page.evaluate(IN_SVG, targets) if targets else []
            for node, in_svg in zip(rule["nodes"], inside, strict=True):
                if not in_svg:
                    continue
                reasons = {check.get("data", {}).get("messageKey") for check in node["any"] if check.get("data")}
                if kind == "incomplete" and rule["id"] == "color-contrast" and reasons <= SVG_TEXT_REASONS:
                    continue  # measured below
                findings.append(f"axe {kind} {rule['id']} ({rule['impact']}): {node['target'][0]} {node['html'][:80]}")
    texts = page.evaluate(MEASURE_SVG_TEXT)
    for t in texts:
        if t["problem"] or t["ratio"] < t["need"]:
            findings.append(
                f"«{t['text']}» i «{t['chart'][:50]}»: {t['fill']} på {t['background']} = {t['ratio']:.2f}:1 "
                f"(krav {t['need']}:1) {t['problem']}".rstrip()
            )
    return findings


def assert_charts_reviewed(page, results: dict | None = None) -> int:
    """Fail on any finding in the page's SVG charts; returns how many chart texts were measured."""
    results = results if results is not None else axe_results(page)
    findings = chart_findings(page, results)
    assert not findings, f"Funn i grafene på {page.url}:\n" + "\n".join(findings)
    return len(page.evaluate(MEASURE_SVG_TEXT))
