"""The API's docs page works in a real browser under the Content Security Policy, token and all."""

import pytest
from django.contrib.auth import get_user_model

from api.models import PersonalAccessToken
from tests.config.test_csp_browser import _watched_page

pytestmark = pytest.mark.browser


def test_the_docs_page_shows_the_lists_and_reads_one_with_a_token(browser, live_server, committed_plan):
    raw = PersonalAccessToken.issue(get_user_model().objects.get(username="leder"), "Dokumentasjonen", 30)[1]
    page, console = _watched_page(browser)
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("/api/v1/risks", exact=True).wait_for()
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux")
    dialog.locator("input").first.fill(raw)
    dialog.locator("button.authorize").click()
    dialog.locator("button.btn-done").click()
    page.get_by_text("/api/v1/programmes", exact=True).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "nordre-land-digitalisering" in page.locator(".live-responses-table").inner_text()
    violations = page.evaluate("window.__cspViolations")
    assert not violations, violations
    page.close()
