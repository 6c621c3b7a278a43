"""The responsible is e-mailed when an activity's status report is due; once per due period."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from portfolio.models import Activity, StatusReport
from portfolio.tasks import send_status_report_reminders, status_report_reminders
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ha01(plan) -> Activity:
    """HA01 (first scheduled January 2017, so its first report is due 15.01.2017) with a responsible."""
    activity = plan.activities.get(code="HA01")
    activity.responsible = factories.person(name="Rita Ansvarlig", email="rita@example.no")
    activity.save()
    return activity


def report(activity, period_end) -> StatusReport:
    return StatusReport.objects.create(
        activity=activity,
        period_end=period_end,
        overall="green",
        scope="green",
        time="green",
        cost="green",
        risk="green",
    )


def test_responsible_is_reminded_when_the_first_report_falls_due(ha01, settings):
    settings.SITE_URL = "https://portefolje.example.no"
    assert status_report_reminders(today=date(2017, 1, 14)) == 0
    assert status_report_reminders(today=date(2017, 1, 15)) == 1
    [message] = mail.outbox
    assert message.to == ["rita@example.no"]
    assert message.subject == "Påminnelse: statusrapport for HA01"
    assert "Statusrapporten for HA01 Planlegging av planarbeidet skulle vært levert 15.01.2017." in message.body
    assert (
        "https://portefolje.example.no/program/nordre-land-digitalisering/aktiviteter/HA01/status/ny/" in message.body
    )
    ha01.refresh_from_db()
    assert ha01.status_reminded_on == date(2017, 1, 15)


def test_running_twice_sends_one_email(ha01):
    assert status_report_reminders(today=date(2017, 1, 20)) == 1
    assert status_report_reminders(today=date(2017, 1, 20)) == 0
    assert status_report_reminders(today=date(2017, 1, 25)) == 0  # still the same overdue period
    assert len(mail.outbox) == 1


def test_a_new_report_starts_the_next_cycle(ha01):
    status_report_reminders(today=date(2017, 1, 16))
    report(ha01, date(2017, 1, 20))  # next due 03.02.2017
    assert status_report_reminders(today=date(2017, 2, 2)) == 0
    assert status_report_reminders(today=date(2017, 2, 3)) == 1
    assert status_report_reminders(today=date(2017, 2, 4)) == 0
    assert len(mail.outbox) == 2
    assert "skulle vært levert 03.02.2017" in mail.outbox[1].body


def test_interval_is_configurable_per_programme(ha01, plan):
    plan.status_report_interval_days = 30
    plan.save()
    assert status_report_reminders(today=date(2017, 1, 30)) == 0
    assert status_report_reminders(today=date(2017, 1, 31)) == 1


def test_users_email_is_used_when_the_person_has_none(ha01):
    user = get_user_model().objects.create_user("rita", email="rita.bruker@example.no")
    person = ha01.responsible
    person.email = ""
    person.user = user
    person.save()
    assert status_report_reminders(today=date(2017, 1, 15)) == 1
    assert mail.outbox[0].to == ["rita.bruker@example.no"]


def test_no_reminder_without_address_or_outside_the_programme(ha01, plan):
    other = plan.activities.get(code="HA02")
    other.responsible = factories.person(name="Uten Epost")
    other.save()
    assert status_report_reminders(today=date(2019, 11, 2)) == 0  # the programme ended 01.11.2019
    ha01.responsible.email = ""
    ha01.responsible.save()
    assert status_report_reminders(today=date(2017, 6, 1)) == 0
    assert mail.outbox == []


def test_claim_is_rolled_back_when_the_email_cannot_be_sent(ha01, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # nothing listens there
    with pytest.raises(OSError):
        status_report_reminders(today=date(2017, 1, 15))
    ha01.refresh_from_db()
    assert ha01.status_reminded_on is None  # the next run tries again


def test_celery_task_runs_eagerly_and_uses_today(ha01):
    with time_machine.travel(date(2017, 1, 16)):
        assert send_status_report_reminders.delay(ha01.programme_id).get() == 1
        assert send_status_report_reminders.delay().get() == 0
    assert mail.outbox[0].to == ["rita@example.no"]
