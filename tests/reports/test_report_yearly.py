"""On the configured date each year, the scheduled task builds the revision report once and e-mails the leaders."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from reports.models import PlanSnapshot, RevisionReport
from reports.tasks import yearly_revision_reports

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def leader_with_email(project_leader):
    project_leader.email = "leder@nordre-land.kommune.no"
    project_leader.save()
    return project_leader


def on(day: str):
    return time_machine.travel(datetime.fromisoformat(f"{day}T08:00:00").replace(tzinfo=UTC), tick=False)


def run_job():
    """The job queues one build task per programme when its record commits; here they run as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return yearly_revision_reports.delay().get()


def test_on_1_october_the_report_is_built_and_the_leader_told(plan, leader_with_email):
    with on("2017-10-01"):
        made = run_job()
    report = RevisionReport.objects.get()
    assert made == [report.pk]
    assert (report.programme, report.year, report.scheduled, report.state) == (plan, 2017, True, "done")
    assert PlanSnapshot.objects.filter(programme=plan, year=2017, report=report).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leder@nordre-land.kommune.no"]
    assert message.subject == "Rulleringsrapport 2017"
    assert "/program/nordre-land-digitalisering/rapporter/" in message.body


def test_running_twice_on_the_day_makes_one_report_and_one_email(plan, leader_with_email):
    with on("2017-10-01"):
        run_job()
        assert run_job() == []
    assert RevisionReport.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_report_ordered_by_hand_does_not_stop_the_scheduled_one(plan, leader_with_email):
    RevisionReport.objects.create(programme=plan, year=2017, requested_by=leader_with_email)
    with on("2017-10-01"):
        run_job()
    assert RevisionReport.objects.filter(scheduled=True).count() == 1


def test_other_days_do_nothing(plan, leader_with_email):
    with on("2017-09-30"):
        assert run_job() == []
    assert not RevisionReport.objects.exists()
    assert mail.outbox == []


def test_the_date_is_configurable(plan, leader_with_email, settings):
    settings.REVISION_REPORT_DATE = "05-17"
    with on("2018-10-01"):
        assert run_job() == []
    with on("2018-05-17"):
        run_job()
    assert RevisionReport.objects.get().year == 2018


def test_the_job_fans_out_one_task_per_programme_and_each_leader_hears_of_their_own(
    plan, leader_with_email, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from portfolio.models import Phase
    from tests import factories

    other = factories.programme(start_date=plan.start_date, end_date=plan.end_date)
    Phase.objects.create(programme=other, number=1, year=2017, name="Gjennomføring")
    other_leader = get_user_model().objects.create_user("leder2", "leder2@annen.kommune.no", "x")
    factories.grant(other_leader, other, "prosjektleder")
    with on("2017-10-01"), django_capture_on_commit_callbacks(execute=False) as queued:
        made = yearly_revision_reports.delay().get()
    # The job itself only orders: two reports queued, nothing built, nobody e-mailed yet.
    assert len(made) == 2 and len(queued) == 2
    assert set(RevisionReport.objects.values_list("state", flat=True)) == {"queued"}
    assert mail.outbox == []
    with on("2017-10-01"):
        for task in queued:
            task()
    assert set(RevisionReport.objects.values_list("state", "error")) == {("done", "")}
    assert sorted(m.to[0] for m in mail.outbox) == ["leder2@annen.kommune.no", "leder@nordre-land.kommune.no"]
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_programmes_that_are_not_running_this_year_are_skipped(plan, leader_with_email):
    with on("2025-10-01"):
        assert run_job() == []
    assert not RevisionReport.objects.exists()
