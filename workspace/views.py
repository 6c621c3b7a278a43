"""The pages that span the apps: home, the programme dashboard, the activity list and the activity page."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from benefits.models import Benefit
from common.history import history_entries
from common.htmx import render_page
from measures.models import Proposal
from milestones.charts import period_text
from milestones.models import DecisionPoint, Milestone
from portfolio.access import programme_for, programmes_for, readable_programme_ids
from portfolio.models import MONTH_NAMES, Activity, Membership, ScheduledMonth
from risks.models import Risk

from .dashboard import activity_figures, build_dashboard
from .follow_up import follow_up_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    programmes = list(programmes_for(request.user).select_related("organisation").order_by("-start_date"))
    readable = readable_programme_ids(request.user)
    if readable:
        if len(programmes) == 1:
            return redirect("programme", slug=programmes[0].slug)
        return render(request, "workspace/home.html", {"programmes": programmes, "readable": readable})
    # Staff (and users without a role) see their own proposals, and the programmes they may send proposals to.
    own = (
        Proposal.objects.filter(submitted_by=request.user, programme__in=programmes)
        .select_related("area", "revision_round", "programme")
        .order_by("-submitted_on", "-id")
    )
    return render(request, "workspace/staff_home.html", {"own_proposals": own, "programmes": programmes})


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
        # Evaluated only by the full page, never by the htmx partial (a callable: the template calls it).
        "follow_up": lambda: follow_up_for(request.access),
        "decision_points": DecisionPoint.objects.filter(programme=programme),
        "milestones": Milestone.objects.filter(programme=programme)
        .exclude(status=Milestone.Status.ACHIEVED)
        .select_related("activity")[:DASHBOARD_MILESTONES],
        "memberships": Membership.objects.filter(programme=programme).select_related("person"),
        "risks_needing_attention": Risk.objects.filter(programme=programme).needing_attention().count,
    }
    # The filter form swaps only the rows; any other htmx request (e.g. boosted navigation) gets the page.
    partial = "dashboard-rows" if request.htmx and request.htmx.target == "dashboard-rows" else None
    return render_page(request, "workspace/programme.html", context, partial=partial)


@login_required
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    year_of = {phase.pk: phase.year for phase in programme.phases.all()}
    activities = list(
        programme.activities.select_related("area", "responsible")
        .prefetch_related("scheduled_months")
        .annotate(measure_count=Count("measures", filter=Q(measures__status__in=Proposal.ACCEPTED_STATUSES)))
    )
    # The planned months as periods in a column of their own, not a month grid per year (mostly empty cells);
    # the schedule page draws them on one timeline.
    for a in activities:
        a.planned = period_text({(year_of[m.phase_id], m.month) for m in a.scheduled_months.all()})
    context = {"programme": programme, "activities": activities}
    return render(request, "workspace/activity_list.html", context)


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
            "can_edit_status": request.access.can_edit_activity(activity),
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
    tabs = [(name, label) for name, label in ACTIVITY_TABS if name != "historikk" or request.access.can_see_history]
    tab = request.GET.get("fane", "oversikt")
    if tab not in dict(tabs):
        tab = "oversikt"
    context = {
        "programme": programme,
        "activity": activity,
        "tabs": tabs,
        "tab": tab,
        "tab_label": dict(tabs)[tab],
        "figures": lambda: activity_figures(activity, programme),  # only the full page shows them
        **_tab_context(request, tab, activity),
    }
    partial = "activity-tabs" if request.htmx and request.htmx.target == "activity-tabs" else None
    return render_page(request, "workspace/activity_detail.html", context, partial=partial)
