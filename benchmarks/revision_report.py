"""Time the revision report at 1× and 10× the plan's data, against WeasyPrint rendering the same HTML alone.

    .venv/bin/python benchmarks/revision_report.py

Runs on a throw-away SQLite database and media folder in a temporary VAR_DIR (unless DATABASE_URL is set).
The 10× plan copies every activity (with its scheduled months), risk (with its latest assessment) and
proposal nine times under new codes and titles. The ratio report/WeasyPrint is the overhead of gathering
the data, rendering the template, storing the PDF and freezing the snapshot.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("VAR_DIR", tmp.name)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from measures.models import Proposal  # noqa: E402
from portfolio.models import Programme, ScheduledMonth  # noqa: E402
from reports import revision_report as reports  # noqa: E402
from reports.models import PlanSnapshot, RevisionReport  # noqa: E402
from risks.models import Risk, RiskAssessment  # noqa: E402

SLUG = "nordre-land-digitalisering"
YEAR = 2017


def multiply(programme: Programme, copies: int) -> None:
    """Add `copies` copies of the plan's activities, risks and proposals under new codes."""
    activities = list(programme.activities.prefetch_related("scheduled_months"))
    risks = list(Risk.objects.filter(programme=programme).with_latest())
    proposals = list(Proposal.objects.filter(programme=programme))
    for n in range(2, copies + 2):
        for activity in activities:
            months = list(activity.scheduled_months.all())
            activity.pk = None
            activity.code = f"{activity.code[:4]}-{n}"
            activity.save()
            ScheduledMonth.objects.bulk_create(
                [ScheduledMonth(activity=activity, phase_id=m.phase_id, month=m.month) for m in months]
            )
        for risk in risks:
            risk.pk = None
            risk.code = f"{risk.code[:5]}-{n}"
            risk.save()
            if risk.latest_probability is not None:
                RiskAssessment.objects.create(
                    risk=risk, probability=risk.latest_probability, consequence=risk.latest_consequence
                )
        copied = []
        for proposal in proposals:
            proposal.pk = None
            proposal.title = f"{proposal.title[:180]} ({n})"
            copied.append(proposal)
        Proposal.objects.bulk_create(copied)


def measure(programme: Programme) -> tuple[float, float]:
    """Seconds for the whole report (as the task builds it) and for WeasyPrint on its final HTML alone."""
    PlanSnapshot.objects.filter(programme=programme).delete()
    report = RevisionReport.objects.create(programme=programme, year=YEAR)
    started = time.perf_counter()
    reports.build_report(report.pk)
    total = time.perf_counter() - started
    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE, report.error

    html = reports.render_html(reports.gather(programme, YEAR))
    started = time.perf_counter()
    reports.render_pdf(html)
    return total, time.perf_counter() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug=SLUG).exists():
        call_command("setup_demo", verbosity=0, stdout=io.StringIO())
    programme = Programme.objects.get(slug=SLUG)
    reports.render_pdf("<p>oppvarming</p>")  # load WeasyPrint and its fonts before timing

    rows = []
    for scale in (1, 10):
        if scale == 10:
            multiply(programme, 9)
        total, weasyprint = measure(programme)
        counts = (programme.activities.count(), programme.risks.count(), programme.proposals.count())
        rows.append((scale, counts, total, weasyprint))

    print("skala  aktiviteter/risikoer/forslag  rapport    WeasyPrint alene  forhold")
    for scale, (activities, risks, proposals), total, weasyprint in rows:
        counts = f"{activities}/{risks}/{proposals}"
        print(f"{scale:>4}×  {counts:<28}  {total:6.2f} s  {weasyprint:6.2f} s          {total / weasyprint:.2f}×")


if __name__ == "__main__":
    main()
