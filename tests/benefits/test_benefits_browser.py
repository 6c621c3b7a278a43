"""In a real browser: record a measurement with htmx and see the realisation % and the chart update."""

import pytest

pytestmark = pytest.mark.browser


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
    # A no-break space before the per cent sign, as common.formatting.percent writes it.
    assert page.locator("#realisation").inner_text() == "50\xa0%"
    assert page.locator("#trajectory circle.measurement").count() == 1
    assert page.evaluate("window.noReload") is True
    # A second measurement: the chart gains a point and the realisation % follows the latest value.
    page.get_by_label("Målt dato").fill("2019-06-30")
    page.get_by_label("Verdi").fill("99000")
    page.get_by_role("button", name="Lagre måling").click()
    page.locator("#trajectory circle.measurement").nth(1).wait_for()
    assert page.locator("#realisation").inner_text() == "90\xa0%"
    assert page.evaluate("window.noReload") is True
    page.close()
