"""Lists come in pages (limit/offset, at most API_MAX_PAGE_SIZE rows) that together hold every row once."""

import pytest

from risks.models import Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(token_for, project_leader):
    return token_for(project_leader)


def test_pages_follow_each_other_without_gaps_or_overlap(api_get, client, token, plan):
    total = Risk.objects.filter(programme=plan).count()
    assert total >= 5
    seen, response = [], api_get("risks", token, limit=2)
    while True:
        body = response.json()
        assert body["count"] == total and body["limit"] == 2 and len(body["items"]) <= 2
        seen += [row["id"] for row in body["items"]]
        if body["next"] is None:
            break
        assert body["next"].startswith("http://testserver/api/v1/risks?")
        response = client.get(body["next"], HTTP_AUTHORIZATION=f"Bearer {token}")
    assert seen == sorted(Risk.objects.filter(programme=plan).values_list("pk", flat=True))


def test_next_keeps_the_filters(api_get, token):
    body = api_get("risks", token, limit=1, programme="nordre-land-digitalisering", changed_since="2000-01-01").json()
    assert "programme=nordre-land-digitalisering" in body["next"] and "changed_since=2000-01-01" in body["next"]
    assert "offset=1" in body["next"] and "limit=1" in body["next"]


def test_the_default_page_and_the_largest(api_get, token, settings):
    assert api_get("budget-lines", token).json()["limit"] == settings.API_PAGE_SIZE == 100
    assert api_get("budget-lines", token, limit=500).json()["limit"] == 500
    response = api_get("budget-lines", token, limit=501)
    assert response.status_code == 400
    assert response.json()["detail"] == "«limit» må være et heltall fra 1 til 500."


def test_an_offset_past_the_end_is_an_empty_last_page(api_get, token):
    body = api_get("risks", token, offset=10_000).json()
    assert body["items"] == [] and body["next"] is None and body["count"] > 0
