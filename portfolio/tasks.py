from celery import shared_task

from . import reports
from .models import Programme


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


@shared_task(
    bind=True,
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
    """Build one queued revision report; a re-delivered or repeated run finds it claimed and does nothing.

    Transient errors are retried with backoff; on the last attempt they are recorded as a failure instead.
    """
    return reports.build_report(report_id, retry_transient=self.request.retries < self.max_retries)


@shared_task(soft_time_limit=540, time_limit=600)
def yearly_revision_reports() -> list[int]:
    """Run daily by Celery beat; on REVISION_REPORT_DATE it builds and announces the year's reports, once."""
    return reports.build_yearly_reports()
