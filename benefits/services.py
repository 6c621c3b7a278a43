"""Reminders to benefit owners: the one domain function the Celery beat task calls."""

import logging
from collections import defaultdict
from smtplib import SMTPException

from django.db import transaction
from django.utils import timezone

from common.mail import send_templated_mail

from .models import Benefit

logger = logging.getLogger(__name__)
# What a mail server that is down or refuses the message raises: worth trying again.
SEND_ERRORS = (SMTPException, OSError)


def send_measurement_reminders(today=None, programme_id: int | None = None) -> int:
    """E-mail each owner once about their benefits whose measurement is due and not recorded.

    Returns the number of e-mails sent. Safe to run twice: each benefit is claimed with a conditional
    update per due period, and the claim is rolled back if the e-mail cannot be sent. A failed e-mail does not
    stop the others; the first failure is raised at the end, so the task retries (see benefits.tasks).
    """
    today = today or timezone.localdate()
    benefits = Benefit.objects.all()
    if programme_id is not None:
        benefits = benefits.filter(plan__programme_id=programme_id)
    by_owner = defaultdict(list)
    for benefit in benefits.due_for_measurement(today):
        by_owner[benefit.owner].append(benefit)
    sent, failed = 0, None
    for owner, due in by_owner.items():
        try:
            with transaction.atomic():
                claimed = [b for b in due if b.claim_reminder(today)]
                if not claimed:
                    continue
                benefits_due = [
                    {"plan": b.plan.code, "indicator": b.indicator, "due": b.next_measurement_due.strftime("%d.%m.%Y")}
                    for b in claimed
                ]
                context = {"name": owner.name, "benefits": benefits_due}
                send_templated_mail("benefits/email/measurement_reminder", context, [owner.email])
                sent += 1
        except SEND_ERRORS as error:
            # The claims are rolled back with the transaction; the other owners still get theirs, and the error
            # is raised at the end so the task is retried (what was sent is claimed and not sent again).
            logger.warning("Measurement reminder to %s not sent; it is tried again", owner.pk, exc_info=True)
            failed = failed or error
    if failed is not None:
        raise failed
    return sent
