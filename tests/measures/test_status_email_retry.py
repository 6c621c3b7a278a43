"""A status e-mail whose sending fails is not lost: the claim is released, Celery retries, the sweep picks up
what is left, and the submitter gets it exactly once."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from config.celery import app
from measures.models import Proposal, ProposalTransition
from measures.tasks import send_pending_status_emails, send_status_email
from tests import factories

pytestmark = pytest.mark.django_db
S = Proposal.Status


class FailsFirstBackend(EmailBackend):
    """The locmem backend, except that the first `failures` sends raise as a mail server that is down does."""

    failures = 1
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    FailsFirstBackend.calls, FailsFirstBackend.failures = 0, 1
    settings.EMAIL_BACKEND = f"{__name__}.FailsFirstBackend"
    # As on a worker: a task's retry is run again instead of its error being raised to the caller. (In-process,
    # Celery runs the retry at once, without the countdown.)
    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield FailsFirstBackend
    app.conf.task_eager_propagates = propagates


def test_the_transitions_email_is_sent_on_the_retry_exactly_once(plan, flaky_mail, django_capture_on_commit_callbacks):
    proposal = factories.proposal(plan, submitter_email="innbygger@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        record = proposal.transition_to(S.SCREENING)
    assert flaky_mail.calls == 2  # failed once, sent on the retry
    (message,) = mail.outbox
    assert message.to == ["innbygger@example.org"]
    record.refresh_from_db()
    assert record.notified_at is not None
    assert send_status_email.delay(record.pk).get() is False  # a duplicate task sends nothing
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_and_the_sweep_sends_it_once(plan, flaky_mail):
    proposal = factories.proposal(plan, submitter_email="innbygger@example.org")
    missed = ProposalTransition.objects.create(
        proposal=proposal, from_status=S.SUBMITTED, to_status=S.SCREENING, at=timezone.now() - timedelta(minutes=30)
    )
    assert send_pending_status_emails() == 0  # the mail server is down: nothing sent, nothing marked as sent
    missed.refresh_from_db()
    assert missed.notified_at is None and mail.outbox == []
    assert send_pending_status_emails() == 1
    assert send_pending_status_emails() == 0
    assert len(mail.outbox) == 1
    missed.refresh_from_db()
    assert missed.notified_at is not None


def test_when_every_retry_fails_the_transition_stays_pending_for_the_sweep(plan, flaky_mail):
    flaky_mail.failures = 100
    proposal = factories.proposal(plan, submitter_email="innbygger@example.org")
    record = ProposalTransition.objects.create(proposal=proposal, from_status=S.SUBMITTED, to_status=S.SCREENING)
    result = send_status_email.apply(args=[record.pk])
    assert result.state == "FAILURE" and isinstance(result.result, SMTPServerDisconnected)
    record.refresh_from_db()
    assert record.notified_at is None  # not marked as sent: the sweep will send it
    assert flaky_mail.calls == send_status_email.max_retries + 1
