"""Every API list needs a usable personal access token of an active user; anything else is a Norwegian 401."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import PersonalAccessToken, hash_token

pytestmark = pytest.mark.django_db


def _refused(response):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Bearer"
    assert "tilgangsnøkkel" in response.json()["detail"]


def test_without_a_token_the_api_answers_401_not_a_login_page(api_get):
    _refused(api_get("risks"))


def test_a_logged_in_session_is_not_enough(client, api_get, project_leader):
    """The API reads tokens only: a browser session (and its CSRF exposure) opens nothing."""
    client.force_login(project_leader)
    _refused(api_get("risks"))


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "Bearer pf_feil", "Basic bGVkZXI6ZGVtbw==", "pf_x", "Bearer " + "x" * 5000]
)
def test_a_wrong_or_malformed_token_is_401(client, header):
    _refused(client.get("/api/v1/risks", HTTP_AUTHORIZATION=header))


def test_a_good_token_reads_and_records_its_use(api_get, token_for, project_leader):
    raw = token_for(project_leader)
    response = api_get("risks", raw)
    assert response.status_code == 200
    assert response.json()["count"] > 0
    token = PersonalAccessToken.objects.get(token_hash=hash_token(raw))
    assert token.last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(token_for, project_leader):
    raw = token_for(project_leader)
    token = PersonalAccessToken.objects.get(user=project_leader)
    assert raw.startswith("pf_") and len(raw) > 40
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert token.prefix == raw[:9]
    stored = [str(value) for value in PersonalAccessToken.objects.values_list(flat=False).get()]
    assert raw not in stored


def test_a_revoked_token_is_401_at_once(api_get, token_for, project_leader):
    raw = token_for(project_leader)
    assert api_get("risks", raw).status_code == 200
    PersonalAccessToken.objects.get(user=project_leader).revoke()
    _refused(api_get("risks", raw))


def test_an_expired_token_is_401(api_get, token_for, project_leader):
    raw = token_for(project_leader)
    PersonalAccessToken.objects.filter(user=project_leader).update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused(api_get("risks", raw))


def test_the_token_of_a_deactivated_user_is_401(api_get, token_for, project_leader):
    raw = token_for(project_leader)
    project_leader.is_active = False
    project_leader.save()
    _refused(api_get("programmes", raw))


def test_the_schema_and_its_docs_need_no_token(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_answers_are_kept_by_no_cache(api_get, token_for, project_leader):
    for response in (api_get("risks", token_for(project_leader)), api_get("risks")):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
