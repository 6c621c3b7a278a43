"""An expired ID token is refused; a clock a little behind the provider's (under a minute) is not."""

from contextlib import ExitStack
from datetime import timedelta

import pytest
from oidc_provider_mock import run_server_in_thread

from .conftest import CLIENT_ID, logged_in_user_id, provider_user, sso_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_with_token_age(settings):
    """A provider of its own whose tokens live `seconds` (negative: already expired when issued)."""
    with ExitStack() as servers:

        def start(seconds: int) -> str:
            server = servers.enter_context(run_server_in_thread(access_token_max_age=timedelta(seconds=seconds)))
            url = f"http://localhost:{server.server_port}"
            settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = url, CLIENT_ID, "x"
            settings.OIDC_USERINFO = False  # the access token expires with it; only the ID token is looked at
            return url

        yield start


def test_an_expired_id_token_is_refused(client, provider_with_token_age):
    provider = provider_with_token_age(-120)
    provider_user(provider, "sen", email="sen@example.no")

    response = sso_login(client, "sen")

    assert response.status_code == 400 and "kunne ikke godkjennes" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_token_that_expired_seconds_ago_passes_within_the_leeway(client, provider_with_token_age):
    provider = provider_with_token_age(-20)
    provider_user(provider, "nesten", email="nesten@example.no")

    assert sso_login(client, "nesten").status_code == 302
    assert logged_in_user_id(client) is not None
