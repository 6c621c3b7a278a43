"""Faults: Redis stopped under a running app, and a report whose run died half-way.

The Redis test runs the app as a real server process on its own SQLite database and its own private
`redis-server` (never the shared one on 6379, which other tests use), then stops that Redis.
A worker killed for real (SIGKILL) is in tests/config/test_worker.py; here the claim logic is tested in-process.
"""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from reports import revision_report as reports
from reports.models import PlanSnapshot, RevisionReport
from reports.tasks import build_revision_report, requeue_stuck_revision_reports

SLUG = "nordre-land-digitalisering"
REDIS_SERVER = shutil.which("redis-server")


# --- a report whose run died ----------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _abandoned(plan, user, *, state=RevisionReport.State.RENDERING, age=timedelta(0)):
    """A report as a killed worker leaves it: claimed, never finished."""
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=user)
    RevisionReport.objects.filter(pk=report.pk).update(state=state, claimed_at=timezone.now() - age)
    return report


@pytest.mark.django_db
def test_a_stale_claim_is_taken_over_and_the_report_finished_once(plan, project_leader, media_root):
    report = _abandoned(plan, project_leader, age=reports.CLAIM_TIMEOUT + timedelta(seconds=1))

    assert build_revision_report.delay(report.pk).get() is True
    assert build_revision_report.delay(report.pk).get() is False  # done now: a repeat does nothing

    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE
    assert len(list(media_root.rglob("*.pdf"))) == 1
    assert PlanSnapshot.objects.filter(programme=plan, year=2017).count() == 1


@pytest.mark.django_db
def test_a_fresh_claim_is_left_to_its_run_unless_the_message_was_redelivered(plan, project_leader, media_root):
    report = _abandoned(plan, project_leader, state=RevisionReport.State.GATHERING)

    assert reports.build_report(report.pk) is False  # another run is (as far as we know) working on it
    report.refresh_from_db()
    assert report.state == RevisionReport.State.GATHERING

    # The broker re-delivers a message only when the worker that had it is gone: take over at once.
    assert reports.build_report(report.pk, take_over=True) is True
    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE
    assert len(list(media_root.rglob("*.pdf"))) == 1


@pytest.mark.django_db
def test_a_run_that_lost_its_claim_changes_nothing(plan, project_leader, media_root, monkeypatch):
    """While this run renders, another takes the report over: this run's final writes must not land."""
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    real_render = reports.render_pdf
    other_claim = timezone.now() + timedelta(seconds=5)

    def render_and_lose_the_claim(html):
        RevisionReport.objects.filter(pk=report.pk).update(claimed_at=other_claim, state="gathering")
        return real_render(html)

    monkeypatch.setattr(reports, "render_pdf", render_and_lose_the_claim)
    reports.build_report(report.pk)

    report.refresh_from_db()
    assert report.state == RevisionReport.State.GATHERING
    assert report.claimed_at == other_claim
    assert report.finished_at is None


@pytest.mark.django_db
def test_stuck_reports_are_queued_again_by_the_periodic_task(plan, project_leader, media_root):
    old = timezone.now() - reports.CLAIM_TIMEOUT - timedelta(minutes=1)
    dead = _abandoned(plan, project_leader, age=reports.CLAIM_TIMEOUT + timedelta(minutes=1))
    never_sent = RevisionReport.objects.create(programme=plan, year=2018, requested_by=project_leader)
    RevisionReport.objects.filter(pk=never_sent.pk).update(requested_at=old)  # queued while Redis was down
    busy = _abandoned(plan, project_leader)  # claimed just now: a live run has it
    waiting = RevisionReport.objects.create(programme=plan, year=2019, requested_by=project_leader)

    assert reports.stuck_reports() == [dead.pk, never_sent.pk]
    assert requeue_stuck_revision_reports.delay().get() == [dead.pk, never_sent.pk]

    states = dict(RevisionReport.objects.values_list("pk", "state"))
    assert states[dead.pk] == states[never_sent.pk] == RevisionReport.State.DONE
    assert states[busy.pk] == RevisionReport.State.RENDERING
    assert states[waiting.pk] == RevisionReport.State.QUEUED


def test_the_claim_outlives_the_task_time_limit_and_the_broker_waits_longer_still():
    assert reports.CLAIM_TIMEOUT.total_seconds() > build_revision_report.time_limit
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > build_revision_report.time_limit + build_revision_report.retry_backoff_max


# --- Redis stopped under a running app ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, f"{what} stoppet under oppstart"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"{what} svarte ikke innen {seconds} s"
            time.sleep(0.2)


@pytest.fixture
def private_redis(tmp_path):
    if REDIS_SERVER is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true, men redis-server mangler")
        pytest.skip("redis-server er ikke installert; testen av Redis-bortfall hoppes over")
    port = _free_port()
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, proc, "redis-server", 20)
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
def app_server(tmp_path, private_redis):
    """The app as its own server process, with the Celery broker and the cache on the private Redis."""
    _redis, redis_port = private_redis
    db = tmp_path / "app.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "1",
        "DEMO_ALLOWED": "1",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["setup_demo"]):
        subprocess.run(
            [*manage, *command, "-v0", "--skip-checks"], cwd=settings.BASE_DIR, env=env, check=True, timeout=300
        )
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(port, proc, "Django-serveren")
        yield f"http://127.0.0.1:{port}", db, tmp_path / "server.log"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


class Browser:
    """Just enough of a browser: cookies, CSRF tokens, no redirects followed (the status is asserted)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def login(self, username: str) -> None:
        _status, html = self.request("/accounts/login/")
        status, _body = self.request(
            "/accounts/login/", {"username": username, "password": "demo", "csrfmiddlewaretoken": self.csrf(html)}
        )
        assert status == 302, "innloggingen feilet"


def test_pages_still_serve_and_healthz_reports_the_broker_down_when_redis_stops(app_server, private_redis):
    base, db, log = app_server
    redis, _port = private_redis
    browser = Browser(base)
    browser.login("leder")
    status, body = browser.request("/healthz")
    assert status == 200 and json.loads(body)["broker"]["ok"] is True  # the app really uses the private Redis

    redis.terminate()
    redis.wait(timeout=10)
    Browser(base).login("styring")  # sessions and the login lock-out live in the database

    pages = [f"/program/{SLUG}/", f"/program/{SLUG}/forslag/", f"/program/{SLUG}/risiko/", f"/forslag/{SLUG}/nytt/"]
    for page in pages:
        started = time.monotonic()
        status, _html = browser.request(page)
        assert status == 200, f"{page} ga {status} uten Redis:\n{log.read_text()[-3000:]}"
        assert time.monotonic() - started < 10, f"{page} brukte for lang tid uten Redis"

    # A citizen's proposal is still taken (the rate limit needs Redis and lets it through), and saved.
    with sqlite3.connect(db) as conn:
        area = conn.execute(
            "SELECT a.id FROM portfolio_area a JOIN portfolio_programme p ON p.id = a.programme_id "
            "WHERE p.slug = ? ORDER BY a.number LIMIT 1",
            [SLUG],
        ).fetchone()[0]
    citizen = Browser(base)
    _status, html = citizen.request(f"/forslag/{SLUG}/nytt/")
    status, _html = citizen.request(
        f"/forslag/{SLUG}/nytt/",
        {"title": "Lys i lysløypa via app", "area": area, "csrfmiddlewaretoken": citizen.csrf(html), "website": ""},
    )
    assert status == 302, log.read_text()[-3000:]
    with sqlite3.connect(db) as conn:
        saved = conn.execute("SELECT COUNT(*) FROM measures_proposal WHERE title = ?", ["Lys i lysløypa via app"])
        assert saved.fetchone()[0] == 1
    assert "Citizen rate limit not checked" in log.read_text()

    # Ordering a revision report queues a task: the page answers, and the order waits, queued, for Redis.
    _status, html = browser.request(f"/program/{SLUG}/rapporter/")
    started = time.monotonic()
    status, _html = browser.request(
        f"/program/{SLUG}/rapporter/",
        {"year": "2017", "recommendations": "", "csrfmiddlewaretoken": browser.csrf(html)},
    )
    assert status == 302, log.read_text()[-3000:]
    assert time.monotonic() - started < 10, "bestillingen ventet for lenge på Redis"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT state FROM reports_revisionreport").fetchall() == [("queued",)]
    assert "queued again later" in log.read_text()

    started = time.monotonic()
    status, body = browser.request("/healthz")
    assert status == 200  # usable: the database answers
    health = json.loads(body)
    assert health["database"]["ok"] is True
    assert health["broker"]["ok"] is False and health["status"] == "degraded"
    assert time.monotonic() - started < 5
