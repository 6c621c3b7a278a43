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


def start_worker(*, purge: bool = True, env: dict | None = None, log=None) -> subprocess.Popen:
    """Start `celery worker` against the test database and wait until it answers."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            *(["--purge"] if purge else []),
            "--loglevel=warning",
            "-n",
            f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, **(env or {})},
        stderr=log,
    )
    from config.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        assert proc.poll() is None, "Celery-arbeideren stoppet under oppstart"
        assert time.monotonic() < deadline, "Celery-arbeideren svarte ikke innen 60 s"
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def celery_worker(committed_plan):
    """A worker for the test, stopped afterwards."""
    proc = start_worker()
    try:
        yield proc
    finally:
        stop_worker(proc)


def test_task_runs_in_a_real_worker_and_returns_its_result(celery_worker, committed_plan, client):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = programme_counts.delay(committed_plan.pk)
    assert result.get(timeout=30) == {"activities": 17, "risks": 8, "decision_points": 5, "milestones": 4}
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("drift", "drift@example.no", "x"))  # the details
    health = client.get("/healthz").json()
    assert health["worker"]["ok"] is True
    assert health["worker"]["count"] >= 1


def test_revision_report_is_built_once_by_a_real_worker(celery_worker, committed_plan, project_leader_committed):
    from reports.models import RevisionReport
    from reports.tasks import build_revision_report

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


def _wait_for(report, states, seconds: float, interval: float = 0.05):
    deadline = time.monotonic() + seconds
    while True:
        report.refresh_from_db()
        if report.state in states:
            return report
        assert time.monotonic() < deadline, f"rapporten ble stående i «{report.state}» i {seconds} s"
        time.sleep(interval)


def test_a_report_whose_worker_was_killed_is_finished_once_after_restart(
    committed_plan, project_leader_committed, tmp_path, settings
):
    """SIGKILL the worker while it builds a report: the broker re-delivers the unacknowledged message after
    the visibility timeout (3 s here), and the new worker takes over the dead run's claim and finishes it."""
    from measures.models import Proposal, RevisionRound
    from reports.models import PlanSnapshot, RevisionReport
    from reports.revision_report import CLAIMED_STATES
    from reports.tasks import build_revision_report

    # Enough accepted proposals that gathering and rendering take a few seconds, so the kill lands in them.
    round_, _created = RevisionRound.objects.get_or_create(programme=committed_plan, year=2017)
    area = committed_plan.areas.first()
    Proposal.objects.bulk_create(
        Proposal(
            programme=committed_plan,
            revision_round=round_,
            area=area,
            title=f"Tiltak {n}",
            description="Beskrivelse " * 40,
            status=Proposal.Status.PRIORITISED,
            need=n % 5 + 1,
            benefit=3,
            feasibility_technical=2,
            feasibility_economic=4,
        )
        for n in range(400)
    )
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    env = {"VAR_DIR": str(tmp_path / "var"), "CELERY_VISIBILITY_TIMEOUT": "3"}
    report = RevisionReport.objects.create(programme=committed_plan, year=2017, requested_by=project_leader_committed)

    first = start_worker(env=env)
    try:
        build_revision_report.delay(report.pk)
        _wait_for(report, CLAIMED_STATES, 60)
        first.kill()  # SIGKILL: no clean-up, no acknowledgement, no state change
        first.wait(timeout=10)
    finally:
        stop_worker(first)
    report.refresh_from_db()
    assert report.state in CLAIMED_STATES, "arbeideren ble stoppet først etter at rapporten var ferdig"
    killed_claim = report.claimed_at

    time.sleep(3.5)  # past the visibility timeout: the new worker restores the message when it starts
    log_path = tmp_path / "worker2.log"
    with open(log_path, "w") as log:
        second = start_worker(purge=False, env=env, log=log)
        try:
            _wait_for(report, (RevisionReport.State.DONE, RevisionReport.State.FAILED), 120, interval=0.2)
            # Asked again (as the periodic re-queue might), the finished report is left alone.
            assert build_revision_report.delay(report.pk).get(timeout=60) is False
        finally:
            stop_worker(second)

    assert report.state == RevisionReport.State.DONE, report.error
    assert report.claimed_at > killed_claim  # finished by the run that took over
    assert len(list((tmp_path / "var" / "media").rglob("*.pdf"))) == 1
    assert report.pdf.read(5) == b"%PDF-"
    assert PlanSnapshot.objects.filter(programme=committed_plan, year=2017).count() == 1
    assert log_path.read_text().count("taking over the claim") == 1


def test_a_large_import_is_run_by_the_worker_while_the_page_follows_it(
    celery_worker, committed_plan, project_leader_committed, client
):
    """The upload request only stores and queues; the worker previews, then imports on confirmation."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from measures.models import Proposal
    from portfolio.models import ImportJob

    rows = [f"Forslag nr. {i};Velferdsteknologi;Helse/Omsorg;1 500;15.03.2017" for i in range(3000)]
    sheet = "\n".join(["Tittel;Hovedområde;Enhet;Kostnadsestimat;Innsendt", *rows]).encode()
    assert len(sheet) > settings.IMPORT_BACKGROUND_BYTES
    before = Proposal.objects.count()
    client.force_login(project_leader_committed)
    url = reverse("proposal_import", args=[committed_plan.slug])
    response = client.post(url, {"file": SimpleUploadedFile("stor.csv", sheet)})
    assert response.status_code == 302
    preview = ImportJob.objects.get()
    _wait_for(preview, {"done", "failed"}, 120, interval=0.5)
    page = client.get(response.url)
    assert "Forhåndsvisning: 3\xa0000 nye og 0 endrede rader" in page.text
    assert Proposal.objects.count() == before

    confirmed = client.post(reverse("import_job_confirm", args=[committed_plan.slug, preview.pk]))
    job = ImportJob.objects.get(confirms=preview)
    _wait_for(job, {"done", "failed"}, 120, interval=0.5)
    assert job.saved, job.errors
    assert "Importert: 3\xa0000 nye og 0 endrede rader." in client.get(confirmed.url).text
    assert Proposal.objects.count() == before + 3000


def test_a_report_built_by_the_worker_is_downloaded_by_the_web_process_from_the_object_store(
    committed_plan, project_leader_committed, client, settings, s3_store, tmp_path
):
    """Two machines that share no disk: the worker (its own VAR_DIR) writes the PDF to the S3-compatible store,
    the web process (another MEDIA_ROOT) serves it from there. Neither local folder receives a file."""
    from django.urls import reverse

    from reports.models import RevisionReport
    from tests.s3 import keys, use_store

    worker_var, web_media = tmp_path / "worker-var", tmp_path / "web-media"
    settings.MEDIA_ROOT = web_media
    use_store(settings, s3_store)
    proc = start_worker(env={"VAR_DIR": str(worker_var), **s3_store["env"]})
    try:
        client.force_login(project_leader_committed)
        ordered = client.post(reverse("revision_reports", args=[committed_plan.slug]), {"year": 2017})
        assert ordered.status_code == 302
        report = RevisionReport.objects.get(programme=committed_plan, year=2017)
        _wait_for(report, (RevisionReport.State.DONE, RevisionReport.State.FAILED), 120, interval=0.2)
    finally:
        stop_worker(proc)
    assert report.state == RevisionReport.State.DONE, report.error
    assert report.pdf.name in keys(s3_store)
    download = client.get(reverse("revision_report_download", args=[committed_plan.slug, report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    on_disk = [p for root in (worker_var / "media", web_media) if root.exists() for p in root.rglob("*") if p.is_file()]
    assert on_disk == []
