from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from common.mail import send_templated_mail
from common.tasks import QueuedOrLater

from .models import ProposalTransition

# A transition not e-mailed after this long was never queued (the broker was down): the sweep sends it.
PENDING_AFTER = timedelta(minutes=10)
# Older ones are left alone: news of a status change weeks late helps nobody.
PENDING_UNTIL = timedelta(days=7)


@shared_task(base=QueuedOrLater, soft_time_limit=20, time_limit=30)
def send_status_email(transition_id: int) -> bool:
    """Tell the submitter that their proposal changed status. Sends at most once per transition."""
    # Claim the work with a conditional update, so a retried or duplicated task sends nothing twice.
    claimed = ProposalTransition.objects.filter(pk=transition_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
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
    send_templated_mail("measures/email/status_changed", context, [address])
    return True


@shared_task(soft_time_limit=120, time_limit=150)
def send_pending_status_emails() -> int:
    """Beat task: send the status e-mails whose task never reached the broker. Re-runnable: each is claimed once."""
    now = timezone.now()
    pending = ProposalTransition.objects.filter(
        notified_at__isnull=True, at__lte=now - PENDING_AFTER, at__gte=now - PENDING_UNTIL
    ).values_list("pk", flat=True)
    return sum(send_status_email(pk) for pk in list(pending))
