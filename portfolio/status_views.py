"""Status reports per activity: write, edit and read them, and the programme-wide status page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.htmx import form_status
from common.versioning import save_edit

from .access import history_for, programme_for
from .forms import StatusReportForm
from .models import Activity, Programme, StatusReport


def _activity_for(programme: Programme, code: str) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("programme", "responsible"), programme=programme, code=code.upper()
    )


def _report_for(activity: Activity, pk: int) -> StatusReport:
    return get_object_or_404(StatusReport.objects.select_related("author"), activity=activity, pk=pk)


def can_edit_report(access, report: StatusReport) -> bool:
    """Whoever may write the activity's reports may correct them (docs/roles.md: the project group edits the status
    reports of its own activities; the project leader all)."""
    return access.can_edit_activity(report.activity)


def _date_taken(form) -> None:
    """Two saves of a report for the same activity and date at the same moment: the database keeps one."""
    form.add_error("period_end", _("Det finnes allerede en statusrapport for denne datoen."))


@login_required
def report_create(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = programme_for(request, slug)
    activity = _activity_for(programme, code)
    if not request.access.can_edit_activity(activity):
        raise PermissionDenied
    form = StatusReportForm(request.POST or None, activity=activity, instance=StatusReport(activity=activity))
    if request.method == "POST":
        report = form.instance
        report.author = request.user
        if save_edit(form, on_clash=_date_taken).saved:
            messages.success(request, _("Statusrapporten for %(code)s er lagret.") % {"code": activity.code})
            return redirect("status_report_detail", slug=slug, code=activity.code, pk=report.pk)
    context = {"programme": programme, "activity": activity, "form": form}
    return render(request, "portfolio/status_report_form.html", context, status=form_status(form))


@login_required
def report_edit(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    programme = programme_for(request, slug)
    activity = _activity_for(programme, code)
    report = _report_for(activity, pk)
    if not can_edit_report(request.access, report):
        raise PermissionDenied
    form, stale = StatusReportForm(activity=activity, instance=report), None
    if request.method == "POST":
        edit = save_edit(
            StatusReportForm(request.POST, activity=activity, instance=report),
            restart=lambda stored: StatusReportForm(activity=activity, instance=stored),
            on_clash=_date_taken,  # moved onto a date another save just took
        )
        if edit.saved:
            messages.success(request, _("Statusrapporten for %(code)s er lagret.") % {"code": activity.code})
            return redirect("status_report_detail", slug=slug, code=activity.code, pk=report.pk)
        form, stale = edit.form, edit.stale
    context = {"programme": programme, "activity": activity, "form": form, "report": form.instance, "stale": stale}
    return render(request, "portfolio/status_report_form.html", context, status=form_status(form, stale=stale))


@login_required
def report_detail(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    programme = programme_for(request, slug)
    activity = _activity_for(programme, code)
    report = _report_for(activity, pk)
    context = {
        "programme": programme,
        "activity": activity,
        "report": report,
        "can_edit_report": can_edit_report(request.access, report),
        "can_edit_status": request.access.can_edit_activity(activity),
        "status_reports": activity.status_reports.select_related("author").exclude(pk=report.pk),
        "history": history_for(request.access, report),
    }
    return render(request, "portfolio/status_report_detail.html", context)


def status_rows(programme: Programme, access, today) -> list[dict]:
    """One row per activity: its latest report, when the next is due and whether it is overdue.

    A fixed number of queries however many activities and reports there are.
    """
    activities = list(programme.activities.with_status_dates().select_related("responsible").order_by("code"))
    latest = {
        r.activity_id: r
        for r in StatusReport.objects.filter(activity__programme=programme)
        .latest_per_activity()
        .select_related("author")
    }
    editable = set(access.editable_activities().values_list("pk", flat=True))
    ended = programme.has_ended(today)  # after the programme's end no report is due: nothing is «forfalt»
    rows = []
    for activity in activities:
        due = activity.status_report_due_on
        rows.append(
            {
                "activity": activity,
                "report": latest.get(activity.pk),
                "due_on": due,
                "overdue": due < today and not ended,
                "due_today": due == today,
                "can_write": activity.pk in editable,
            }
        )
    return rows


@login_required
def status_overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    today = timezone.localdate()
    rows = status_rows(programme, request.access, today)
    context = {
        "programme": programme,
        "today": today,
        "rows": rows,
        "overdue_count": sum(row["overdue"] for row in rows),
    }
    return render(request, "portfolio/status_reports.html", context)
