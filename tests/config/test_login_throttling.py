"""Login throttling (django-axes): five wrong passwords lock that username from that address for a while."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
LOCKED = "Innloggingen er midlertidig sperret"


def _login(client: Client, username: str, password: str, ip: str = "192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail_five_times(client: Client, username: str = "leder", ip: str = "192.0.2.10"):
    for _ in range(5):
        response = _login(client, username, "feil-passord", ip)
    return response


def test_wrong_password_shows_the_norwegian_error_before_the_limit(client, plan):
    response = _login(client, "leder", "feil-passord")
    assert response.status_code == 200
    assert "Feil brukernavn eller passord. Prøv igjen." in response.content.decode()


def test_after_five_failures_even_the_right_password_is_refused(client, plan):
    _fail_five_times(client)
    response = _login(client, "leder", "demo")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "sperret i 15 minutter" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, plan):
    _fail_five_times(client, "leder", ip="192.0.2.10")
    # Another user from the same address logs in as usual …
    assert _login(Client(), "styring", "demo", ip="192.0.2.10").status_code == 302
    # … and the same user from another address too.
    assert _login(Client(), "leder", "demo", ip="198.51.100.20").status_code == 302


def test_four_failures_then_the_right_password_logs_in_and_resets_the_count(client, plan):
    for _ in range(4):
        _login(client, "leder", "feil-passord")
    assert _login(client, "leder", "demo").status_code == 302
    # The count starts again after a successful login.
    other = Client()
    for _ in range(4):
        _login(other, "leder", "feil-passord")
    assert _login(other, "leder", "demo").status_code == 302


def test_axes_reset_unlocks(client, plan):
    _fail_five_times(client)
    assert _login(client, "leder", "demo").status_code == 429
    call_command("axes_reset", verbosity=0)
    assert _login(client, "leder", "demo").status_code == 302


def test_lock_is_lifted_after_the_cool_off(client, plan, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    _fail_five_times(client)
    assert _login(client, "leder", "demo").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "leder", "demo").status_code == 302


def test_password_policy_refuses_short_and_common_passwords_in_norwegian(plan, project_leader):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("nb"), pytest.raises(ValidationError) as error:
        validate_password("password", project_leader)
    text = " ".join(error.value.messages)
    assert "Passordet er for kort. Det må bestå av minst 10 tegn." in text
    assert "Dette passordet er for vanlig." in text
    validate_password("Kommunen-Digital-2019!", project_leader)  # a long, uncommon one is fine


def test_behind_a_trusted_proxy_the_lock_follows_the_client_address(plan, settings):
    """All requests come from the proxy's address; X-Forwarded-For tells the clients apart."""
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(HTTP_X_FORWARDED_FOR="203.0.113.9"), Client(HTTP_X_FORWARDED_FOR="192.0.2.44")
    _fail_five_times(attacker, "leder", ip="10.0.0.2")
    assert _login(attacker, "leder", "demo", ip="10.0.0.2").status_code == 429
    assert _login(colleague, "leder", "demo", ip="10.0.0.2").status_code == 302
