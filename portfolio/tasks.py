import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import reports
from .models import Programme

logger = logging.getLogger(__name__)


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


class QueuedOrLater(DjangoTask):
    """A task whose database record says what is to be done, so losing the message loses nothing.

    When the broker (Redis) is down at commit, the user's request still succeeds; the record stays pending and
    a periodic sweep sends it once Redis is back (`requeue_stuck_revision_reports` for reports,
    `measures.tasks.send_pending_status_emails` for status e-mails)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        def send():
            if self.app.conf.task_always_eager:
                return self.delay(*args, **kwargs)  # runs in-process: its errors are not the broker's
            try:
                self.delay(*args, **kwargs)
            except Exception:
                logger.warning("Could not queue %s%r: the broker is unavailable; queued again later", self.name, args)

        transaction.on_commit(send)


@shared_task(
    bind=True,
    base=QueuedOrLater,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=reports.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=240,
    time_limit=300,
)
def build_revision_report(self, report_id: int) -> bool:
    """Build one queued revision report; a repeated run finds it claimed or done and does nothing.

    A message the broker re-delivers (its worker died before acknowledging it, see the broker's
    visibility_timeout) takes over the dead run's claim, so the report is finished once after all.
    Transient errors are retried with backoff; on the last attempt they are recorded as a failure instead.
    """
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    return reports.build_report(
        report_id, retry_transient=self.request.retries < self.max_retries, take_over=redelivered
    )


@shared_task(soft_time_limit=50, time_limit=60)
def requeue_stuck_revision_reports() -> list[int]:
    """Run by Celery beat: queue again the reports nobody is building (see `reports.stuck_reports`)."""
    stuck = reports.stuck_reports()
    for report_id in stuck:
        build_revision_report.delay(report_id)
    return stuck


@shared_task(soft_time_limit=540, time_limit=600)
def yearly_revision_reports() -> list[int]:
    """Run daily by Celery beat; on REVISION_REPORT_DATE it builds and announces the year's reports, once."""
    return reports.build_yearly_reports()


def status_report_reminders(today=None, programme_id: int | None = None) -> int:
    """E-mail the responsible of each activity whose status report is due today or overdue; returns how many.

    Only running programmes (start ≤ today ≤ end). Safe to run twice or in parallel: each activity is claimed
    once per due period (Activity.claim_status_reminder), and the claim is rolled back if the e-mail fails.
    """
    today = today or timezone.localdate()
    programmes = Programme.objects.filter(start_date__lte=today, end_date__gte=today)
    if programme_id is not None:
        programmes = programmes.filter(pk=programme_id)
    sent = 0
    for programme in programmes:
        activities = programme.activities.with_status_dates().select_related("responsible__user").order_by("code")
        for activity in activities:
            address = activity.responsible_email
            due = activity.status_report_due_on
            if not address or due > today:
                continue
            with transaction.atomic():
                if not activity.claim_status_reminder(today):
                    continue
                path = reverse("status_report_create", kwargs={"slug": programme.slug, "code": activity.code})
                body = "\n".join(
                    [
                        _("Hei %(name)s,") % {"name": activity.responsible.name},
                        "",
                        _("Statusrapporten for %(activity)s skulle vært levert %(due)s.")
                        % {"activity": activity, "due": due.strftime("%d.%m.%Y")},
                        _("Rapporten gjelder samlet status, omfang, tid, kostnad og risiko."),
                        "",
                        _("Skriv rapporten her: %(url)s") % {"url": f"{settings.SITE_URL or ''}{path}"},
                    ]
                )
                subject = _("Påminnelse: statusrapport for %(code)s") % {"code": activity.code}
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
                sent += 1
    return sent


@shared_task(soft_time_limit=120, time_limit=150)
def send_status_report_reminders(programme_id: int | None = None) -> int:
    """Beat task (daily): remind the responsible when an activity's status report is due. Re-runnable."""
    return status_report_reminders(programme_id=programme_id)
