import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from common.mail import send_templated_mail
from common.tasks import QueuedOrLater

from .models import ProposalTransition

logger = logging.getLogger(__name__)

# A transition not e-mailed after this long was never queued (the broker was down) or its sending failed every
# time: the sweep sends it.
PENDING_AFTER = timedelta(minutes=10)
# Older ones are left alone: news of a status change weeks late helps nobody.
PENDING_UNTIL = timedelta(days=7)
# What a mail server that is down or refuses the message raises: worth trying again.
SEND_ERRORS = (SMTPException, OSError)


def deliver_status_email(transition_id: int) -> bool:
    """Send the status e-mail of one transition, at most once; True if this call sent it.

    The transition is claimed with a conditional update (`notified_at`), so a duplicated or parallel run sends
    nothing twice. If sending fails the claim is released before the error is raised, so that a retry or the
    sweep sends it later: an e-mail is never marked as sent when it was not.
    """
    claimed_at = timezone.now()
    claimed = ProposalTransition.objects.filter(pk=transition_id, notified_at__isnull=True).update(
        notified_at=claimed_at
    )
    if not claimed:
        return False
    transition = ProposalTransition.objects.select_related("proposal__submitted_by").get(pk=transition_id)
    proposal = transition.proposal
    address = proposal.notify_address()
    if not address:
        return False
    context = {
        "title": proposal.title,
        "old": transition.get_from_status_display(),
        "new": transition.get_to_status_display(),
        "comment": transition.comment,
    }
    try:
        send_templated_mail("measures/email/status_changed", context, [address])
    except BaseException:
        # Only our own claim is released: one a later run made in the meantime stays.
        ProposalTransition.objects.filter(pk=transition_id, notified_at=claimed_at).update(notified_at=None)
        raise
    return True


@shared_task(
    base=QueuedOrLater,
    soft_time_limit=20,
    time_limit=30,
    autoretry_for=SEND_ERRORS,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_status_email(transition_id: int) -> bool:
    """Tell the submitter that their proposal changed status. Sends at most once per transition; when the mail
    server fails, Celery tries again (30 s, 1 min, 2 min, … up to an hour apart), and after the last try the
    sweep (`send_pending_status_emails`) still picks the transition up."""
    return deliver_status_email(transition_id)


@shared_task(soft_time_limit=120, time_limit=150)
def send_pending_status_emails() -> int:
    """Beat task: send the status e-mails whose task never reached the broker, or whose sending failed.
    Re-runnable: each is claimed once. One that fails again is left for the next sweep; the others are sent."""
    now = timezone.now()
    pending = ProposalTransition.objects.filter(
        notified_at__isnull=True, at__lte=now - PENDING_AFTER, at__gte=now - PENDING_UNTIL
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(pending):
        try:
            sent += deliver_status_email(pk)
        except SEND_ERRORS:
            logger.warning("Status e-mail of transition %s not sent; the next sweep tries again", pk, exc_info=True)
    return sent
