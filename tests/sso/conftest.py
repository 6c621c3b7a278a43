"""A real OpenID Connect provider on loopback (oidc-provider-mock, in a thread) and the settings that use it.

The provider's users are set per test (PUT /users/<sub>); the provider answers the authorization request with
the subject a test posts to it, the way a user signs in there. Nothing of mozilla-django-oidc is patched: the
app discovers the endpoints, redeems the code, checks the ID token against the provider's keys and reads its
userinfo endpoint over HTTP.
"""

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from oidc_provider_mock import run_server_in_thread

PROVIDER_NAME = "Testleverandør"
CLIENT_ID = "portefolje"


@pytest.fixture(scope="session")
def oidc_provider():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, oidc_provider):
    """SSO configured from the provider's discovery document, as an installation would from the environment."""
    settings.OIDC_ISSUER = oidc_provider
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "hemmelig"
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    return oidc_provider


def provider_user(provider: str, sub: str, **claims) -> None:
    """The account `sub` at the provider, with these claims (e-mail, name, …)."""
    response = requests.put(f"{provider}/users/{sub}", json=claims, timeout=5)
    assert response.status_code == 204, response.text


def start(client, next_url: str = "") -> str:
    """Clicks «Logg inn med …»: returns the provider's authorization URL the browser is sent to."""
    response = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content
    return response["Location"]


def answer(authorization_url: str, sub: str | None = None) -> str:
    """The user at the provider signs in as `sub` (or, without one, says no): the callback URL it sends back."""
    data = {"sub": sub} if sub else {"action": "deny"}
    response = requests.post(authorization_url, data=data, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def local(url: str) -> str:
    """The path and query of the callback URL, for the Django test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sso_login(client, sub: str, next_url: str = ""):
    """A whole login through the provider; the callback's response."""
    return client.get(local(answer(start(client, next_url), sub)))


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")
