"""WCAG 2.1 AA on every main page, as each role sees it: axe-core in Chromium, zero serious or critical findings.

The workspace pages (dashboard, activity tabs, budget, status reports, agenda) have their own browser tests with
axe; this walks the rest, so a page added to the menu without a check here is the exception, not the rule.
The pages, the tags and the axe-core rules are the ones the accessibility statement (accessibility/statement.py)
tells the public about; the tests below check that it and axe-core agree.

The charts get more (tests/axe.py, `assert_charts_reviewed`): no axe-core finding of any impact in them, not even
«needs review»; they draw no text in SVG, so axe-core decides the contrast of every chart text itself.
"""

import json

import pytest
from django.urls import reverse

from accessibility import statement
from benefits.models import Benefit
from measures.models import Proposal
from tests.axe import AXE, WCAG_TAGS, assert_accessible, assert_charts_reviewed, axe_results

pytestmark = pytest.mark.browser


def _login(page, base_url, username):
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def _object_kwargs(programme) -> dict[str, dict]:
    """URL kwargs of the object pages of the statement: the first proposal and benefit of the plan."""
    proposal = Proposal.objects.filter(programme=programme).order_by("pk").first()
    benefit = Benefit.objects.filter(plan__programme=programme).select_related("plan").order_by("pk").first()
    return {
        "proposal_detail": {"pk": proposal.pk},
        "round_detail": {"year": proposal.revision_round.year},
        "benefit_plan": {"code": benefit.plan.code},
        "benefit_detail": {"code": benefit.plan.code, "pk": benefit.pk},
    }


def test_project_leader_pages_have_no_serious_wcag_violations(browser, live_server, committed_plan):
    slug = committed_plan.slug
    objects = _object_kwargs(committed_plan)
    urls = [reverse(name, kwargs={"slug": slug, **kwargs}) for name, kwargs, _label in statement.CHECKED_PAGES]
    urls += [reverse(name, kwargs={"slug": slug, **objects[name]}) for name, _label in statement.CHECKED_OBJECT_PAGES]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, live_server.url, "leder")
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert_accessible(page)
    page.close()


def test_staff_and_public_pages_have_no_serious_wcag_violations(browser, live_server, committed_plan):
    slug = committed_plan.slug
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for name, _label in statement.CHECKED_PUBLIC_PAGES:
        url = reverse(name, args=[slug]) if name.startswith("public_") else reverse(name)
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        assert_accessible(page)
    _login(page, live_server.url, "ansatt")
    for name, _label in statement.CHECKED_STAFF_PAGES:
        url = reverse(name) if name == "home" else reverse(name, args=[slug])
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        assert_accessible(page)
    page.close()


def test_charts_give_axe_nothing_to_report_and_every_chart_text_is_legible(browser, live_server, committed_plan):
    """Dashboard, risk register, a risk, the schedule and a benefit: no axe-core finding of any impact in their
    charts, no «needs review» at all, and axe-core found the chart texts legible (more than five per chart page)."""
    slug = committed_plan.slug
    objects = _object_kwargs(committed_plan)
    kwargs = {"risk_detail": {"code": "R1"}, "benefit_detail": objects["benefit_detail"]}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, live_server.url, "leder")
    measured = {}
    for name, _label in statement.CHART_PAGES:
        url = reverse(name, kwargs={"slug": slug, **kwargs.get(name, {})})
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        results = axe_results(page)
        assert_accessible(page, results)
        measured[name] = assert_charts_reviewed(page, results)
    page.close()
    # The pages with charts have them (a chart that vanished would pass the check above unseen).
    for name in ("risk_register", "risk_detail", "schedule", "benefit_detail"):
        assert measured[name] > 5, (name, measured)


def test_charts_are_checked_at_phone_width_too(browser, live_server, committed_plan):
    slug = committed_plan.slug
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _login(page, live_server.url, "leder")
    for name in ("risk_register", "schedule"):
        assert page.goto(f"{live_server.url}{reverse(name, args=[slug])}").status == 200
        assert assert_charts_reviewed(page) > 5, name
    page.close()


def test_the_statement_names_exactly_the_rules_axe_core_runs(browser, live_server):
    """Per success criterion, the axe-core rules the statement names are the rules axe-core runs for it."""
    page = browser.new_page()
    page.set_content('<!doctype html><html lang="nb"><head><title>axe</title></head><body><main>x</main></body></html>')
    results = axe_results(page)
    ran = {rule["id"] for kind in ("passes", "violations", "incomplete", "inapplicable") for rule in results[kind]}
    tags = {rule["ruleId"]: rule["tags"] for rule in page.evaluate("tags => axe.getRules(tags)", WCAG_TAGS)}
    page.close()
    assert statement.axe_rules() == ran, (
        f"not in the statement: {sorted(ran - statement.axe_rules())}; "
        f"not run by axe-core: {sorted(statement.axe_rules() - ran)}"
    )
    for criterion in statement.CRITERIA:
        tag = "wcag" + criterion.number.replace(".", "")
        expected = {rule for rule in ran if tag in tags[rule]}
        assert set(criterion.axe_rules) == expected, criterion.number


def test_the_statement_names_the_axe_core_release_the_suite_runs():
    package = AXE.parent / "package.json"
    if not package.exists():
        pytest.skip("axe-core er ikke installert (npm install)")
    assert json.loads(package.read_text())["version"] == statement.AXE_CORE_VERSION
