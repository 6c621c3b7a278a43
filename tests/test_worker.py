"""The production path: a real task through Redis and a real Celery worker process."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from portfolio.tasks import programme_counts

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL er ikke satt: Celery kjører eager"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("sqlite") or not os.environ.get("DATABASE_URL"),
        reason="arbeideren trenger en delt database (PostgreSQL)",
    ),
]


@pytest.fixture
def celery_worker(committed_plan):
    """Start `celery worker` against the test database, wait until it answers, stop it afterwards."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portfolio",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--purge",
            "--loglevel=warning",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    from portfolio.celery import app

    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            assert proc.poll() is None, "Celery-arbeideren stoppet under oppstart"
            assert time.monotonic() < deadline, "Celery-arbeideren svarte ikke innen 60 s"
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_task_runs_in_a_real_worker_and_returns_its_result(celery_worker, committed_plan, client):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = programme_counts.delay(committed_plan.pk)
    assert result.get(timeout=30) == {"activities": 17, "risks": 8, "decision_points": 5, "milestones": 4}
    health = client.get("/healthz").json()
    assert health["worker"]["ok"] is True
    assert health["worker"]["count"] >= 1


def test_revision_report_is_built_once_by_a_real_worker(celery_worker, committed_plan, project_leader_committed):
    from portfolio.models import RevisionReport
    from portfolio.tasks import build_revision_report

    report = RevisionReport.objects.create(programme=committed_plan, year=2017, requested_by=project_leader_committed)
    assert build_revision_report.delay(report.pk).get(timeout=120) is True
    # Re-delivery of the same message (as after a worker crash) finds the record claimed and does nothing.
    assert build_revision_report.delay(report.pk).get(timeout=120) is False
    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE
    assert report.size and report.pdf.read(5) == b"%PDF-"
    assert RevisionReport.objects.filter(programme=committed_plan, year=2017).count() == 1


@pytest.fixture
def project_leader_committed(committed_plan):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="leder")
