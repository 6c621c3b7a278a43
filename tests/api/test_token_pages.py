"""A logged-in user makes personal access tokens (shown once) and revokes them, on /konto/api-nokler/."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from api.models import PersonalAccessToken
from api.views import MAX_USABLE_TOKENS

pytestmark = pytest.mark.django_db

URL = "/konto/api-nokler/"


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_menu_links_to_the_page(client, staff):
    client.force_login(staff)
    assert f'href="{URL}"' in client.get(reverse("home"), follow=True).content.decode()


def test_a_new_token_is_shown_once_and_works(client, api_get, project_leader):
    client.force_login(project_leader)
    response = client.post(URL, {"name": "Power BI styringsrapport", "days": "90"})
    assert response.status_code == 200
    page = response.content.decode()
    raw = re.search(r'value="(pf_[A-Za-z0-9_-]+)"', page).group(1)
    assert "Den vises bare denne ene gangen" in page
    assert api_get("programmes", raw).status_code == 200
    again = client.get(URL).content.decode()
    assert raw not in again and "Power BI styringsrapport" in again and raw[:9] in again
    token = PersonalAccessToken.objects.get(user=project_leader)
    assert 89 <= (token.expires_at - token.created_at).days <= 90


def test_revoking_stops_the_token_at_once(client, api_get, token_for, project_leader):
    raw = token_for(project_leader)
    token = PersonalAccessToken.objects.get(user=project_leader)
    client.force_login(project_leader)
    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "er trukket tilbake" in response.content.decode()
    assert api_get("risks", raw).status_code == 401
    assert "Trukket tilbake" in client.get(URL).content.decode()


def test_nobody_revokes_or_sees_anothers_token(client, api_get, token_for, project_leader, steering_member):
    raw = token_for(project_leader, "Lederens nøkkel")
    token = PersonalAccessToken.objects.get(user=project_leader)
    client.force_login(steering_member)
    assert "Lederens nøkkel" not in client.get(URL).content.decode()
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert api_get("risks", raw).status_code == 200


def test_revoking_is_a_post(client, token_for, project_leader):
    token_for(project_leader)
    client.force_login(project_leader)
    token = PersonalAccessToken.objects.get(user=project_leader)
    assert client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405
    assert PersonalAccessToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "days": "90"}, "Gi nøkkelen et navn."),
        ({"name": "\u200b ", "days": "90"}, "Gi nøkkelen et navn."),
        ({"name": "Excel", "days": "3650"}, "Velg hvor lenge nøkkelen skal gjelde."),
        ({"name": "Excel", "days": "abc"}, "Velg hvor lenge nøkkelen skal gjelde."),
        ({"name": "x" * 101, "days": "90"}, "100 eller færre tegn"),
    ],
)
def test_a_bad_form_is_a_norwegian_422_and_makes_nothing(client, project_leader, data, message):
    client.force_login(project_leader)
    response = client.post(URL, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_a_lifetime_over_the_installations_limit_is_not_offered(client, project_leader, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    client.force_login(project_leader)
    assert 'value="365"' not in client.get(URL).content.decode()
    assert client.post(URL, {"name": "Lang", "days": "365"}).status_code == 422


def test_at_most_so_many_usable_tokens(client, token_for, project_leader):
    for n in range(MAX_USABLE_TOKENS):
        token_for(project_leader, f"Nøkkel {n}")
    client.force_login(project_leader)
    response = client.post(URL, {"name": "En til", "days": "30"})
    assert response.status_code == 422
    assert "Trekk tilbake en du ikke bruker først" in response.content.decode()
    PersonalAccessToken.objects.filter(user=project_leader).first().revoke()
    assert client.post(URL, {"name": "En til", "days": "30"}).status_code == 200


def test_an_installation_administrator_revokes_a_token_in_the_admin(client, api_get, token_for, project_leader):
    raw = token_for(project_leader, "Sluttet")
    token = PersonalAccessToken.objects.get(user=project_leader)
    admin = get_user_model().objects.create_superuser("drift", password="x")
    client.force_login(admin)
    page = client.get(reverse("admin:api_personalaccesstoken_change", args=[token.pk])).content.decode()
    assert "Sluttet" in page and token.token_hash not in page
    response = client.post(
        reverse("admin:api_personalaccesstoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 nøkkel trukket tilbake." in response.content.decode()
    assert api_get("risks", raw).status_code == 401
