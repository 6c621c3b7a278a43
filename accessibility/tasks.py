"""E-mail of a barrier report to the programme's project leaders and the installation's administrators."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from common.mail import send_templated_mail
from common.tasks import QueuedOrLater

from .models import BarrierReport

logger = logging.getLogger(__name__)

PENDING_AFTER = timedelta(minutes=10)  # not sent after this long: the broker was down, or sending failed
PENDING_UNTIL = timedelta(days=7)  # older ones are left to the admin list, where every report is kept
SEND_ERRORS = (SMTPException, OSError)


def deliver_barrier_report(report_id: int) -> bool:
    """Send the report's e-mail at most once; True if this call sent it.

    Claimed with a conditional update of `notified_at` (a duplicated or parallel run sends nothing twice); when
    sending fails the claim is released before the error is raised, so that a retry or the sweep sends it.
    """
    claimed_at = timezone.now()
    if not BarrierReport.objects.filter(pk=report_id, notified_at__isnull=True).update(notified_at=claimed_at):
        return False
    report = BarrierReport.objects.select_related("programme__organisation").get(pk=report_id)
    recipients = report.recipients()
    if not recipients:
        logger.warning(
            "Barrier report %s has nobody to go to: no project leader or administrator has an e-mail", report_id
        )
        return False
    context = {"report": report, "site_url": settings.SITE_URL}
    try:
        send_templated_mail("accessibility/email/barrier_report", context, recipients)
    except BaseException:
        BarrierReport.objects.filter(pk=report_id, notified_at=claimed_at).update(notified_at=None)
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
def send_barrier_report(report_id: int) -> bool:
    """Tell the project leaders and the administrators about a barrier report; retried when the mail server
    fails, and picked up by `send_pending_barrier_reports` after the last try."""
    return deliver_barrier_report(report_id)


@shared_task(soft_time_limit=120, time_limit=150)
def send_pending_barrier_reports() -> int:
    """Beat task: send the reports whose task never reached the broker, or whose sending failed."""
    now = timezone.now()
    pending = BarrierReport.objects.filter(
        notified_at__isnull=True, created_at__lte=now - PENDING_AFTER, created_at__gte=now - PENDING_UNTIL
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(pending):
        try:
            sent += deliver_barrier_report(pk)
        except SEND_ERRORS:
            logger.warning("Barrier report %s not e-mailed; the next sweep tries again", pk, exc_info=True)
    return sent
