from celery import shared_task

from common.tasks import QueuedOrLater

from . import revision_report


@shared_task(
    bind=True,
    base=QueuedOrLater,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=revision_report.TRANSIENT_ERRORS,
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
    return revision_report.build_report(
        report_id, retry_transient=self.request.retries < self.max_retries, take_over=redelivered
    )


@shared_task(soft_time_limit=50, time_limit=60)
def requeue_stuck_revision_reports() -> list[int]:
    """Run by Celery beat: queue again the reports nobody is building (see `revision_report.stuck_reports`)."""
    stuck = revision_report.stuck_reports()
    for report_id in stuck:
        build_revision_report.delay(report_id)
    return stuck


@shared_task(soft_time_limit=50, time_limit=60)
def yearly_revision_reports() -> list[int]:
    """Run daily by Celery beat; on REVISION_REPORT_DATE it orders the year's reports, one task per programme,
    which build them and announce each to its project leaders, once."""
    return revision_report.build_yearly_reports()
