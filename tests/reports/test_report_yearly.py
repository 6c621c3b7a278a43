"""On the configured date each year, the scheduled task builds the revision report once and e-mails the leaders."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

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


def test_on_1_october_the_report_is_built_and_the_leader_told(plan, leader_with_email):
    with on("2017-10-01"):
        made = yearly_revision_reports.delay().get()
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
        yearly_revision_reports.delay().get()
        assert yearly_revision_reports.delay().get() == []
    assert RevisionReport.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_report_ordered_by_hand_does_not_stop_the_scheduled_one(plan, leader_with_email):
    RevisionReport.objects.create(programme=plan, year=2017, requested_by=leader_with_email)
    with on("2017-10-01"):
        yearly_revision_reports.delay().get()
    assert RevisionReport.objects.filter(scheduled=True).count() == 1


def test_other_days_do_nothing(plan, leader_with_email):
    with on("2017-09-30"):
        assert yearly_revision_reports.delay().get() == []
    assert not RevisionReport.objects.exists()
    assert mail.outbox == []


def test_the_date_is_configurable(plan, leader_with_email, settings):
    settings.REVISION_REPORT_DATE = "05-17"
    with on("2018-10-01"):
        assert yearly_revision_reports.delay().get() == []
    with on("2018-05-17"):
        yearly_revision_reports.delay().get()
    assert RevisionReport.objects.get().year == 2018


def test_programmes_that_are_not_running_this_year_are_skipped(plan, leader_with_email):
    with on("2025-10-01"):
        assert yearly_revision_reports.delay().get() == []
    assert not RevisionReport.objects.exists()
