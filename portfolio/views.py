from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from measures.models import Proposal
from milestones.models import DecisionPoint, Milestone, next_meeting
from risks.models import Risk

from .health import health_status
from .models import MONTH_NAMES, Activity, BudgetLine, Membership, Phase, Programme, ScheduledMonth
from .roles import can_read_programme


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


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = health_status(connection)
    return JsonResponse(status, status=200 if status["database"]["ok"] else 503)
