from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from benefits.models import Benefit
from measures.models import Proposal
from milestones.models import DecisionPoint, Milestone
from risks.models import Risk

from .dashboard import build_dashboard
from .forms import BudgetLineActualForm, RevisionReportForm
from .health import health_status
from .history import can_see_history, history_entries
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
from .roles import (
    can_edit_activity_items,
    can_read_programme,
    is_project_leader,
)
from .tasks import build_revision_report
from .versioning import save_or_stale


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


DASHBOARD_MILESTONES = 10  # the earliest open ones; the milestone page lists them all


def _chosen(objects, value: str | None):
    """The object whose number is the GET value, or None (an unknown value is no filter)."""
    return next((o for o in objects if str(o.number) == value), None)


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def programme_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The portfolio dashboard: programme totals, one row per activity (filter by phase and area), organisation."""
    programme = programme_for(request, slug)
    phases = list(programme.phases.all())
    areas = list(programme.areas.all())
    phase, area = _chosen(phases, request.GET.get("fase")), _chosen(areas, request.GET.get("omrade"))
    context = {
        "programme": programme,
        "phases": phases,
        "areas": areas,
        "phase": phase,
        "area": area,
        "dashboard": build_dashboard(programme, phase=phase, area_id=area.pk if area else None),
        # Evaluated only by the full page, never by the htmx partial.
        "decision_points": DecisionPoint.objects.filter(programme=programme),
        "milestones": Milestone.objects.filter(programme=programme)
        .exclude(status=Milestone.Status.ACHIEVED)
        .select_related("activity")[:DASHBOARD_MILESTONES],
        "memberships": Membership.objects.filter(programme=programme).select_related("person"),
        "risks_needing_attention": Risk.objects.filter(programme=programme).needing_attention().count,
    }
    template = "portfolio/programme.html"
    if request.htmx and request.htmx.target == "dashboard-rows":
        template += "#dashboard-rows"
    return render(request, template, context)


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


ACTIVITY_TABS = [
    ("oversikt", _lazy("Oversikt")),
    ("tidsplan", _lazy("Tidsplan")),
    ("tiltak", _lazy("Tiltak")),
    ("risiko", _lazy("Risiko")),
    ("gevinster", _lazy("Gevinster")),
    ("milepaeler", _lazy("Milepæler")),
    ("status", _lazy("Status")),
    ("historikk", _lazy("Historikk")),
]


def _tab_context(request: HttpRequest, tab: str, activity: Activity) -> dict:
    """What the open tab shows; only that tab's queries run."""
    if tab == "tidsplan":
        by_phase = {}
        for m in activity.scheduled_months.all():
            by_phase.setdefault(m.phase, []).append(MONTH_NAMES[m.month - 1])
        return {"schedule": list(by_phase.items())}
    if tab == "tiltak":
        return {"measures": activity.measures.select_related("area", "revision_round").order_by("status", "title")}
    if tab == "risiko":
        return {"risks": activity.risks.with_latest().order_by("-latest_rf", "code")}
    if tab == "gevinster":
        plans = list(activity.benefit_plans.all())
        benefits = list(Benefit.objects.filter(plan__activity=activity).select_related("owner").with_latest())
        for plan in plans:
            plan.benefit_rows = [b for b in benefits if b.plan_id == plan.pk]
        return {"benefit_plans": plans}
    if tab == "milepaeler":
        return {"milestones": activity.milestones.select_related("activity")}
    if tab == "status":
        return {
            "status_reports": activity.status_reports.select_related("author"),
            "can_edit_status": can_edit_activity_items(request.user, activity),
        }
    if tab == "historikk":
        return {"history": history_entries(activity)}
    # Oversikt: the measures taken into the plan, by title (the Tiltak tab has all proposals).
    return {"accepted_measures": activity.measures.measures().order_by("title")}


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def activity_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Everything about one activity, one tab at a time (`?fane=`); htmx swaps only the tabs."""
    programme = programme_for(request, slug)
    activity = get_object_or_404(
        Activity.objects.select_related("area", "responsible").prefetch_related(
            "working_group",
            Prefetch("scheduled_months", queryset=ScheduledMonth.objects.select_related("phase")),
        ),
        programme=programme,
        code=code.upper(),
    )
    tabs = [(name, label) for name, label in ACTIVITY_TABS if name != "historikk" or can_see_history(request.user)]
    tab = request.GET.get("fane", "oversikt")
    if tab not in dict(tabs):
        tab = "oversikt"
    context = {
        "programme": programme,
        "activity": activity,
        "tabs": tabs,
        "tab": tab,
        "tab_label": dict(tabs)[tab],
        **_tab_context(request, tab, activity),
    }
    template = "portfolio/activity_detail.html"
    if request.htmx and request.htmx.target == "activity-tabs":
        template += "#activity-tabs"
    return render(request, template, context)


@login_required
@require_safe
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    """Per phase, cost and financing lines side by side: planned, actual and the difference, with totals."""
    programme = programme_for(request, slug)
    phases = list(Phase.objects.filter(programme=programme).prefetch_related("budget_lines__activity"))
    for phase in phases:
        lines = phase.budget_lines.all()
        totals = phase.budget_totals()
        phase.budget_sides = [
            (kind.value, kind.label, [line for line in lines if line.kind == kind], totals[kind.value])
            for kind in BudgetLine.Kind
        ]
    context = {"programme": programme, "phases": phases, "can_edit": is_project_leader(request.user)}
    return render(request, "portfolio/budget.html", context)


def budget_line_for(request: HttpRequest, slug: str, pk: int, *, edit: bool = False) -> BudgetLine:
    """A budget line of the programme; for editing only the project leader gets it (403 otherwise)."""
    programme = leader_programme_for(request, slug) if edit else programme_for(request, slug)
    return get_object_or_404(
        BudgetLine.objects.select_related("phase__programme", "activity"), phase__programme=programme, pk=pk
    )


@login_required
@require_safe
def budget_line(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One line as a table row (htmx: after «Avbryt»); without htmx, the budget page at that line."""
    line = budget_line_for(request, slug, pk)
    if not request.htmx:
        return redirect(reverse("budget", args=[slug]) + f"#linje-{line.pk}")
    context = {"programme": line.phase.programme, "line": line, "can_edit": is_project_leader(request.user)}
    return render(request, "portfolio/budget.html#budget-row", context)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def budget_line_actual(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The project leader records a line's actual amount; a newer save by someone else is never overwritten."""
    line = budget_line_for(request, slug, pk, edit=True)
    programme = line.phase.programme
    stored = None
    if request.method == "POST":
        form = BudgetLineActualForm(request.POST, instance=line)
        if form.is_valid() and save_or_stale(form):
            if not request.htmx:
                messages.success(request, _("Faktisk beløp er lagret for «%(line)s».") % {"line": line.description})
                return redirect(reverse("budget", args=[slug]) + f"#linje-{line.pk}")
            context = {"programme": programme, "line": line, "can_edit": True}
            return render(request, "portfolio/budget.html#budget-row", context)
        if form.current is not None:
            # Someone else saved first: show their value and start again from it.
            stored = form.current
            line = stored
            errors = form.non_field_errors()
            form = BudgetLineActualForm(instance=stored)
            form.stale_errors = errors
    else:
        form = BudgetLineActualForm(instance=line)
    context = {"programme": programme, "line": line, "form": form, "stored": stored}
    template = "portfolio/budget_line_edit.html"
    if request.htmx:
        template += "#budget-row-form"
    return render(request, template, context)


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
    return render(request, "portfolio/plan_changes.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = health_status(connection)
    return JsonResponse(status, status=200 if status["database"]["ok"] else 503)
