"""The site in a real browser: Debian's Chromium driven by Playwright, at desktop and phone widths."""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_project_leader_logs_in_and_sees_the_programme(browser, live_server, committed_plan, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport], locale="nb-NO")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("heading", name="Digitalisering i Nordre Land kommune").wait_for()
    assert page.get_by_role("link", name="HA17").is_visible()
    # The page fits the phone's width: no sideways scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"] + 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"programme-{viewport}.png", full_page=True)
    menu = page.get_by_role("button", name="Meny")
    if menu.is_visible():  # on the phone the menu folds behind its button
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Risiko", exact=True).click()
    page.get_by_role("heading", name="Risikoregister").wait_for()
    assert page.get_by_text("20 · Høy").first.is_visible()
    page.close()


def test_htmx_filter_updates_the_proposal_list_and_the_url(browser, live_server, committed_plan):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.goto(f"{live_server.url}/program/{committed_plan.slug}/forslag/")
    page.get_by_label("Status").select_option("needs_assessment")
    page.wait_for_url("**status=needs_assessment**")
    rows = page.locator("#proposal-table tbody tr")
    statuses = set(rows.locator("td:nth-child(4)").all_inner_texts())
    assert statuses == {"Krever utredning"}
    page.close()
