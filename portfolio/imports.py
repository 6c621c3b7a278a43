"""Spreadsheet imports too large for a web request: stored, queued, run by a worker, followed on a page.

A feature app registers its import (`register`) in its AppConfig.ready(); its import page hands a large
upload to `start` instead of importing it in the request. `run` is what the Celery task
(`portfolio.tasks.run_import_job`) does: claim the job once, run the app's own all-or-nothing import over the
stored file with progress after each batch of rows, and record the outcome. Progress goes through the cache,
not the job's row, because the import's transaction keeps its writes invisible until it ends.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.tasks import queue_on_commit

from .models import ImportJob

logger = logging.getLogger(__name__)

# The rows and errors of a finished job kept for its page; the counts are always complete.
SHOWN_ROWS = 200
SHOWN_ERRORS = 500
# A queued job no worker has taken after this long is queued again (its message was lost: Redis was down).
REQUEUE_AFTER = timedelta(minutes=2)
# A running job whose worker died is taken over after this long (longer than the task's time limit).
STALE_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Importer:
    label: object  # what is imported, e.g. "forslag" (lazy translation)
    run: Callable  # run(programme, content, filename, *, user, dry_run, progress) -> ImportReport
    done_url_name: str  # where the import's rows are listed (a programme URL name, kwargs slug)
    page_url_name: str  # the import page (a programme URL name, kwargs slug)


IMPORTERS: dict[str, Importer] = {}


def register(kind: str, importer: Importer) -> None:
    IMPORTERS[kind] = importer


def runs_in_background(upload) -> bool:
    """Whether an upload is large enough that its import must not run inside the web request."""
    return upload.size > settings.IMPORT_BACKGROUND_BYTES


def start(kind: str, programme, user, upload, *, dry_run: bool) -> ImportJob:
    """Store the upload and queue its import; the caller redirects to the job's page."""
    upload.seek(0)
    job = ImportJob(programme=programme, kind=kind, requested_by=user, filename=upload.name[:255], dry_run=dry_run)
    job.file.save(f"{programme.slug}-{upload.name}"[-100:], upload, save=False)
    with transaction.atomic():
        job.save()
        queue_on_commit("portfolio.tasks.run_import_job", job.pk)
    return job


def confirm(preview: ImportJob, user) -> ImportJob:
    """The real import of a dry run without errors, over the same stored file; once per dry run."""
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                programme=preview.programme,
                kind=preview.kind,
                requested_by=user,
                filename=preview.filename,
                file=preview.file.name,
                dry_run=False,
                confirms=preview,
            )
            queue_on_commit("portfolio.tasks.run_import_job", job.pk)
    except IntegrityError:  # confirmed already (a double click, or another project leader): follow that one
        return ImportJob.objects.get(confirms=preview)
    return job


def progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def progress(job: ImportJob) -> tuple[int, int] | None:
    """(rows done, rows in all) of a running job, if the worker has said; None while it reads the file."""
    try:
        return cache.get(progress_key(job.pk))
    except Exception:  # the cache (Redis) is down or hangs: the page shows the job without a progress bar
        logger.warning("Could not read the progress of import job %s", job.pk)
        return None


def _progress_reporter(job_id: int) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        try:
            cache.set(progress_key(job_id), (done, total), timeout=3600)
        except Exception:  # progress is a courtesy; the import goes on without it
            logger.warning("Could not store the progress of import job %s", job_id)

    return report


def _claim(job_id: int, *, take_over: bool) -> bool:
    """Take the job exactly once: a conditional UPDATE from queued, or of a dead run's stale claim."""
    now = timezone.now()
    claimable = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED)
    if take_over:
        claimable = ImportJob.objects.filter(pk=job_id, state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING])
    return bool(claimable.update(state=ImportJob.State.RUNNING, started_at=now))


def run(job_id: int, *, take_over: bool = False) -> bool:
    """Carry out one queued job; a repeated run finds it claimed or finished and does nothing."""
    if not _claim(job_id, take_over=take_over):
        return False
    job = ImportJob.objects.select_related("programme", "requested_by").get(pk=job_id)
    importer = IMPORTERS.get(job.kind)
    try:
        if importer is None:
            raise LookupError(job.kind)
        with job.file.open("rb") as f:
            content = f.read()
        report = importer.run(
            job.programme,
            content,
            job.filename,
            user=job.requested_by,
            dry_run=job.dry_run,
            progress=_progress_reporter(job.pk),
        )
    except SoftTimeLimitExceeded:
        _fail(job, _("Importen tok for lang tid og ble stoppet. Ingenting er lagret. Del filen i mindre deler."))
        return False
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _fail(job, _("Importen stoppet på grunn av en feil hos oss. Ingenting er lagret. Prøv igjen senere."))
        return False
    job.state = ImportJob.State.DONE
    job.finished_at = timezone.now()
    job.total_rows = len(report.rows) or job.total_rows
    job.new_rows, job.updated_rows, job.saved = report.new, report.updated, report.saved
    job.rows = [[row, kind, title[:200]] for row, kind, title in report.rows[:SHOWN_ROWS]]
    job.errors = [[e.row, e.column, str(e.message)] for e in report.errors[:SHOWN_ERRORS]]
    job.error_count = len(report.errors)
    job.save()
    if job.saved:
        job.file.delete(save=False)  # imported: the stored copy is no longer needed
    return True


def _fail(job: ImportJob, message: str) -> None:
    job.state = ImportJob.State.FAILED
    job.finished_at = timezone.now()
    job.errors = [[1, "", message]]
    job.error_count = 1
    job.save()


def stuck_jobs() -> tuple[list[int], list[int]]:
    """Jobs to queue again: (queued ones no worker took, running ones whose worker died)."""
    now = timezone.now()
    queued = ImportJob.objects.filter(state=ImportJob.State.QUEUED, requested_at__lt=now - REQUEUE_AFTER)
    dead = ImportJob.objects.filter(state=ImportJob.State.RUNNING, started_at__lt=now - STALE_AFTER)
    return list(queued.values_list("pk", flat=True)), list(dead.values_list("pk", flat=True))
