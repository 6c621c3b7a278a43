import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("drift", "drift@example.no", "x")


def test_healthz_reports_database_broker_and_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert set(body) == {"status", "database", "broker", "worker", "storage"}
    assert body["broker"]["ok"] is True  # eager, or the CI's real Redis
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert body["status"] == "ok"


def test_anonymous_callers_get_up_or_down_only(client):
    body = client.get("/healthz").json()
    assert body == {
        "status": body["status"],
        "database": {"ok": True},
        "broker": {"ok": body["broker"]["ok"]},
        "worker": {"ok": body["worker"]["ok"]},
        "storage": {"ok": True},
    }


def test_a_superuser_gets_the_details(client, superuser):
    client.force_login(superuser)
    body = client.get("/healthz").json()
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert "mode" in body["broker"]
    assert "count" in body["worker"]
    assert body["storage"]["mode"] in {"local", "s3"}


def test_other_logged_in_users_get_no_details(client, project_leader):
    client.force_login(project_leader)
    body = client.get("/healthz").json()
    assert body["database"] == {"ok": True}


def test_head_answers_like_get_without_a_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
    assert client.post("/healthz").status_code == 405


def test_head_and_get_answer_503_when_the_database_is_down(client, monkeypatch):
    from common import health

    monkeypatch.setattr(health, "_database", lambda connection: {"ok": False, "error": "down"})
    assert client.head("/healthz").status_code == 503
    assert client.head("/healthz").content == b""
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


def _broken_database(settings_dict: dict) -> dict:
    """The test database's settings pointed at a host and port where no database listens."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        # A file in a directory that does not exist: SQLite cannot open it, and says where it looked.
        return {**settings_dict, "NAME": "/nonexistent-dir-db.internal.example/portefolje-secret.sqlite3"}
    return {
        **settings_dict,
        "HOST": "db-secret.internal.example",
        "PORT": "6543",
        "NAME": "portefolje_secret_db",
        "OPTIONS": {**settings_dict.get("OPTIONS", {}), "connect_timeout": 2},
    }


def test_a_broken_database_url_never_shows_its_host_port_or_error_to_anonymous_callers(client, superuser):
    from django.db.utils import load_backend

    from common.health import _database

    broken_settings = _broken_database(connection.settings_dict)
    broken = load_backend(broken_settings["ENGINE"]).DatabaseWrapper(broken_settings, "broken")
    try:
        detail = _database(broken)
    finally:
        broken.close()
    assert detail["ok"] is False and detail["error"]  # the driver's text, with host or path in it

    from common import views

    real = views.health_status
    try:
        views.health_status = lambda _connection: real(broken)
        anonymous = client.get("/healthz")
        client.force_login(superuser)
        admin = client.get("/healthz")
    finally:
        views.health_status = real
        broken.close()

    assert anonymous.status_code == admin.status_code == 503
    assert anonymous.json()["database"] == {"ok": False}
    assert anonymous.json()["status"] == "down"
    text = anonymous.content.decode()
    for secret in ("db-secret", "internal.example", "6543", "portefolje_secret", "nonexistent", "error"):
        assert secret not in text
    assert admin.json()["database"]["ok"] is False
    assert admin.json()["database"]["error"] == detail["error"]


def test_healthz_reports_broker_down_but_still_serves(client, settings):
    # A real unreachable broker address on loopback: nothing listens on port 1.
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        body = client.get("/healthz").json()
    finally:
        app.conf.broker_url = old
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["worker"]["ok"] is False
    assert body["status"] == "degraded"
