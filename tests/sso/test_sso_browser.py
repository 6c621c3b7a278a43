"""In Chromium under our Content Security Policy: the login button reaches the provider, and logging out goes on
to the provider's end-session page (a form's redirect to another site would be stopped by form-action)."""

import pytest

from .conftest import PROVIDER_NAME, provider_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));
"""


def test_login_and_logout_through_the_provider_in_a_browser(browser, live_server, sso):
    provider_user(sso, "nettleser", email="nettleser@example.no", name="Nina Nett")
    page = browser.new_page(locale="nb-NO")
    page.add_init_script(LISTEN)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name=f"Logg inn med {PROVIDER_NAME}").click()
    page.wait_for_url(f"{sso}/oauth2/authorize?**")
    page.fill('input[name="sub"]', "nettleser")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Nina Nett" in page.content()
    assert page.evaluate("window.__cspViolations") == []

    page.locator(".user-menu summary").click()  # «Logg ut» sits in the user menu (#15)
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{sso}/oauth2/end_session?**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.evaluate("window.__cspViolations") == []
    assert not refused, refused
    page.close()
