"""The revision reports page (order, follow, download) and the plan's changes between two years."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.htmx import form_status
from common.parsing import query_int
from portfolio.access import LEAD, READ, programme_for

from .forms import RevisionReportForm
from .models import PlanSnapshot, RevisionReport
from .revision_report import diff_snapshots, has_changes
from .tasks import build_revision_report


def report_for(request: HttpRequest, slug: str, pk: int) -> RevisionReport:
    """A report of the programme, for everyone who reads the programme (the steering group reads the PDF)."""
    programme = programme_for(request, slug)
    return get_object_or_404(RevisionReport.objects.select_related("programme"), programme=programme, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def revision_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """Earlier revision reports for all who read the programme; the project leader orders a new one here (built by
    a Celery task)."""
    programme = programme_for(request, slug, LEAD if request.method == "POST" else READ)
    form = RevisionReportForm(request.POST or None, programme=programme, initial={"year": programme.clamp().year})
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.programme = programme
        report.requested_by = request.user
        report.save()
        # Queued only once the record is committed, so the worker always finds it.
        build_revision_report.delay_on_commit(report.pk)
        messages.success(request, _("Revisjonsrapporten for %(year)s er bestilt og lages nå.") % {"year": report.year})
        return redirect("revision_reports", slug=programme.slug)
    reports = RevisionReport.objects.filter(programme=programme).select_related("requested_by")
    context = {"programme": programme, "form": form, "reports": reports}
    return render(request, "reports/revision_reports.html", context, status=form_status(form))


@login_required
@require_GET
@never_cache
def revision_report_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The state of one report, polled by htmx until it is done or failed."""
    report = report_for(request, slug, pk)
    if not request.htmx:
        return redirect("revision_reports", slug=slug)
    context = {"programme": report.programme, "report": report}
    return render(request, "reports/revision_reports.html#report-status", context)


@login_required
@require_GET
def revision_report_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    report = report_for(request, slug, pk)
    if report.state != RevisionReport.State.DONE or not report.pdf:
        raise Http404
    filename = f"rulleringsrapport-{report.year}-{report.pk}.pdf"
    return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


@login_required
@require_GET
def revision_report_html(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The HTML edition, for whoever may download the PDF; an attachment to publish, never shown in our pages
    (it carries its own inline styles, which our Content-Security-Policy would refuse)."""
    report = report_for(request, slug, pk)
    if report.state != RevisionReport.State.DONE or not report.html:
        raise Http404
    filename = f"rulleringsrapport-{report.year}-{report.pk}.html"
    return FileResponse(
        report.html.open("rb"), as_attachment=True, filename=filename, content_type="text/html; charset=utf-8"
    )


def _year(value: str | None) -> int | None:
    return query_int(value, maximum=9999)


@login_required
@require_GET
def plan_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed in the plan between two years' snapshots; for everyone who reads the programme."""
    programme = programme_for(request, slug)
    snapshots = {s.year: s for s in PlanSnapshot.objects.filter(programme=programme).order_by("year")}
    years = list(snapshots)
    old_year, new_year = _year(request.GET.get("fra")), _year(request.GET.get("til"))
    if old_year is None and new_year is None and len(years) >= 2:
        old_year, new_year = years[-2], years[-1]
    errors = [
        _("Det finnes ikke noe øyeblikksbilde av planen for %(year)s.") % {"year": year}
        for year in dict.fromkeys((old_year, new_year))
        if year is not None and year not in snapshots
    ]
    diff = None
    if not errors and old_year is not None and new_year is not None:
        diff = diff_snapshots(snapshots[old_year].data, snapshots[new_year].data)
    context = {
        "programme": programme,
        "years": years,
        "old_year": old_year,
        "new_year": new_year,
        "errors": errors,
        "diff": diff,
        "has_changes": diff is not None and has_changes(diff),
    }
    return render(request, "reports/plan_changes.html", context)
