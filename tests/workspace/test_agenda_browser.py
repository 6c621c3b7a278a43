"""In a real browser: the steering group opens the meeting agenda and records a decision on it with htmx."""

from pathlib import Path

import pytest

from tests.axe import assert_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/program/**")


@pytest.mark.parametrize("name, width, height, code", [("desktop", 1280, 900, "BP1"), ("phone", 390, 844, "BP2")])
def test_steering_group_records_decision_from_agenda(browser, live_server, committed_plan, name, width, height, code):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="nb-NO")
    login(page, live_server.url, "styring")
    page.goto(f"{live_server.url}/program/{committed_plan.slug}/milepaeler/moter/agenda/")
    assert page.get_by_role("heading", name="Agenda for styringsgruppen", exact=False).is_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "siden ruller sidelengs"
    page.evaluate("window.notReloaded = true")  # survives only if htmx swaps in place

    item = page.locator(f"#bp-{code}")
    # The form opens from its summary, with the keyboard as well.
    item.locator("summary").focus()
    page.keyboard.press("Enter")
    item.get_by_label("Vedtak").fill("Styringsgruppen slutter seg til anbefalingen.")
    item.get_by_label("Referanse").fill("SG-sak 1/17")
    item.get_by_role("button", name="Lagre vedtaket").click()

    page.locator(f"#bp-{code} .agenda-decided").wait_for()
    assert "Styringsgruppen slutter seg til anbefalingen." in page.locator(f"#bp-{code}").inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator(f"#bp-{code} form").count() == 0
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"agenda-{name}.png", full_page=True)

    # The print layout: no navigation and no forms, the decided point gone from the agenda.
    page.get_by_role("link", name="Utskriftsvennlig versjon").click()
    page.wait_for_url("**utskrift=1**")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("form.agenda-form").count() == 0
    assert page.locator(f"#bp-{code}").count() == 0
    assert_accessible(page)
    page.close()
