"""Look and navigation in Chromium (#15): the phone menu button, axe on the main pages at desktop and phone
width, and screenshots of them into test-artifacts/ (gitignored) for people to look at.

The menu button is shown by static/js/menu.js only; without JavaScript the menu stays open (checked in
tests/across_apps/test_navigation.py, which needs no browser).
"""

from pathlib import Path

import pytest
from django.urls import reverse

from benefits.models import BenefitPlan
from measures.models import Proposal
from tests.axe import assert_accessible

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _login(page, base_url, username="leder"):
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def _pages(programme) -> dict[str, str]:
    slug = programme.slug
    proposal = Proposal.objects.filter(programme=programme).order_by("pk").first()
    plan = BenefitPlan.objects.filter(programme=programme).order_by("pk").first()
    return {
        "dashboard": reverse("programme", args=[slug]),
        "proposal-list": reverse("proposal_list", args=[slug]),
        "proposal": reverse("proposal_detail", args=[slug, proposal.pk]),
        "risk-register": reverse("risk_register", args=[slug]),
        "benefit-overview": reverse("benefit_overview", args=[slug]),
        "benefit-plan": reverse("benefit_plan", args=[slug, plan.code]),
        "schedule": reverse("schedule", args=[slug]),
    }


def test_menu_button_toggles_the_menu_at_phone_width(browser, live_server, committed_plan):
    page = browser.new_page(viewport=WIDTHS["phone"])
    _login(page, live_server.url)
    page.goto(f"{live_server.url}{reverse('programme', args=[committed_plan.slug])}")
    button = page.get_by_role("button", name="Meny")
    nav = page.get_by_role("navigation", name="Hovedmeny")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Oversikt").is_visible()
    # The plan's group opens in place on a phone.
    nav.get_by_text("Plan", exact=True).click()
    assert nav.get_by_role("link", name="Tidsplan").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "menu-open-390.png"))
    button.click()
    assert button.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    page.close()


def test_menu_button_is_hidden_at_desktop_width_and_plan_opens_as_a_group(browser, live_server, committed_plan):
    page = browser.new_page(viewport=WIDTHS["desktop"])
    _login(page, live_server.url)
    page.goto(f"{live_server.url}{reverse('programme', args=[committed_plan.slug])}")
    assert not page.get_by_role("button", name="Meny").is_visible()
    nav = page.get_by_role("navigation", name="Hovedmeny")
    assert nav.get_by_role("link", name="Risiko").is_visible()
    nav.get_by_text("Plan", exact=True).click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "menu-plan-1366.png"))
    nav.get_by_role("link", name="Milepæler").click()
    page.wait_for_load_state()
    assert page.locator('.main-nav [aria-current="page"]').text_content() == "Milepæler"
    page.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_main_pages_pass_axe_and_are_photographed(browser, live_server, committed_plan, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=WIDTHS[width])
    _login(page, live_server.url)
    for name, url in _pages(committed_plan).items():
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{WIDTHS[width]['width']}.png"), full_page=True)
    page.close()
