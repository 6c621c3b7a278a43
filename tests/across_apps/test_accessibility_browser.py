"""WCAG 2.1 AA on every main page, as each role sees it: axe-core in Chromium, zero serious or critical findings.

The workspace pages (dashboard, activity tabs, budget, status reports, agenda) have their own browser tests with
axe; this walks the rest, so a page added to the menu without a check here is the exception, not the rule.
"""

import pytest
from django.urls import reverse

from benefits.models import Benefit
from measures.models import Proposal
from tests.axe import assert_accessible

pytestmark = pytest.mark.browser

PL_PAGES = [
    ("programme", {}),
    ("activity_list", {}),
    ("proposal_list", {}),
    ("proposal_create", {}),
    ("moderation_queue", {}),
    ("proposal_ranking", {}),
    ("round_list", {}),
    ("proposal_import", {}),
    ("risk_register", {}),
    ("risk_detail", {"code": "R1"}),
    ("risk_edit", {"code": "R1"}),
    ("risk_import", {}),
    ("milestone_overview", {}),
    ("milestone_edit", {"code": "MP1"}),
    ("decision_record", {"code": "BP2"}),
    ("schedule", {}),
    ("meetings", {}),
    ("benefit_overview", {}),
    ("benefit_import", {}),
    ("revision_reports", {}),
    ("plan_changes", {}),
    ("status_overview", {}),
]


def _login(page, base_url, username):
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def test_project_leader_pages_have_no_serious_wcag_violations(browser, live_server, committed_plan):
    slug = committed_plan.slug
    proposal = Proposal.objects.filter(programme=committed_plan).order_by("pk").first()
    benefit = Benefit.objects.filter(plan__programme=committed_plan).select_related("plan").order_by("pk").first()
    urls = [reverse(name, kwargs={"slug": slug, **kwargs}) for name, kwargs in PL_PAGES]
    urls += [
        reverse("proposal_detail", args=[slug, proposal.pk]),
        reverse("round_detail", args=[slug, proposal.revision_round.year]),
        reverse("benefit_plan", args=[slug, benefit.plan.code]),
        reverse("benefit_detail", args=[slug, benefit.plan.code, benefit.pk]),
    ]
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
    for url in (
        reverse("login"),
        reverse("public_measures", args=[slug]),
        reverse("public_proposal_form", args=[slug]),
    ):
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        assert_accessible(page)
    _login(page, live_server.url, "ansatt")
    for url in (reverse("home"), reverse("my_proposals", args=[slug]), reverse("proposal_create", args=[slug])):
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        assert_accessible(page)
    page.close()
