"""The Celery task builds a report once, records failures and retries transient errors."""

import pytest
from django.db import OperationalError

from reports import revision_report as reports
from reports.models import RevisionReport
from reports.tasks import build_revision_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def queued(plan, project_leader, year=2017):
    return RevisionReport.objects.create(programme=plan, year=year, requested_by=project_leader)


def test_task_builds_the_pdf_and_stores_it(plan, project_leader):
    report = queued(plan, project_leader)
    assert build_revision_report.delay(report.pk).get() is True
    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE
    assert report.error == ""
    assert report.finished_at is not None
    with report.pdf.open("rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF")
    assert report.size == len(content)


def test_task_run_twice_builds_one_pdf(plan, project_leader, media_root, monkeypatch):
    """A re-delivered task finds the record claimed and does nothing the second time."""
    rendered = []
    real_render = reports.render_pdf
    monkeypatch.setattr(reports, "render_pdf", lambda html: rendered.append(1) or real_render(html))
    report = queued(plan, project_leader)

    assert build_revision_report.delay(report.pk).get() is True
    assert build_revision_report.delay(report.pk).get() is False

    assert len(rendered) == 1
    assert len(list(media_root.rglob("*.pdf"))) == 1
    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE


def test_a_failure_is_recorded_with_a_readable_message(plan, project_leader, monkeypatch):
    def broken(html):
        raise ValueError("fonten mangler")

    monkeypatch.setattr(reports, "render_pdf", broken)
    report = queued(plan, project_leader)
    build_revision_report.delay(report.pk)
    report.refresh_from_db()
    assert report.state == RevisionReport.State.FAILED
    assert "Rapporten kunne ikke lages" in report.error
    assert "fonten mangler" in report.error
    assert not report.pdf


def test_a_year_outside_the_programme_fails_with_its_reason(plan, project_leader):
    report = queued(plan, project_leader, year=2030)
    build_revision_report.delay(report.pk)
    report.refresh_from_db()
    assert report.state == RevisionReport.State.FAILED
    assert report.error == "Året 2030 ligger utenfor programmet (2016–2019)."


def test_a_transient_error_is_retried(plan, project_leader, monkeypatch):
    calls = []
    real_render = reports.render_pdf

    def flaky(html):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_render(html)

    monkeypatch.setattr(reports, "render_pdf", flaky)
    report = queued(plan, project_leader)
    # apply() runs the retry in-process, as a worker would after the backoff.
    build_revision_report.apply((report.pk,), throw=False)
    report.refresh_from_db()
    assert len(calls) == 2
    assert report.state == RevisionReport.State.DONE


def test_task_is_configured_for_redelivery_and_time_limits():
    assert build_revision_report.acks_late is True
    assert build_revision_report.reject_on_worker_lost is True
    assert build_revision_report.soft_time_limit < build_revision_report.time_limit
    assert OperationalError in build_revision_report.autoretry_for


def test_a_lasting_transient_error_ends_as_a_recorded_failure(plan, project_leader, monkeypatch):
    def down(html):
        raise OperationalError("database is locked")

    monkeypatch.setattr(reports, "render_pdf", down)
    report = queued(plan, project_leader)
    # The last allowed attempt records the failure instead of asking for another retry.
    build_revision_report.apply((report.pk,), retries=build_revision_report.max_retries)
    report.refresh_from_db()
    assert report.state == RevisionReport.State.FAILED
    assert "Prøv igjen senere" in report.error
