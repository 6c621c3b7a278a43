"""In a real browser under the Content Security Policy: no page trips it, and htmx still works."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.axe import assert_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.browser

# Records every CSP violation the page reports; installed before any script of the page runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def _watched_page(browser):
    # A Norwegian browser: the labels below are the Norwegian UI (the app also speaks English).
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    return page, console


def _assert_clean(page, console, where):
    violations = page.evaluate("window.__cspViolations")
    assert not violations, f"CSP-brudd på {where}: {violations}"
    csp_messages = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    assert not csp_messages, f"{where}: {csp_messages}"
    assert not [m for m in console if "htmx" in m.lower()], f"{where}: {console}"


def test_main_pages_raise_no_csp_violations_and_htmx_filters_work(browser, live_server, committed_plan):
    page, console = _watched_page(browser)
    slug = committed_plan.slug
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    _assert_clean(page, console, "innlogging")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**/program/{slug}/")

    for path in ("", "risiko/", "gevinster/", "tidsplan/", "milepaeler/", "budsjett/", "aktiviteter/"):
        page.goto(f"{live_server.url}/program/{slug}/{path}")
        page.wait_for_load_state("networkidle")
        _assert_clean(page, console, path or "programsiden")

    # Django's admin has no inline scripts or styles since Django 4: it needs no relaxed policy. It is for
    # installation administrators only, so a superuser signs in to it in a page of their own.
    get_user_model().objects.create_superuser("rot", password="rot-passord-1")
    admin, admin_console = _watched_page(browser)
    admin.goto(f"{live_server.url}/accounts/login/")
    admin.get_by_label("Brukernavn").fill("rot")
    admin.get_by_label("Passord").fill("rot-passord-1")
    admin.get_by_role("button", name="Logg inn").click()
    admin.wait_for_load_state("networkidle")
    for path in ("", "measures/proposal/", "risks/risk/"):
        admin.goto(f"{live_server.url}/admin/{path}")
        admin.wait_for_load_state("networkidle")
        assert "/admin/login/" not in admin.url
        _assert_clean(admin, admin_console, f"admin/{path}")
    admin.goto(f"{live_server.url}/admin/measures/proposal/")
    admin.locator("#result_list tbody a").first.click()
    admin.wait_for_load_state("networkidle")
    _assert_clean(admin, admin_console, "admin: endre forslag")

    # An htmx filter on the proposal list swaps the table in place, under the policy.
    page.goto(f"{live_server.url}/program/{slug}/forslag/")
    page.evaluate("window.notReloaded = true")
    rows_before = page.locator("#proposal-table tbody tr").count()
    with page.expect_response(lambda r: "/forslag/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#status").select_option(index=1)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.notReloaded") is True
    assert "status=" in page.url
    assert page.locator("#proposal-table tbody tr").count() <= rows_before
    _assert_clean(page, console, "forslagslisten etter filter")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "csp-proposals-filtered.png", full_page=True)
    page.close()


def test_htmx_post_with_csrf_header_works_under_the_policy(browser, live_server, committed_plan):
    """Re-scoring a risk is an htmx POST: the CSRF token goes in the header from <body hx-headers>."""
    page, console = _watched_page(browser)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**/program/{committed_plan.slug}/")
    page.goto(f"{live_server.url}/program/{committed_plan.slug}/risiko/R1/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Sannsynlighet (S)", exact=True).select_option("2")
    page.get_by_label("Konsekvens (K)", exact=True).select_option("2")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Lagre vurdering").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("x-csrftoken")
    page.locator('#scoring .heat-cell[data-s="2"][data-k="2"][data-count="1"]').wait_for()
    assert page.evaluate("window.notReloaded") is True
    _assert_clean(page, console, "risiko R1")
    page.close()


def test_public_pages_and_lockout_page_raise_no_csp_violations(browser, live_server, committed_plan):
    page, console = _watched_page(browser)
    page.goto(f"{live_server.url}/forslag/{committed_plan.slug}/")
    _assert_clean(page, console, "innsyn")
    page.goto(f"{live_server.url}/forslag/{committed_plan.slug}/nytt/")
    _assert_clean(page, console, "innbyggerskjema")
    for _ in range(6):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Brukernavn").fill("styring")
        page.get_by_label("Passord").fill("feil-passord")
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", name="Innloggingen er midlertidig sperret").is_visible()
    _assert_clean(page, console, "sperret innlogging")
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "login-locked-out.png", full_page=True)
    page.close()
