"""Status e-mails that never reached the broker (Redis down at commit) are sent later by a beat sweep, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from measures.models import Proposal, ProposalTransition
from measures.tasks import send_pending_status_emails
from tests import factories

pytestmark = pytest.mark.django_db
S = Proposal.Status


def _unsent_transition(plan, email, age):
    """A transition as it stands when its e-mail task could not be queued: recorded, never notified."""
    proposal = factories.proposal(plan, submitter_email=email)
    return ProposalTransition.objects.create(
        proposal=proposal, from_status=S.SUBMITTED, to_status=S.SCREENING, at=timezone.now() - age
    )


def test_sweep_sends_each_missed_status_email_once(plan):
    missed = _unsent_transition(plan, "innbygger@example.org", timedelta(minutes=30))
    assert send_pending_status_emails() == 1
    (message,) = mail.outbox
    assert message.to == ["innbygger@example.org"]
    assert "«Innsendt» til «Under vurdering»" in message.body
    missed.refresh_from_db()
    assert missed.notified_at is not None
    assert send_pending_status_emails() == 0  # a second sweep (or a late original task) sends nothing more
    assert len(mail.outbox) == 1


def test_sweep_leaves_fresh_and_stale_transitions_alone(plan):
    _unsent_transition(plan, "ny@example.org", timedelta(minutes=2))  # its own task may still be on its way
    _unsent_transition(plan, "gammel@example.org", timedelta(days=8))  # too late to be news
    assert send_pending_status_emails() == 0
    assert mail.outbox == []
