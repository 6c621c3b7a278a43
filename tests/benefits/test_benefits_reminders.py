"""Owners are e-mailed when a measurement is due by its frequency and not recorded; once per due period."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from benefits.models import Benefit
from benefits.services import send_measurement_reminders
from benefits.tasks import send_measurement_reminders as reminder_task
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(plan) -> Benefit:
    """Quarterly benefit (baseline 30.06.2017) owned by someone with an e-mail address."""
    benefit = Benefit.objects.get(indicator="Utrykninger til alarmer uten behov for hjelp")
    benefit.owner = factories.person(name="Eva Eier", email="eva@example.no")
    benefit.save()
    return benefit


def test_owner_is_reminded_when_first_measurement_is_due(owned):
    assert send_measurement_reminders(today=date(2017, 9, 29)) == 0  # due 30.09.2017
    assert send_measurement_reminders(today=date(2017, 9, 30)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["eva@example.no"]
    assert message.subject == "Påminnelse: gevinstmåling"
    assert "GP-HA03: Utrykninger til alarmer uten behov for hjelp (skulle vært målt 30.09.2017)" in message.body


def test_running_twice_sends_one_email(owned):
    send_measurement_reminders(today=date(2017, 10, 5))
    send_measurement_reminders(today=date(2017, 10, 5))
    send_measurement_reminders(today=date(2017, 10, 6))
    assert len(mail.outbox) == 1


def test_recorded_measurement_moves_the_due_date(owned):
    owned.measurements.create(measured_on=date(2017, 9, 15), value=Decimal(40))
    assert send_measurement_reminders(today=date(2017, 10, 5)) == 0
    assert send_measurement_reminders(today=date(2017, 12, 15)) == 1
    # The next period, after another measurement, gets its own reminder.
    owned.measurements.create(measured_on=date(2017, 12, 20), value=Decimal(38))
    assert send_measurement_reminders(today=date(2018, 3, 20)) == 1
    assert len(mail.outbox) == 2


def test_benefits_without_owner_email_frequency_or_that_are_closed_are_not_reminded(owned):
    owned.status = Benefit.Status.REALISED
    owned.save()
    other = Benefit.objects.get(indicator="Hjemmeboende med trygghetspakke")
    other.owner = factories.person(name="Uten Epost")
    other.save()
    assert send_measurement_reminders(today=date(2019, 1, 1)) == 0
    assert mail.outbox == []


def test_one_email_per_owner_lists_all_their_due_benefits(owned):
    other = Benefit.objects.get(indicator="Hjemmeboende med trygghetspakke")  # half-yearly from 30.06.2017
    other.owner = owned.owner
    other.save()
    assert send_measurement_reminders(today=date(2018, 1, 2)) == 1
    assert "Hjemmeboende med trygghetspakke" in mail.outbox[0].body
    assert "Utrykninger til alarmer" in mail.outbox[0].body


def test_celery_task_runs_eagerly_and_uses_today(owned):
    with time_machine.travel(date(2017, 10, 2)):
        assert reminder_task.delay(owned.plan.programme_id).get() == 1
    assert mail.outbox[0].to == ["eva@example.no"]
