"""The whole round trip over HTTP, as a browser makes it: our live server and the provider, following redirects."""

import re
from html import unescape

import pytest
import requests

from sso.models import OidcIdentity

from .conftest import PROVIDER_NAME, provider_user


@pytest.mark.django_db(transaction=True)
def test_login_and_logout_through_the_provider(live_server, sso):
    provider_user(sso, "e2e-bruker", email="e2e@example.no", email_verified=True, name="Eva Ende")
    browser = requests.Session()

    login_page = browser.get(f"{live_server.url}/accounts/login/?next=/", timeout=10)
    button = re.search(rf'<a href="([^"]+)">Logg inn med {PROVIDER_NAME}</a>', login_page.text)
    at_provider = browser.get(live_server.url + unescape(button.group(1)), timeout=10)
    assert at_provider.url.startswith(f"{sso}/oauth2/authorize?")

    # The user signs in at the provider; the browser follows it back to our callback and on to the home page.
    home = browser.post(at_provider.url, data={"sub": "e2e-bruker"}, timeout=10)

    assert home.url == f"{live_server.url}/"
    assert "Du har ingen rolle i noe program ennå" in home.text
    assert "Eva Ende" in home.text
    assert OidcIdentity.objects.get(subject="e2e-bruker").user.email == "e2e@example.no"

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text).group(1)
    logged_out = browser.post(f"{live_server.url}/accounts/logout/", data={"csrfmiddlewaretoken": token}, timeout=10)
    assert "Du er logget ut av Portefølje" in logged_out.text
    end_session = browser.get(logged_out.headers["Refresh"].removeprefix("0;url="), timeout=10)
    assert end_session.url.startswith(f"{sso}/oauth2/end_session?")
    redirect_uri = unescape(re.search(r'name="redirect_uri" value="([^"]+)"', end_session.text).group(1))
    back = browser.post(f"{sso}/oauth2/end_session/confirm", data={"redirect_uri": redirect_uri}, timeout=10)

    assert back.url == f"{live_server.url}/accounts/login/"
    assert f"Logg inn med {PROVIDER_NAME}" in back.text
    assert browser.get(f"{live_server.url}/", timeout=10).url.startswith(f"{live_server.url}/accounts/login/")
