import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from config.celery import app
from portfolio.models import Programme
from tests.s3 import s3_server, s3_store  # noqa: F401  (fixtures: an S3-compatible store on loopback)

PLAN_SLUG = "nordre-land-digitalisering"


def pytest_configure(config):
    # Hashing "demo" with PBKDF2 dominates set-up time; tests don't test the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Nordre Land plan and the demo users once; each test runs in a rolled-back transaction.

    Without the demo history: tests check the plan as the seed document has it and add what they need;
    tests/demo runs the full `setup_demo` (and its history) itself.
    """
    with django_db_blocker.unblock():
        call_command("setup_demo", "--without-history", verbosity=0)


@pytest.fixture(autouse=True)
def celery_eager_unless_worker_test(request):
    """Task behaviour is tested in-process; only tests marked `worker` go through Redis to a real worker.

    Without this, the PostgreSQL+Redis pass would queue every task to a broker nobody consumes.
    """
    if request.node.get_closest_marker("worker"):
        yield
        return
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Norwegian: a request in English leaves English active in the thread after it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache is Redis in the production pass: rate limits must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def plan(db) -> Programme:
    return Programme.objects.get(slug=PLAN_SLUG)


@pytest.fixture
def committed_plan(transactional_db) -> Programme:
    """The plan in a transactional test (which starts from an emptied database)."""
    call_command("setup_demo", "--without-history", verbosity=0)
    return Programme.objects.get(slug=PLAN_SLUG)


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def project_leader(db):
    return _user("leder")


@pytest.fixture
def steering_member(db):
    return _user("styring")


@pytest.fixture
def project_member(db):
    return _user("prosjekt")


@pytest.fixture
def staff(db):
    return _user("ansatt")


@pytest.fixture
def outsider(db):
    """A logged-in user with no role at all."""
    return get_user_model().objects.create_user("utenfor", password="x")


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright; skipped with a reason where it is missing, but never in CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true, men Chromium mangler: `make test` skulle ha installert pakken chromium")
        pytest.skip("Chromium er ikke installert (apt-get install chromium); nettlesertestene hoppes over")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of fixtures stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
