"""Each token may make API_RATE_LIMIT requests; then a Norwegian 429 with Retry-After until the window passes."""

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_token_over_its_limit_gets_429_and_another_token_is_not_affected(
    api_get, token_for, project_leader, steering_member, settings
):
    settings.API_RATE_LIMIT = "3/min"
    busy, other = token_for(project_leader), token_for(steering_member)
    assert [api_get("risks", busy).status_code for _ in range(3)] == [200, 200, 200]
    response = api_get("risks", busy)
    assert response.status_code == 429
    assert response.json()["detail"] == "For mange forespørsler med denne nøkkelen. Vent litt og prøv igjen."
    assert 1 <= int(response["Retry-After"]) <= 60
    assert api_get("risks", other).status_code == 200


def test_two_tokens_of_one_user_count_apart(api_get, token_for, project_leader, settings):
    settings.API_RATE_LIMIT = "2/min"
    first, second = token_for(project_leader, "Power BI"), token_for(project_leader, "Excel")
    assert [api_get("risks", first).status_code for _ in range(3)] == [200, 200, 429]
    assert api_get("risks", second).status_code == 200


def test_the_limit_is_a_window_that_passes(api_get, token_for, project_leader, settings):
    settings.API_RATE_LIMIT = "1/min"
    token = token_for(project_leader)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert api_get("risks", token).status_code == 200
        assert api_get("risks", token).status_code == 429
    with time_machine.travel(start + timezone.timedelta(seconds=61), tick=False):
        assert api_get("risks", token).status_code == 200


def test_requests_without_a_valid_token_are_401_before_any_counting(api_get, settings):
    settings.API_RATE_LIMIT = "1/min"
    assert [api_get("risks", "pf_feil").status_code for _ in range(3)] == [401, 401, 401]


def test_when_the_cache_is_down_the_api_still_answers(api_get, token_for, project_leader, settings, caplog):
    """A Redis nobody answers on (a closed port): the request is served, and the missing check is logged."""
    settings.API_RATE_LIMIT = "1/min"
    token = token_for(project_leader)
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=broken):
        assert [api_get("risks", token).status_code for _ in range(2)] == [200, 200]
    assert "rate limit not checked" in caplog.text
