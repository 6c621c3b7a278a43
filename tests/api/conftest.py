import pytest

from api.models import PersonalAccessToken


@pytest.fixture
def token_for(db):
    """A usable personal access token of `user`, as its raw string."""

    def make(user, name="Power BI", days=90) -> str:
        return PersonalAccessToken.issue(user, name, days)[1]

    return make


@pytest.fixture
def api_get(client):
    """GET an API path (under /api/v1/) with a token; the response."""

    def get(path: str, token: str | None = None, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
        return client.get(f"/api/v1/{path.lstrip('/')}", params, **headers)

    return get
