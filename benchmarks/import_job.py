"""A 20 000-row proposal sheet through the background import job: the preview, then the confirmed import.

    .venv/bin/python benchmarks/import_job.py [--rows N]

Uploads nothing over HTTP: it stores the file and runs the Celery task `portfolio.tasks.run_import_job` the
way a worker does (`apply`, in this process), so the figures are the job's own. Prints the time of each job,
and the process's peak resident size after it (ru_maxrss), and the ratio to a raw
`bulk_create` of the same rows. Runs on a throw-away SQLite database unless DATABASE_URL is set; the
imported rows are deleted afterwards.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["VAR_DIR"] = tmp.name  # the stored sheet goes to the throw-away folder

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from benchmarks.import_proposals import SLUG, as_csv, generate  # noqa: E402
from measures.models import Proposal, RevisionRound  # noqa: E402
from portfolio.models import ImportJob, Programme  # noqa: E402
from portfolio.tasks import run_import_job  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_job(job: ImportJob) -> float:
    """Run the job as a worker would; its seconds."""
    started = time.perf_counter()
    assert run_import_job.apply(args=[job.pk]).get() is True
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and not job.error_count, job.errors[:5]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug=SLUG).exists():
        call_command("setup_demo", verbosity=0)
    programme = Programme.objects.get(slug=SLUG)
    rows = generate(args.rows, list(programme.areas.all()), list(programme.activities.all()))
    content = as_csv(rows)
    before = set(Proposal.objects.filter(programme=programme).values_list("pk", flat=True))

    preview = ImportJob(programme=programme, kind="forslag", filename="benchmark.csv", dry_run=True)
    preview.file.save("benchmark.csv", ContentFile(content))
    baseline = peak_rss_mb()
    preview_seconds = run_job(preview)
    preview_peak = peak_rss_mb()
    job = ImportJob.objects.create(
        programme=programme, kind="forslag", filename="benchmark.csv", file=preview.file.name, dry_run=False
    )
    import_seconds = run_job(job)
    import_peak = peak_rss_mb()
    assert job.saved and job.new_rows == args.rows
    Proposal.objects.filter(programme=programme).exclude(pk__in=before).delete()

    round_ = RevisionRound.current(programme)
    with transaction.atomic():
        started = time.perf_counter()
        Proposal.objects.bulk_create([Proposal(programme=programme, revision_round=round_, **r) for r in rows], 1000)
        raw_seconds = time.perf_counter() - started
        transaction.set_rollback(True)

    database = "PostgreSQL" if "postgres" in os.environ["DATABASE_URL"] else "SQLite"
    print(f"database:                      {database}")
    print(f"rows:                          {args.rows} ({len(content) / 1e6:.1f} MB CSV)")
    print(f"process resident size before:  {baseline:.0f} MB (Django, the plan and the generated rows)")
    print(f"preview job (dry run):         {preview_seconds:.1f} s, peak resident size {preview_peak:.0f} MB")
    print(f"import job (confirmed):        {import_seconds:.1f} s, peak resident size {import_peak:.0f} MB")
    print(f"bulk_create (raw):             {raw_seconds:.2f} s")
    print(f"ratio import job / raw:        {import_seconds / raw_seconds:.1f}×")


if __name__ == "__main__":
    main()
