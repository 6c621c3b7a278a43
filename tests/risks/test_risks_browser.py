"""In a real browser: re-scoring a risk with htmx moves it on the heat map without a page load."""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def test_rescoring_a_risk_with_htmx_changes_the_heat_map_cell(browser, live_server, committed_plan):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**/program/{committed_plan.slug}/")
    page.goto(f"{live_server.url}/program/{committed_plan.slug}/risiko/R1/")
    old_cell = page.locator('#scoring .heat-cell[data-s="4"][data-k="5"]')
    new_cell = page.locator('#scoring .heat-cell[data-s="1"][data-k="2"]')
    assert old_cell.get_attribute("data-count") == "1"
    assert new_cell.get_attribute("data-count") == "0"
    page.evaluate("window.notReloaded = true")  # survives only if htmx swaps in place

    page.get_by_label("Sannsynlighet (S)", exact=True).select_option("1")
    page.get_by_label("Konsekvens (K)", exact=True).select_option("2")
    page.get_by_role("button", name="Lagre vurdering").click()

    page.locator('#scoring .heat-cell[data-s="1"][data-k="2"][data-count="1"]').wait_for()
    assert page.locator('#scoring .heat-cell[data-s="4"][data-k="5"]').get_attribute("data-count") == "0"
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_text("2 · Lav").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "risk-rescored.png", full_page=True)

    # The register's heat map agrees, and clicking the cell filters the list with htmx.
    page.goto(f"{live_server.url}/program/{committed_plan.slug}/risiko/")
    page.locator('#risk-register .heat-cell[data-s="1"][data-k="2"]').click()
    page.wait_for_url("**s=1&k=2**")
    assert page.locator("#risk-table tbody tr").count() == 1
    assert "R1" in page.locator("#risk-table tbody").inner_text()
    page.screenshot(path=ARTIFACTS / "risk-register-filtered.png", full_page=True)
    page.close()
