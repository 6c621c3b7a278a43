"""PASSWORD_LOGIN=0: with single sign-on, the password form is gone and a posted password refused everywhere."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from .conftest import PROVIDER_NAME, logged_in_user_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_passwords(sso, settings):
    settings.PASSWORD_LOGIN = False


def test_the_login_page_has_only_the_provider(client, no_passwords):
    page = client.get(reverse("login")).content.decode()
    assert f"Logg inn med {PROVIDER_NAME}" in page
    assert 'name="password"' not in page


def test_a_posted_password_is_refused(client, no_passwords):
    response = client.post(reverse("login"), {"username": "ansatt", "password": "demo"})

    assert response.status_code == 403
    assert "Innlogging med brukernavn og passord er slått av her" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_the_admins_password_form_is_closed_too(client, no_passwords, django_user_model):
    django_user_model.objects.create_superuser("rot", password="rot-passord-123")

    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post("/admin/login/?next=/admin/", {"username": "rot", "password": "rot-passord-123"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert logged_in_user_id(client) is None


def test_password_login_stays_by_default_with_its_lockout(client, sso, settings):
    """django-axes still counts wrong passwords on our login page, SSO or not."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "ansatt", "password": "feil"})
    response = client.post(reverse("login"), {"username": "ansatt", "password": "demo"})
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_the_admin_login_page_is_the_admins_own_while_passwords_are_on(client, sso):
    response = client.get("/admin/login/")
    assert response.status_code == 200 and 'name="password"' in response.content.decode()


def test_switching_passwords_off_without_sso_is_refused_at_start_up(tmp_path):
    """Nobody could log in at all: the settings refuse it."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PASSWORD_LOGIN": "0", "OIDC_ISSUER": "", "OIDC_CLIENT_ID": "", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.INSTALLED_APPS"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "PASSWORD_LOGIN=0 krever innlogging med OpenID Connect" in result.stderr
    assert ImproperlyConfigured.__name__ in result.stderr
