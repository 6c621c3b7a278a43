"""In a real browser: the responsible writes a status report (desktop and phone) and finds it in the history."""

from pathlib import Path

import pytest

from tests.axe import assert_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser

# `prosjekt` is responsible for no activity in the demo data, so the project leader writes the report.
WIDTHS = [("desktop", 1280, 900, "2017-03-01", "01.03.2017"), ("phone", 390, 844, "2017-03-15", "15.03.2017")]


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/program/**")


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "siden ruller sidelengs"


@pytest.mark.parametrize("name, width, height, period_end, shown", WIDTHS)
def test_responsible_submits_status_report(
    browser, live_server, committed_plan, name, width, height, period_end, shown
):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="nb-NO")
    login(page, live_server.url, "leder")
    slug = committed_plan.slug
    page.goto(f"{live_server.url}/program/{slug}/aktiviteter/HA01/status/ny/")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_label("Rapport per (dato)").fill(period_end)
    page.get_by_role("group", name="Samlet status").get_by_label("Gul").check()
    page.get_by_label("Kommentar", exact=True).fill("Litt forsinket, ellers god framdrift")
    # Keyboard: the arrow keys move within a radio group, from Grønn to Rød.
    time_group = page.get_by_role("group", name="Tid")
    time_group.get_by_label("Grønn").check()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert time_group.get_by_label("Rød").is_checked()
    page.get_by_label("Kommentar til tid").fill("Leverandøren er tre uker sent ute")
    for group in ("Omfang", "Kostnad", "Risiko"):
        page.get_by_role("group", name=group).get_by_label("Grønn").check()
    page.get_by_label("Oppnådd siden sist").fill("Kravspesifikasjon ferdig")
    page.get_by_label("Neste steg").fill("Kontraktsmøte med leverandøren")
    page.get_by_role("button", name="Lagre statusrapporten").click()

    page.wait_for_url("**/aktiviteter/HA01/status/*/")
    assert page.get_by_role("heading", name=f"Statusrapport HA01 per {shown}").is_visible()
    assert page.get_by_text("Leverandøren er tre uker sent ute").is_visible()
    assert page.locator(".rag-list .badge.rag-red", has_text="Rød").count() == 1
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"status-report-{name}.png", full_page=True)

    # The activity's status tab lists it; the programme's status page shows it as the latest.
    page.goto(f"{live_server.url}/program/{slug}/aktiviteter/HA01/?fane=status")
    assert page.get_by_role("link", name=f"Status per {shown}").is_visible()
    page.goto(f"{live_server.url}/program/{slug}/status/")
    row = page.locator("#status-HA01")
    assert shown in row.inner_text()
    assert "Gul" in row.inner_text() and "Rød" in row.inner_text()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.close()
