"""A Redis that accepts connections and never answers must not stall a request.

Worse than a stopped Redis (tests/across_apps/test_faults.py): connecting succeeds, and every command waits for an
answer that never comes. Every Redis client (the Celery broker and result backend, the cache) gives up after its
socket timeout (REDIS_SOCKET_TIMEOUT, REDIS_CONNECT_TIMEOUT), and publishing retries once
(CELERY_TASK_PUBLISH_RETRY_POLICY). Runs in both CI passes, in-process, without the real Redis.
"""

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from config.celery import app
from measures.models import Proposal
from reports.models import RevisionReport
from tests import factories

SLUG = "nordre-land-digitalisering"
BOUND = 8  # seconds: a request that queues a task or uses the cache answers within this, Redis or not


class SilentServer:
    """A TCP server on loopback that accepts every connection and never sends a byte."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="silent-redis", daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)  # kept open, never answered

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_redis():
    server = SilentServer()
    try:
        yield server
    finally:
        server.stop()
    assert not server.thread.is_alive()


@pytest.fixture
def on_silent_redis(silent_redis, settings):
    """Broker, result backend and cache of this process on the silent server, with the project's timeouts."""
    url = f"redis://127.0.0.1:{silent_redis.port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": django_settings.REDIS_CONNECT_TIMEOUT,
                "socket_timeout": django_settings.REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    saved_conf = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    saved_pool, saved_producers = app._pool, getattr(app.amqp, "_producer_pool", None)
    saved_backend, saved_local_backend = app._backend_cache, getattr(app._local, "backend", None)

    def fresh_clients():
        app._pool = None
        app.amqp._producer_pool = None
        app._backend_cache = None
        app._local.backend = None

    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    fresh_clients()
    try:
        yield silent_redis
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.update(saved_conf)
        fresh_clients()
        app._pool, app.amqp._producer_pool = saved_pool, saved_producers
        app._backend_cache, app._local.backend = saved_backend, saved_local_backend


def _timed(fn):
    started = time.monotonic()
    result = fn()
    return result, time.monotonic() - started


@pytest.mark.django_db
def test_a_status_change_answers_and_is_saved_when_redis_never_answers(
    client, plan, project_leader, on_silent_redis, django_capture_on_commit_callbacks
):
    proposal = factories.proposal(plan, submitter_email="innbygger@example.no")  # a status e-mail is queued
    client.force_login(project_leader)
    url = reverse("proposal_status", args=[SLUG, proposal.pk])

    def post():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(url, {"status": "screening", "comment": "Tas opp"})
        return response, callbacks

    (response, callbacks), seconds = _timed(post)
    assert len(callbacks) == 1  # the e-mail task was really queued (and given up on)
    assert response.status_code == 302
    assert seconds < BOUND, f"statusendringen brukte {seconds:.1f} s"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SCREENING
    assert proposal.transitions.get().comment == "Tas opp"
    assert on_silent_redis.accepted, "the app never tried the silent Redis"


@pytest.mark.django_db
def test_a_revision_report_order_answers_and_is_saved_when_redis_never_answers(
    client, plan, project_leader, on_silent_redis, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(project_leader)

    def post():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("revision_reports", args=[SLUG]), {"year": "2017", "recommendations": ""})

    response, seconds = _timed(post)
    assert response.status_code == 302
    assert seconds < BOUND, f"bestillingen brukte {seconds:.1f} s"
    report = RevisionReport.objects.get()
    assert report.state == RevisionReport.State.QUEUED  # waits for the periodic re-queue
    assert on_silent_redis.accepted


@pytest.mark.django_db
def test_the_public_form_answers_when_the_cache_never_answers(client, plan, on_silent_redis):
    data = {"title": "Gatelys med sensor", "area": plan.areas.get(number=2).pk}
    response, seconds = _timed(lambda: client.post(reverse("public_proposal_form", args=[SLUG]), data))
    assert response.status_code == 302
    assert seconds < BOUND, f"skjemaet brukte {seconds:.1f} s"
    assert Proposal.objects.filter(title="Gatelys med sensor").exists()


@pytest.mark.django_db
def test_healthz_answers_quickly_and_reports_the_broker_down(client, on_silent_redis):
    superuser = get_user_model().objects.create_superuser("drift", "drift@example.no", "x")
    response, seconds = _timed(lambda: client.get("/healthz"))
    assert response.status_code == 200
    assert seconds < BOUND, f"/healthz brukte {seconds:.1f} s"
    assert response.json() == {
        "status": "degraded",
        "database": {"ok": True},
        "broker": {"ok": False},
        "worker": {"ok": False},
        "storage": {"ok": True},  # files do not depend on Redis
    }
    client.force_login(superuser)
    assert client.get("/healthz").json()["broker"]["error"]  # the reason, for the superuser only


def test_every_redis_client_has_timeouts_in_production_settings():
    """With REDIS_URL set (as in production), as a fresh process reads the settings."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; from config.celery import app;"
        "c = app.conf; o = s.CACHES['default']['OPTIONS'];"
        "print(o['socket_timeout'], o['socket_connect_timeout'],"
        " c.broker_transport_options['socket_timeout'], c.broker_transport_options['socket_connect_timeout'],"
        " c.broker_connection_timeout, c.redis_socket_timeout, c.redis_socket_connect_timeout,"
        " c.task_publish_retry_policy['max_retries'],"
        " c.result_backend_transport_options['retry_policy']['max_retries'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:1/0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["1.0"] * 7 + ["1", "1"], result.stderr
