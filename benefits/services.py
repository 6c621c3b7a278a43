"""Reminders to benefit owners: the one domain function the Celery beat task calls."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from common.mail import send_templated_mail

from .models import Benefit


def send_measurement_reminders(today=None, programme_id: int | None = None) -> int:
    """E-mail each owner once about their benefits whose measurement is due and not recorded.

    Returns the number of e-mails sent. Safe to run twice: each benefit is claimed with a conditional
    update per due period, and the claim is rolled back if the e-mail cannot be sent.
    """
    today = today or timezone.localdate()
    benefits = Benefit.objects.all()
    if programme_id is not None:
        benefits = benefits.filter(plan__programme_id=programme_id)
    by_owner = defaultdict(list)
    for benefit in benefits.due_for_measurement(today):
        by_owner[benefit.owner].append(benefit)
    sent = 0
    for owner, due in by_owner.items():
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
    return sent
