"""WCAG 2.1 AA checks with axe-core (the npm package in node_modules/, installed by `make test`).

`assert_accessible(page)` injects axe into the page Playwright shows and fails on any serious or critical
violation, listing rule, impact and the offending elements so the message says what to fix.
"""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true, men axe-core mangler: `make test` skulle ha kjørt npm install")
        pytest.skip("axe-core er ikke installert (npm install); tilgjengelighetssjekken hoppes over")
    # Evaluated, not added as a <script> tag: the page's CSP (script-src 'self') blocks inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [v for v in result["violations"] if v["impact"] in impacts]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} – {', '.join(n['target'][0] for n in v['nodes'][:5])}"
        for v in violations
    ]
    assert not violations, f"axe fant brudd på WCAG 2.1 AA på {page.url}:\n" + "\n".join(lines)
