"""In a real browser, at desktop and phone widths: the dashboard, its htmx filter, the activity tabs by keyboard,
the budget page and the project leader's htmx edit of an actual amount; axe-core on every page."""

from decimal import Decimal
from pathlib import Path

import pytest

from portfolio.models import BudgetLine
from tests.axe import assert_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def login(page, base_url, username="leder"):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()


def fits(page, viewport) -> bool:
    """No sideways scrolling of the whole page."""
    return page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"] + 1


def shot(page, name, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{viewport}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_dashboard_filter_activity_tabs_and_budget(browser, live_server, committed_plan, viewport):
    slug = committed_plan.slug
    page = browser.new_page(viewport=VIEWPORTS[viewport], locale="nb-NO")
    console = []
    page.on("console", lambda message: console.append(message.text))
    login(page, live_server.url)
    page.wait_for_url(f"**/program/{slug}/")
    page.get_by_role("heading", name="Hovedaktiviteter").wait_for()
    assert page.locator("#dashboard-rows tbody tr").count() == 17
    assert fits(page, viewport)
    assert_accessible(page)
    shot(page, "dashboard", viewport)

    # Filter by area with htmx: the rows change, the URL follows, the page is not reloaded.
    area = committed_plan.areas.get(number=1)
    expected = set(committed_plan.activities.filter(area=area).values_list("code", flat=True))
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Hovedområde").select_option("1")
    page.wait_for_url("**omrade=1**")
    page.get_by_text(f"Viser {len(expected)} av 17 hovedaktiviteter.").wait_for()
    codes = {text.split()[0] for text in page.locator("#dashboard-rows tbody th").all_inner_texts()}
    assert codes == expected
    assert page.evaluate("window.notReloaded") is True
    assert fits(page, viewport)

    # Through to an activity, then tabs by keyboard only.
    code = sorted(expected)[0]
    page.get_by_role("link", name=code, exact=True).click()
    page.wait_for_url(f"**/aktiviteter/{code}/")
    page.get_by_role("heading", name="Hensikt").wait_for()
    assert_accessible(page)
    shot(page, "activity", viewport)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Oversikt", exact=True).last.focus()
    page.keyboard.press("Tab")  # → Tidsplan
    page.keyboard.press("Tab")  # → Tiltak
    page.keyboard.press("Tab")  # → Risiko
    page.keyboard.press("Enter")
    page.wait_for_url("**fane=risiko**")
    page.locator('nav.tabs a[aria-current="page"]', has_text="Risiko").wait_for()
    page.get_by_role("heading", name="Risiko", exact=True).wait_for()
    assert page.evaluate("window.notReloaded") is True
    # Focus stays on the tab that was chosen, so the keyboard user can go on.
    assert page.evaluate("document.activeElement.id") == "fane-risiko"
    page.keyboard.press("Tab")  # → Gevinster
    page.keyboard.press("Enter")
    page.wait_for_url("**fane=gevinster**")
    page.locator('nav.tabs a[aria-current="page"]', has_text="Gevinster").wait_for()
    assert fits(page, viewport)
    assert_accessible(page)
    shot(page, "activity-gevinster", viewport)

    # The plan's pages sit in the menu's «Plan» group (#15), behind the menu button on a phone.
    if viewport == "phone":
        page.get_by_role("button", name="Meny").click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_text("Plan", exact=True).click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Budsjett").click()
    page.get_by_role("heading", name="Økonomi").wait_for()
    assert page.get_by_text("ikke avklart").first.is_visible()
    assert fits(page, viewport)
    assert_accessible(page)
    shot(page, "budget", viewport)
    # Nothing on these pages (nor htmx's swaps) breaks the Content Security Policy.
    assert not [text for text in console if "Content Security Policy" in text], console
    page.close()


def test_project_leader_edits_an_actual_amount_in_place(browser, live_server, committed_plan):
    line = BudgetLine.objects.get(
        phase__programme=committed_plan, phase__number=1, description__startswith="Lønn prosjektleder"
    )
    page = browser.new_page(viewport=VIEWPORTS["desktop"], locale="nb-NO")  # CSP enforced
    console = []
    page.on("console", lambda message: console.append(message.text))
    login(page, live_server.url)
    page.wait_for_url(f"**/program/{committed_plan.slug}/")
    page.get_by_label("Fase").select_option("2")  # the dashboard's htmx filter under the CSP
    page.wait_for_url("**fase=2**")
    page.goto(f"{live_server.url}/program/{committed_plan.slug}/budsjett/")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#linje-{line.pk}")
    row.get_by_role("link", name="Endre").click()
    field = page.locator(f"#linje-{line.pk}").get_by_label("Faktisk beløp (kr)")
    field.fill("1 2x")
    page.get_by_role("button", name="Lagre").click()
    page.locator(f"#linje-{line.pk} .error").wait_for()
    assert "ikke et beløp" in page.locator(f"#linje-{line.pk}").inner_text()
    page.locator(f"#linje-{line.pk}").get_by_label("Faktisk beløp (kr)").fill("450 000")
    page.get_by_role("button", name="Lagre").click()
    page.locator(f"#linje-{line.pk}").get_by_text("450\xa0000\xa0kr").wait_for()
    assert "50\xa0000\xa0kr" in page.locator(f"#linje-{line.pk}").inner_text()
    assert page.evaluate("window.notReloaded") is True
    line.refresh_from_db()
    assert line.actual_amount == Decimal("450000")
    assert not [text for text in console if "Content Security Policy" in text], console
    page.screenshot(path=ARTIFACTS / "budget-edited-desktop.png", full_page=True)
    page.close()
