"""A proposal's way through the site in Chromium: staff submit it, the project leader advances it via htmx."""

import pytest

pytestmark = pytest.mark.browser


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_staff_submits_and_the_leader_advances_it_through_htmx(browser, live_server, committed_plan):
    from measures.models import Proposal

    slug = committed_plan.slug
    staff = browser.new_page()
    _login(staff, live_server.url, "ansatt")
    staff.goto(f"{live_server.url}/program/{slug}/forslag/nytt/")
    staff.get_by_label("Tittel").fill("Chatbot for innbyggerspørsmål")
    staff.get_by_label("Hvilket problem løser det").fill("Mange like spørsmål på telefon")
    staff.get_by_label("Enhet").fill("Servicetorget")
    staff.get_by_label("Foreslått hovedområde").select_option(label="6. Kompetanse")
    staff.get_by_role("button", name="Send inn").click()
    staff.get_by_role("heading", name="Mine forslag til tiltak").wait_for()
    assert staff.get_by_role("link", name="Chatbot for innbyggerspørsmål").is_visible()
    proposal = Proposal.objects.get(title="Chatbot for innbyggerspørsmål")

    leader = browser.new_page()
    _login(leader, live_server.url, "leder")
    leader.goto(f"{live_server.url}/program/{slug}/forslag/")
    leader.get_by_label("Søk").fill("Chatbot")
    leader.wait_for_url("**q=Chatbot**")
    leader.get_by_role("link", name="Chatbot for innbyggerspørsmål").click()
    panel = leader.locator("#status-panel")
    panel.get_by_label("Ny status").select_option("screening")
    panel.get_by_label("Kommentar").fill("Vurderes av prosjektgruppa")
    url_before = leader.url
    panel.get_by_role("button", name="Endre status").click()
    leader.locator("#status-panel .status", has_text="Under vurdering").wait_for()
    assert leader.url == url_before  # swapped in place by htmx, no page load
    assert leader.locator("#status-panel .timeline").get_by_text("Vurderes av prosjektgruppa").is_visible()
    # An illegal move cannot even be chosen; a rejection without a reason is refused in place.
    panel = leader.locator("#status-panel")
    panel.get_by_label("Ny status").select_option("rejected")
    panel.get_by_role("button", name="Endre status").click()
    leader.locator("#status-panel [role=alert]", has_text="Et avslag må begrunnes").wait_for()
    leader.locator("#status-panel").get_by_label("Ny status").select_option("prioritised")
    leader.locator("#status-panel").get_by_role("button", name="Endre status").click()
    leader.locator("#status-panel .status", has_text="Prioritert i årets plan").wait_for()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PRIORITISED

    staff.goto(f"{live_server.url}/program/{slug}/forslag/mine/")
    assert staff.get_by_text("Prioritert i årets plan", exact=True).is_visible()
    staff.close()
    leader.close()
