"""Production defaults that fail safe, and bounded work per request.

DEBUG off unless set; passwords; a body limit for anonymous requests; no caching of logged-in pages; a statement
timeout for web requests on PostgreSQL. Redis that never answers: tests/common/test_redis_stall.py.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from measures.models import Proposal

SLUG = "nordre-land-digitalisering"
FIFTY_MB = str(50 * 1024 * 1024)


# --- DEBUG is off unless set ---------------------------------------------------------------------------------


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "SECURE_"))}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_and_a_secret_key_required_when_nothing_is_set():
    refused = _python("pass")
    assert refused.returncode != 0
    assert "SECRET_KEY må settes når DEBUG er av." in refused.stderr

    production = _python(
        "from django.conf import settings as s; print(s.DEBUG, s.DEMO_ALLOWED, s.SECURE_SSL_REDIRECT)",
        SECRET_KEY="x" * 60,
    )
    assert production.stdout.split() == ["False", "False", "True"], production.stderr


def test_debug_on_only_when_asked_for():
    development = _python("from django.conf import settings as s; print(s.DEBUG, s.DEMO_ALLOWED)", DEBUG="1")
    assert development.stdout.split() == ["True", "True"], development.stderr


def test_make_run_and_demo_turn_debug_on_and_make_test_too():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "migrate demo run messages worker: export DEBUG ?= 1" in makefile
    assert "test: export DEBUG ?= 1" in makefile
    assert "export DEBUG=1" in (settings.BASE_DIR / ".ci" / "run").read_text()


# --- passwords -----------------------------------------------------------------------------------------------


def _refusals(password: str, user) -> list[str]:
    with translation.override("nb"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return error.messages
    return []


@pytest.mark.django_db
def test_a_common_norwegian_password_is_refused_in_norwegian():
    user = get_user_model()(username="kari.nordmann", email="kari@example.no", first_name="Kari")
    assert "Dette passordet er for vanlig." in _refusals("passord123", user)
    assert "Dette passordet er for vanlig." in _refusals("Sommer2024!", user)
    assert "Dette passordet er for vanlig." in _refusals("qwerty2019", user)  # Django's list, digits around


@pytest.mark.django_db
def test_the_username_as_password_is_refused_in_norwegian():
    user = get_user_model()(username="kari.nordmann", email="kari@example.no")
    assert "Passordet er for likt brukernavn." in _refusals("kari.nordmann", user)
    assert "Passordet er for likt brukernavn." in _refusals("Kari.Nordmann1", user)


@pytest.mark.django_db
def test_long_uncommon_passwords_pass_and_the_help_texts_are_norwegian():
    user = get_user_model()(username="kari.nordmann", email="kari@example.no")
    assert _refusals("Et-langt-passord-2024", user) == []
    assert _refusals("Kommunen-Digital-2019!", user) == []
    with translation.override("nb"):
        helps = password_validators_help_texts()
    assert "Passordet kan ikke ligne for mye på brukernavnet, navnet eller e-postadressen din." in helps
    assert "Passordet kan ikke være et vanlig passord, eller et vanlig ord med bare tall og tegn rundt." in helps


# --- body limit for anonymous requests -----------------------------------------------------------------------


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _huge_post(client, url: str):
    return client.generic(
        "POST",
        url,
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=FIFTY_MB,
        **{"wsgi.input": Unreadable()},
    )


@pytest.mark.django_db
def test_a_huge_anonymous_post_to_the_public_form_is_refused_unread(client, plan):
    before = Proposal.objects.count()
    response = _huge_post(client, reverse("public_proposal_form", args=[SLUG]))
    assert response.status_code == 413
    assert response.content.decode() == "Forespørselen er for stor. Uten innlogging kan du sende høyst 64 kB."
    assert Proposal.objects.count() == before


@pytest.mark.django_db
def test_a_huge_anonymous_post_to_the_login_page_is_refused_unread(client, plan):
    from axes.models import AccessAttempt

    response = _huge_post(client, reverse("login"))
    assert response.status_code == 413
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_anonymous_posts_under_the_limit_and_logged_in_posts_over_it_go_through(client, plan, project_leader):
    area = plan.areas.get(number=2)
    data = {"title": "Lading av elbil ved rådhuset", "area": area.pk, "description": "x" * 10_000}
    assert client.post(reverse("public_proposal_form", args=[SLUG]), data).status_code == 302
    assert Proposal.objects.filter(title="Lading av elbil ved rådhuset").exists()

    client.force_login(project_leader)
    proposal = Proposal.objects.get(title="Lading av elbil ved rådhuset")
    comment = "Vurderes i neste runde. " * 4000  # ~96 kB: over the anonymous limit
    response = client.post(
        reverse("proposal_status", args=[SLUG, proposal.pk]), {"status": "screening", "comment": comment}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SCREENING


def test_the_body_limit_is_a_setting():
    assert settings.ANONYMOUS_MAX_BODY_BYTES == 64 * 1024
    assert settings.UPLOAD_MAX_BYTES == 5 * 1024 * 1024


# --- Cache-Control -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_for_a_logged_in_user_are_never_stored(client, plan, project_leader):
    client.force_login(project_leader)
    for url in (reverse("programme", args=[SLUG]), reverse("proposal_list", args=[SLUG]), reverse("login")):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


@pytest.mark.django_db
def test_anonymous_pages_keep_their_caching(client, plan):
    public = client.get(reverse("public_measures", args=[SLUG]))
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")
    # The login page: Django's own never_cache, nothing more from us.
    login = client.get(reverse("login"))
    assert login.status_code == 200
    assert login["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


# --- statement timeout for web requests ----------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="statement_timeout finnes bare i PostgreSQL; SQLite har ingen tilsvarende innstilling",
)


def _show_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db
@pytest.mark.urls("tests.config.statement_timeout_urls")
def test_a_web_request_has_the_statement_timeout_and_other_work_has_none(client, settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 1500
    assert _show_timeout() == "0"  # a command or worker: no limit
    assert client.get("/timeout").json() == {"statement_timeout": "1500ms"}
    assert _show_timeout() == "0"  # reset when the request ends


@postgresql_only
@pytest.mark.django_db
@pytest.mark.urls("tests.config.statement_timeout_urls")
def test_a_slow_query_of_a_web_request_is_cancelled_at_the_timeout(client, settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 300
    body = client.get("/sleep", {"seconds": "5"}).json()
    assert body["cancelled"] is True
    assert "statement timeout" in body["error"]
    assert body["seconds"] < 2
    assert client.get("/sleep", {"seconds": "0.01"}).json()["cancelled"] is False


@postgresql_only
def test_the_default_web_statement_timeout():
    assert settings.WEB_STATEMENT_TIMEOUT_MS == 15000
