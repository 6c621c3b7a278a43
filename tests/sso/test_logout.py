"""Logging out ends the provider's session too when the login came through it; else only ours."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from .conftest import CLIENT_ID, logged_in_user_id, provider_user, sso_login

pytestmark = pytest.mark.django_db


def test_logout_after_a_provider_login_goes_on_to_end_the_providers_session(client, sso):
    provider_user(sso, "kari", email="kari@example.no")
    sso_login(client, "kari")
    id_token = client.session["oidc_id_token"]
    assert id_token

    response = client.post(reverse("logout"))

    assert logged_in_user_id(client) is None
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    # Not a redirect, which the CSP's form-action would stop: a page that moves on, with a link for when it does not.
    assert response.status_code == 200
    provider_url = response["Refresh"].removeprefix("0;url=")
    assert provider_url.startswith(f"{sso}/oauth2/end_session?")
    assert f'href="{provider_url.replace("&", "&amp;")}"' in response.content.decode()
    query = parse_qs(urlsplit(provider_url).query)
    assert query["id_token_hint"] == [id_token]
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]

    # At the provider: its end-session page, and back to our login page.
    assert requests.get(provider_url, timeout=5).status_code == 200
    confirmed = requests.post(
        f"{sso}/oauth2/end_session/confirm",
        data={"redirect_uri": query["post_logout_redirect_uri"][0]},
        allow_redirects=False,
        timeout=5,
    )
    assert confirmed.headers["Location"] == "http://testserver/accounts/login/"


def test_logout_after_a_password_login_is_ours_only(client, sso):
    assert client.post(reverse("login"), {"username": "ansatt", "password": "demo"}).status_code == 302

    response = client.post(reverse("logout"))

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert logged_in_user_id(client) is None


def test_logout_is_a_post(client, sso, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    assert logged_in_user_id(client) == str(staff.pk)
