"""WCAG 2.1 AA checks with axe-core (the npm package in node_modules/, installed by `make test`).

`assert_accessible(page)` injects axe into the page Playwright shows and fails on any serious or critical
violation, listing rule, impact and the offending elements so the message says what to fix.

`assert_charts_reviewed(page)` holds the page's charts to more: no axe-core finding of any impact in them, not
even «needs review» (incomplete). axe-core cannot tell the background of SVG text (it reports it as «needs
review», axe-core issue #1819), so the charts draw no text in SVG: their words and numbers are HTML (the heat map
and the schedule are tables, the line charts have their labels around the drawing), and axe-core decides the
contrast of each one. It returns how many chart texts axe-core found legible, so a test can tell that the
charts were there to be checked.

The tags come from the accessibility statement (accessibility/statement.py), which tells the public what is
checked.
"""

import os
from pathlib import Path

import pytest

from accessibility.statement import AXE_TAGS

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = list(AXE_TAGS)


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


# What counts as a chart: the drawings, and the HTML the chart functions put around them or draw instead.
CHARTS = "svg, table.heatmap, table.gantt-chart, .chart-frame"
# For each node axe-core reports: is it inside a chart?
IN_CHART = """([targets, charts]) => targets.map(t => {
  const el = document.querySelector(t);
  return !!(el && el.closest(charts));
})"""


def _in_chart(page, nodes: list[dict]) -> list[dict]:
    targets = [node["target"][0] for node in nodes]
    inside = page.evaluate(IN_CHART, [targets, CHARTS]) if targets else []
    return [node for node, in_chart in zip(nodes, inside, strict=True) if in_chart]


def chart_findings(page, results: dict) -> list[str]:
    """What axe-core finds in the page's charts, violations and «needs review» alike, one line each."""
    findings = []
    for kind in ("violations", "incomplete"):
        for rule in results[kind]:
            for node in _in_chart(page, rule["nodes"]):
                checks = [c["data"] for c in node["any"] if isinstance(c.get("data"), dict)]
                reasons = sorted({data.get("messageKey") or "" for data in checks})
                why = f" [{', '.join(r for r in reasons if r)}]" if any(reasons) else ""
                findings.append(
                    f"axe {kind} {rule['id']} ({rule['impact']}){why}: {node['target'][0]} {node['html'][:80]}"
                )
    return findings


def chart_texts_checked(page, results: dict) -> int:
    """How many texts of the page's charts axe-core decided the contrast of (and found legible)."""
    return sum(len(_in_chart(page, rule["nodes"])) for rule in results["passes"] if rule["id"] == "color-contrast")


def assert_charts_reviewed(page, results: dict | None = None) -> int:
    """Fail on any axe-core finding in the page's charts; returns how many chart texts axe-core checked."""
    results = results if results is not None else axe_results(page)
    findings = chart_findings(page, results)
    assert not findings, f"Funn i grafene på {page.url}:\n" + "\n".join(findings)
    return chart_texts_checked(page, results)
