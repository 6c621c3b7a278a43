"""Error pages with DEBUG off: Norwegian, inside the layout (500: a page of its own), each with a way back."""

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import path, reverse

from config.urls import urlpatterns as app_urlpatterns
from tests.conftest import PLAN_SLUG

pytestmark = pytest.mark.django_db

LAYOUT = ('class="site-header"', "Hopp til innholdet", 'id="main"', 'class="site-footer"')
SERVER_ERROR = "Noe gikk galt hos oss"


def _boom(request):
    raise RuntimeError("a bug in a view")


# The app's URLs plus one view that fails: the URLconf of the 500 tests (via @pytest.mark.urls).
urlpatterns = [path("test-feil/", _boom), *app_urlpatterns]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def _logged_in(user, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    client.force_login(user)
    return client


def _assert_page(response, status: int, heading: str, layout: bool = True) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert 'lang="nb"' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'href="/"' in html  # the front page (the brand link, and «Til forsiden»)
    assert "Til forsiden" in html
    for marker in LAYOUT if layout else ():
        assert marker in html, marker
    return html


# 403


def test_403_in_a_view_is_norwegian_in_the_layout(staff, plan):
    response = _logged_in(staff).get(f"/program/{PLAN_SLUG}/risiko/")
    html = _assert_page(response, 403, "Du har ikke tilgang til denne siden")
    assert "prosjektlederen som gir roller" in html
    assert "Logg ut" in html  # the user's own header
    # Staff cannot read the programme: no link back to it, only the front page.
    assert "Tilbake til programmet" not in html
    assert 'href="/accounts/login/' not in html


def test_403_links_back_to_the_programme_the_user_may_read(project_member, plan):
    response = _logged_in(project_member).get(reverse("risk_import", args=[PLAN_SLUG]))  # project leader only
    html = _assert_page(response, 403, "Du har ikke tilgang til denne siden")
    assert f'href="{reverse("programme", args=[PLAN_SLUG])}"' in html
    assert "Tilbake til programmet" in html


# 404


def test_404_for_an_unknown_address(project_leader, plan):
    response = _logged_in(project_leader).get("/finnes-ikke/")
    html = _assert_page(response, 404, "Fant ikke siden")
    assert "flyttet eller slettet" in html
    assert "et program du ikke er med i" in html
    assert "Logg ut" in html


def test_404_for_an_object_that_does_not_exist(project_leader, plan):
    response = _logged_in(project_leader).get(f"/program/{PLAN_SLUG}/forslag/999999/")
    _assert_page(response, 404, "Fant ikke siden")


def test_404_when_logged_out_offers_the_login(client, plan):
    html = _assert_page(client.get("/finnes-ikke/"), 404, "Fant ikke siden")
    assert f'href="{reverse("login")}"' in html


# CSRF failure


def test_csrf_failure_is_norwegian_in_the_layout_and_changes_nothing(project_leader, plan):
    client = _logged_in(project_leader, enforce_csrf_checks=True)
    response = client.post(reverse("logout"))
    html = _assert_page(response, 403, "Skjemaet kunne ikke sendes")
    assert "Ingenting ble lagret" in html
    assert "Last inn siden med skjemaet på nytt og prøv igjen" in html
    assert "Logg ut" in html  # the context processors ran: the user's header
    assert "_auth_user_id" in client.session  # the logout did not happen


def test_csrf_failure_links_back_to_the_form_only_on_this_site(project_leader, plan):
    client = _logged_in(project_leader, enforce_csrf_checks=True)
    form_page = "http://testserver" + reverse("revision_reports", args=[PLAN_SLUG])
    html = client.post(reverse("revision_reports", args=[PLAN_SLUG]), {}, HTTP_REFERER=form_page).content.decode()
    assert f'href="{form_page}"' in html
    assert "Tilbake til siden med skjemaet" in html
    html = client.post(reverse("logout"), HTTP_REFERER="https://angriper.example/skjema").content.decode()
    assert "angriper.example" not in html
    assert "Tilbake til siden med skjemaet" not in html


def test_csrf_failure_on_the_login_form_offers_the_login(client, plan):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "leder", "password": "demo"})
    html = _assert_page(response, 403, "Skjemaet kunne ikke sendes")
    assert f'href="{reverse("login")}"' in html
    assert "_auth_user_id" not in client.session


# 500


@pytest.mark.urls(__name__)
def test_500_is_a_norwegian_page_of_its_own(project_leader, plan):
    response = _logged_in(project_leader, raise_request_exception=False).get("/test-feil/")
    html = _assert_page(response, 500, SERVER_ERROR, layout=False)
    assert "Det er ikke noe du har gjort feil" in html
    assert "Feilen er logget" in html
    assert 'class="site-header"' in html
    assert "/static/css/app.css" in html


def test_500_template_renders_with_an_empty_context():
    """Django's server_error view gives the template no request, no user and no context processors."""
    html = get_template("500.html").render({})
    assert 'lang="nb"' in html
    assert SERVER_ERROR in html
    assert 'href="/"' in html


# The lockout page (429) already extends the layout; it has its way back to the login.


def test_lockout_page_has_the_layout_and_a_way_back(client, plan):
    for _ in range(5):
        client.post(reverse("login"), {"username": "leder", "password": "feil"}, REMOTE_ADDR="192.0.2.44")
    response = client.post(reverse("login"), {"username": "leder", "password": "demo"}, REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="nb"' in html
    assert f'href="{reverse("login")}"' in html
    for marker in LAYOUT:
        assert marker in html, marker
