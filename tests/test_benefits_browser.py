"""In a real browser: record a measurement with htmx and see the realisation % and the chart update."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true, men Chromium mangler: `make test` skulle ha installert pakken chromium")
    pytest.skip(
        "Chromium er ikke installert (apt-get install chromium); nettlesertestene hoppes over", allow_module_level=True
    )

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield browser
        browser.close()


def test_recording_a_measurement_updates_realisation_and_chart_without_reload(browser, live_server, committed_plan):
    from benefits.models import Benefit

    porto = Benefit.objects.get(indicator="Portoutgifter for utgående post")  # 180 000 → 90 000
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.goto(f"{live_server.url}/program/{committed_plan.slug}/gevinster/plan/GP-HA02/gevinst/{porto.pk}/")
    assert page.locator("#realisation").inner_text() == "–"
    assert page.locator("#trajectory circle.measurement").count() == 0
    # A marker on the window survives only if the page is not reloaded: proves htmx swapped the section.
    page.evaluate("window.noReload = true")
    page.get_by_label("Målt dato").fill("2018-12-31")
    page.get_by_label("Verdi").fill("135000")
    page.get_by_role("button", name="Lagre måling").click()
    page.locator("#trajectory circle.measurement").first.wait_for()
    assert page.locator("#realisation").inner_text() == "50 %"
    assert page.locator("#trajectory circle.measurement").count() == 1
    assert page.evaluate("window.noReload") is True
    # A second measurement: the chart gains a point and the realisation % follows the latest value.
    page.get_by_label("Målt dato").fill("2019-06-30")
    page.get_by_label("Verdi").fill("99000")
    page.get_by_role("button", name="Lagre måling").click()
    page.locator("#trajectory circle.measurement").nth(1).wait_for()
    assert page.locator("#realisation").inner_text() == "90 %"
    assert page.evaluate("window.noReload") is True
    page.close()
