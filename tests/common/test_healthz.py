import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert set(body) == {"status", "database", "broker", "worker"}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert body["broker"]["mode"] == "eager"
        assert body["status"] == "ok"
    else:
        assert body["broker"]["ok"] is True  # the CI's real Redis


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


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
