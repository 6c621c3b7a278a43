from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from measures.models import Proposal
from milestones.models import DecisionPoint, Milestone, next_meeting
from risks.models import Risk

from .forms import RevisionReportForm
from .health import health_status
from .models import (
    MONTH_NAMES,
    Activity,
    BudgetLine,
    Membership,
    Phase,
    PlanSnapshot,
    Programme,
    RevisionReport,
    ScheduledMonth,
)
from .reports import diff_snapshots, has_changes
from .roles import PROJECT_LEADER, STEERING_GROUP, can_read_programme, is_project_leader, user_roles
from .tasks import build_revision_report


def programme_for(request: HttpRequest, slug: str) -> Programme:
    """The programme the user may read, or 404/403."""
    programme = get_object_or_404(Programme, slug=slug)
    if not can_read_programme(request.user):
        raise PermissionDenied
    return programme


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if can_read_programme(request.user):
        programmes = list(Programme.objects.order_by("-start_date"))
        if len(programmes) == 1:
            return redirect("programme", slug=programmes[0].slug)
        return render(request, "portfolio/home.html", {"programmes": programmes})
    # Staff (and users without a role) see their own proposals.
    own = (
        Proposal.objects.filter(submitted_by=request.user)
        .select_related("area", "revision_round")
        .order_by("-submitted_on", "-id")
    )
    programmes = Programme.objects.order_by("-start_date")
    return render(request, "portfolio/staff_home.html", {"own_proposals": own, "programmes": programmes})


@login_required
def programme_overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    phases = list(programme.phases.prefetch_related("budget_lines"))
    for phase in phases:
        phase.totals = phase.budget_totals()
    context = {
        "programme": programme,
        "phases": phases,
        "areas": programme.areas.annotate(
            proposal_count=Count("proposals", distinct=True), activity_count=Count("activities", distinct=True)
        ),
        "activities": programme.activities.select_related("area", "responsible"),
        "risks": Risk.objects.filter(programme=programme).with_latest().order_by("-latest_rf", "code"),
        "decision_points": DecisionPoint.objects.filter(programme=programme),
        "milestones": Milestone.objects.filter(programme=programme).select_related("activity"),
        "memberships": Membership.objects.filter(programme=programme).select_related("person"),
        "next_meeting": next_meeting(programme),
        "risks_needing_attention": Risk.objects.filter(programme=programme).needing_attention().count(),
    }
    return render(request, "portfolio/programme.html", context)


@login_required
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    phases = list(programme.phases.all())
    activities = (
        programme.activities.select_related("area", "responsible")
        .prefetch_related("scheduled_months")
        .annotate(measure_count=Count("measures", filter=Q(measures__status__in=Proposal.ACCEPTED_STATUSES)))
    )
    scheduled = {a.pk: {(m.phase_id, m.month) for m in a.scheduled_months.all()} for a in activities}
    schedules = [
        {
            "phase": phase,
            "rows": [
                {"activity": a, "months": [(phase.pk, n) in scheduled[a.pk] for n in range(1, 13)]} for a in activities
            ],
        }
        for phase in phases
    ]
    context = {"programme": programme, "activities": activities, "schedules": schedules, "month_names": MONTH_NAMES}
    return render(request, "portfolio/activity_list.html", context)


@login_required
def activity_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = programme_for(request, slug)
    activity = get_object_or_404(
        Activity.objects.select_related("area", "responsible").prefetch_related(
            "working_group",
            Prefetch("scheduled_months", queryset=ScheduledMonth.objects.select_related("phase")),
        ),
        programme=programme,
        code=code.upper(),
    )
    context = {
        "programme": programme,
        "activity": activity,
        "measures": activity.measures.select_related("area"),
        "risks": activity.risks.with_latest(),
        "milestones": activity.milestones.all(),
        "status_reports": activity.status_reports.select_related("author")[:10],
        "benefit_plans": activity.benefit_plans.all(),
    }
    return render(request, "portfolio/activity_detail.html", context)


@login_required
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    phases = list(Phase.objects.filter(programme=programme).prefetch_related("budget_lines"))
    for phase in phases:
        lines = phase.budget_lines.all()
        totals = phase.budget_totals()
        phase.budget_sides = [
            (kind.label, [line for line in lines if line.kind == kind], totals[kind.value]) for kind in BudgetLine.Kind
        ]
    return render(request, "portfolio/budget.html", {"programme": programme, "phases": phases})


def leader_programme_for(request: HttpRequest, slug: str) -> Programme:
    """The programme, for its project leader only (reports, imports, moderation); 404/403 otherwise."""
    programme = programme_for(request, slug)
    if not is_project_leader(request.user):
        raise PermissionDenied
    return programme


def report_for(request: HttpRequest, slug: str, pk: int) -> RevisionReport:
    programme = leader_programme_for(request, slug)
    return get_object_or_404(RevisionReport.objects.select_related("programme"), programme=programme, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def revision_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """Earlier revision reports, and the form that orders a new one (built by a Celery task)."""
    programme = leader_programme_for(request, slug)
    form = RevisionReportForm(request.POST or None, programme=programme, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.programme = programme
        report.requested_by = request.user
        report.save()
        # Queued only once the record is committed, so the worker always finds it.
        build_revision_report.delay_on_commit(report.pk)
        return redirect("revision_reports", slug=programme.slug)
    reports = RevisionReport.objects.filter(programme=programme).select_related("requested_by")
    context = {"programme": programme, "form": form, "reports": reports}
    return render(request, "portfolio/revision_reports.html", context)


@login_required
@require_GET
@never_cache
def revision_report_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The state of one report, polled by htmx until it is done or failed."""
    report = report_for(request, slug, pk)
    if not request.htmx:
        return redirect("revision_reports", slug=slug)
    context = {"programme": report.programme, "report": report}
    return render(request, "portfolio/revision_reports.html#report-status", context)


@login_required
@require_GET
def revision_report_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    report = report_for(request, slug, pk)
    if report.state != RevisionReport.State.DONE or not report.pdf:
        raise Http404
    filename = f"rulleringsrapport-{report.year}-{report.pk}.pdf"
    return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def plan_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed in the plan between two years' snapshots; for the project leader and the steering group."""
    programme = programme_for(request, slug)
    if not user_roles(request.user) & {PROJECT_LEADER, STEERING_GROUP}:
        raise PermissionDenied
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
    return render(request, "portfolio/plan_changes.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = health_status(connection)
    return JsonResponse(status, status=200 if status["database"]["ok"] else 503)
