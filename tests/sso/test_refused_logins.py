"""A login through the provider that cannot be trusted, or that the provider refused, ends on a Norwegian error
page with nobody logged in: never a 500."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sso.models import OidcIdentity

from .conftest import PROVIDER_NAME, answer, local, logged_in_user_id, provider_user, sso_login, start

pytestmark = pytest.mark.django_db

User = get_user_model()


def assert_refused(response, status: int, text: str) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert "Innloggingen mislyktes" in page
    assert text in page
    assert response.wsgi_request.user.is_anonymous


def with_state(callback_url: str, state: str | None) -> str:
    """The callback URL as the provider sent it, but with another state (or none)."""
    query = {key: values[0] for key, values in parse_qs(urlsplit(callback_url).query).items()}
    query.pop("state")
    if state is not None:
        query["state"] = state
    return f"{reverse('oidc_authentication_callback')}?{urlencode(query)}"


@pytest.fixture
def count_users(db):
    return lambda: User.objects.count()


def test_a_tampered_state_is_refused(client, sso, count_users):
    provider_user(sso, "mallory", email="mallory@example.no")
    before = count_users()
    callback = answer(start(client), "mallory")

    response = client.get(with_state(callback, "forfalsket-tilstand"))

    assert_refused(response, 400, "hørte ikke til denne nettleseren")
    assert logged_in_user_id(client) is None
    assert count_users() == before


def test_a_missing_state_is_refused(client, sso, count_users):
    provider_user(sso, "mallory", email="mallory@example.no")
    before = count_users()
    callback = answer(start(client), "mallory")

    assert_refused(client.get(with_state(callback, None)), 400, "hørte ikke til denne nettleseren")
    assert count_users() == before


def test_an_answer_from_another_browser_is_refused(client, sso, count_users):
    """Login CSRF: an attacker's own code and state, pushed into the victim's browser, log nobody in."""
    provider_user(sso, "attacker", email="attacker@example.no")
    attacker = client.__class__()
    callback = answer(start(attacker), "attacker")

    assert_refused(client.get(local(callback)), 400, "hørte ikke til denne nettleseren")
    assert not OidcIdentity.objects.filter(subject="attacker").exists()


def test_an_answer_used_twice_is_refused_the_second_time(client, sso):
    provider_user(sso, "ola", email="ola@example.no")
    callback = local(answer(start(client), "ola"))
    assert client.get(callback).status_code == 302
    client.logout()

    assert_refused(client.get(callback), 400, "hørte ikke til denne nettleseren")


def test_an_id_token_with_another_nonce_is_refused(client, sso, count_users):
    """The provider's code for one login, returned with the state of another in the same browser (a code
    injected or mixed up): the ID token's nonce is not the one kept with that state."""
    provider_user(sso, "mallory", email="mallory@example.no")
    before = count_users()
    first = answer(start(client), "mallory")
    second_state = parse_qs(urlsplit(start(client)).query)["state"][0]

    response = client.get(with_state(first, second_state))

    assert_refused(response, 400, f"Svaret fra {PROVIDER_NAME} kunne ikke godkjennes")
    assert count_users() == before


def test_a_code_the_provider_will_not_redeem_is_refused(client, sso):
    provider_user(sso, "ola", email="ola@example.no")
    callback = answer(start(client), "ola")
    query = parse_qs(urlsplit(callback).query)
    bad = f"{reverse('oidc_authentication_callback')}?{urlencode({'code': 'oppdiktet', 'state': query['state'][0]})}"

    assert_refused(client.get(bad), 400, f"Svaret fra {PROVIDER_NAME} kunne ikke godkjennes")


def test_the_user_saying_no_at_the_provider_is_an_error_page(client, sso, count_users):
    before = count_users()
    callback = answer(start(client))  # no subject: the user presses «Deny»
    assert "error=access_denied" in callback

    response = client.get(local(callback))

    assert_refused(response, 403, f"Innloggingen ble avbrutt eller avvist hos {PROVIDER_NAME}")
    assert count_users() == before


def test_a_deactivated_user_cannot_log_in_through_the_provider(client, sso):
    provider_user(sso, "sluttet", email="sluttet@example.no", email_verified=True)
    sso_login(client, "sluttet")
    user = User.objects.get(pk=logged_in_user_id(client))
    client.logout()
    user.is_active = False
    user.save()

    assert_refused(sso_login(client, "sluttet"), 403, "Brukerkontoen din er deaktivert")


def test_deactivation_is_not_undone_by_a_first_login_with_the_same_address(client, sso):
    User.objects.create_user("sluttet", email="sluttet@example.no", is_active=False)
    provider_user(sso, "ny-konto", email="sluttet@example.no", email_verified=True)

    assert_refused(sso_login(client, "ny-konto"), 403, "Brukerkontoen din er deaktivert")


def test_an_address_shared_by_two_users_links_neither(client, sso, count_users):
    User.objects.create_user("a", email="felles@example.no")
    User.objects.create_user("b", email="FELLES@example.no")
    provider_user(sso, "felles", email="felles@example.no", email_verified=True)
    before = count_users()

    assert_refused(sso_login(client, "felles"), 403, "Flere brukere i Portefølje har e-postadressen din")
    assert count_users() == before
    assert not OidcIdentity.objects.exists()


def test_an_unreachable_provider_breaks_only_the_login_through_it(client, settings, unused_port, plan, staff):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{unused_port}"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_PROVIDER_NAME = "x", PROVIDER_NAME
    settings.OIDC_TIMEOUT = 1

    login_page = client.get(reverse("login"))
    assert login_page.status_code == 200 and f"Logg inn med {PROVIDER_NAME}" in login_page.content.decode()
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 503
    assert f"Vi får ikke kontakt med {PROVIDER_NAME} akkurat nå" in response.content.decode()
    # A callback arriving meanwhile (state unknown) is refused the same way as ever.
    assert client.get(reverse("oidc_authentication_callback") + "?code=x&state=y").status_code == 400
    # The rest of the site, and password login, go on.
    assert client.post(reverse("login"), {"username": "ansatt", "password": "demo"}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.fixture
def unused_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_login_below_the_required_level_of_assurance_is_refused(client, sso, settings, count_users):
    """ID-porten: the client must check the ID token's acr against the level the service needs."""
    settings.OIDC_ACR_VALUES = "idporten-loa-substantial idporten-loa-high"
    provider_user(sso, "minid-lav", acr="idporten-loa-low")
    provider_user(sso, "bankid", acr="idporten-loa-high")
    before = count_users()

    authorization_url = start(client)
    assert parse_qs(urlsplit(authorization_url).query)["acr_values"] == [settings.OIDC_ACR_VALUES]
    assert_refused(client.get(local(answer(authorization_url, "minid-lav"))), 400, "kunne ikke godkjennes")
    assert count_users() == before

    assert sso_login(client, "bankid").status_code == 302
    assert logged_in_user_id(client) is not None
