import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.mail import send_templated_mail
from common.tasks import QueuedOrLater

from . import imports
from .models import Programme

logger = logging.getLogger(__name__)
# What a mail server that is down or refuses the message raises: worth trying again.
SEND_ERRORS = (SMTPException, OSError)


@shared_task(soft_time_limit=20, time_limit=30)
def programme_counts(programme_id: int) -> dict:
    """Counts of a programme's main objects; a cheap real task, used to prove the worker path end to end."""
    programme = Programme.objects.get(pk=programme_id)
    return {
        "activities": programme.activities.count(),
        "risks": programme.risks.count(),
        "decision_points": programme.decision_points.count(),
        "milestones": programme.milestones.count(),
    }


def status_report_reminders(today=None, programme_id: int | None = None) -> int:
    """E-mail the responsible of each activity whose status report is due today or overdue; returns how many.

    Only running programmes (start ≤ today ≤ end). Safe to run twice or in parallel: each activity is claimed
    once per due period (Activity.claim_status_reminder), and the claim is rolled back if the e-mail fails. A failed
    e-mail does not stop the others; the first failure is raised at the end, so the task retries.
    """
    today = today or timezone.localdate()
    programmes = Programme.objects.filter(start_date__lte=today, end_date__gte=today)
    if programme_id is not None:
        programmes = programmes.filter(pk=programme_id)
    sent, failed = 0, None
    for programme in programmes:
        activities = programme.activities.with_status_dates().select_related("responsible__user").order_by("code")
        for activity in activities:
            address = activity.responsible_email
            due = activity.status_report_due_on
            if not address or due > today:
                continue
            try:
                with transaction.atomic():
                    if not activity.claim_status_reminder(today):
                        continue
                    path = reverse("status_report_create", kwargs={"slug": programme.slug, "code": activity.code})
                    context = {
                        "name": activity.responsible.name,
                        "activity": str(activity),
                        "code": activity.code,
                        "due": due.strftime("%d.%m.%Y"),
                        "url": f"{settings.SITE_URL or ''}{path}",
                    }
                    send_templated_mail("portfolio/email/status_report_reminder", context, [address])
                    sent += 1
            except SEND_ERRORS as error:
                # The claim is rolled back; the others are still reminded, and the task retries at the end.
                logger.warning("Status report reminder for %s not sent; it is tried again", activity.pk, exc_info=True)
                failed = failed or error
    if failed is not None:
        raise failed
    return sent


@shared_task(
    soft_time_limit=120,
    time_limit=150,
    autoretry_for=SEND_ERRORS,
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
)
def send_status_report_reminders(programme_id: int | None = None) -> int:
    """Beat task (daily): remind the responsible when an activity's status report is due. Re-runnable."""
    return status_report_reminders(programme_id=programme_id)


@shared_task(
    bind=True, base=QueuedOrLater, acks_late=True, reject_on_worker_lost=True, soft_time_limit=540, time_limit=600
)
def run_import_job(self, job_id: int, take_over: bool = False) -> bool:
    """Run one queued spreadsheet import (portfolio.imports); a repeated run finds it claimed and does nothing.

    A message the broker re-delivers (its worker died mid-import, so the import's transaction was rolled back)
    takes the job over and runs it again: all or nothing, so running it again is safe.
    """
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    return imports.run(job_id, take_over=take_over or redelivered)


@shared_task(soft_time_limit=50, time_limit=60)
def requeue_stuck_import_jobs() -> list[int]:
    """Run by Celery beat: queue again the imports whose message was lost, and take over those of dead workers."""
    queued, dead = imports.stuck_jobs()
    for job_id in queued:
        run_import_job.delay(job_id)
    for job_id in dead:
        run_import_job.delay(job_id, take_over=True)
    return queued + dead
