"""The portfolio dashboard: every figure per activity and the programme's totals, in one place.

`build_dashboard(programme)` runs a fixed number of queries however many activities, milestones, risks,
reports, benefits and budget lines there are: each kind of object is read once for the whole programme and
grouped by activity in memory. Filtering by phase or area happens on those rows, so the query count does not
depend on the filter either. `activity_figures(activity, programme)` gives the activity page the same progress and
elapsed-time figures from the same helpers.

Definitions (also in the page's help text and the README):
- progress: the share of the activity's milestones that are reached (status «Nådd»). Only milestones measure
  progress: an activity without milestones has no progress figure («ikke målt»), never a guess.
- elapsed time: the share of the activity's scheduled months that have ended. It is calendar time, not
  progress, and is shown beside it, never in its place.
- open high risks: risks of the activity that are not closed and whose latest RF is at least 15.
- benefits realised: the mean realisation % (baseline → target) of the latest measurement of each of the
  activity's benefits that has one, including benefits of plans for the activity's accepted measures.
- budget used: actual against planned of the cost lines tied to the activity; none tied means «ikke fordelt»,
  an unknown planned amount means the planned total is «ikke avklart».
- after the programme's end date (`Programme.has_ended`) nothing is overdue: the page shows the final state
  (milestones not reached are «ikke nådd», not «forfalt»).
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from benefits.models import Benefit
from measures.models import Proposal
from milestones.models import Milestone, next_meeting
from portfolio.models import RAG, Activity, BudgetLine, Phase, Programme, ScheduledMonth, StatusReport, summarise_budget
from risks.models import Risk


@dataclass
class ActivityRow:
    activity: Activity
    status: str | None  # a RAG value, or None when no report exists
    status_label: str
    status_date: date | None
    status_overdue: bool
    progress: int | None  # per cent of milestones reached; None is «ikke målt»
    progress_basis: str  # "milestones" or "" (nothing measures progress)
    next_milestone: Milestone | None
    next_milestone_overdue: bool
    high_risks: int
    realisation: Decimal | None
    budget: dict  # summarise_budget(...)["cost"] of the activity's lines
    phase_years: set[int] = field(default_factory=set)
    milestones_reached: int = 0
    milestones_total: int = 0
    elapsed: int | None = None  # per cent of the scheduled months that have ended; None without a schedule
    # The programme has ended and this milestone was not reached by then: «ikke nådd», not «forfalt».
    next_milestone_missed: bool = False

    @property
    def budget_state(self) -> str:
        """'unassigned' (no lines), 'unknown' (a planned amount not settled) or 'known'."""
        if not self.budget["lines"]:
            return "unassigned"
        return "unknown" if self.budget["planned"] is None else "known"

    @property
    def budget_used_percent(self) -> int | None:
        planned, actual = self.budget["planned"], self.budget["actual"]
        if not planned or actual is None:
            return None
        return round(actual * 100 / planned)


@dataclass
class Dashboard:
    rows: list[ActivityRow]
    all_count: int
    status_counts: list[tuple[str, str, int]]  # (rag value or "none", label, count)
    budget: dict  # summarise_budget(...)["cost"] for the whole programme, all phases
    high_risks: int
    average_realisation: Decimal | None
    proposals_awaiting: int
    next_meeting: tuple | None
    next_milestone: Milestone | None
    next_milestone_overdue: bool
    ended: bool = False  # past the programme's end date: final figures, nothing overdue
    end_date: date | None = None
    budget_by_phase: list[tuple[Phase, dict]] = field(default_factory=list)  # (phase, cost totals)
    milestones_reached: int = 0
    milestones_total: int = 0
    # Demo proposals (`Proposal.is_demo`, set by the fixtures' examples and setup_demo's history) are present.
    has_demo_data: bool = False


@dataclass
class ActivityFigures:
    """Progress and elapsed time of one activity (the activity page), by the dashboard's definitions."""

    progress: int | None
    milestones_reached: int
    milestones_total: int
    elapsed: int | None
    ended: bool


def _month_ended(year: int, month: int, today: date) -> bool:
    return date(year, month, calendar.monthrange(year, month)[1]) < today


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values) / len(values) if values else None


def _next_open(milestones: list[Milestone]) -> Milestone | None:
    """The earliest milestone that is not reached (milestones come sorted by planned date)."""
    return next((m for m in milestones if m.status != Milestone.Status.ACHIEVED), None)


def _progress(milestones: list[Milestone]) -> tuple[int | None, int, int]:
    """(per cent reached or None, reached, total): only milestones measure progress."""
    reached = sum(m.status == Milestone.Status.ACHIEVED for m in milestones)
    if not milestones:
        return None, 0, 0
    return round(reached * 100 / len(milestones)), reached, len(milestones)


def _elapsed(months: list[tuple[int, int]], today: date) -> int | None:
    """Per cent of the scheduled (year, month) pairs that have ended: calendar time, not progress."""
    if not months:
        return None
    return round(sum(_month_ended(year, month, today) for year, month in months) * 100 / len(months))


def activity_figures(activity: Activity, programme: Programme, *, today=None) -> ActivityFigures:
    """The dashboard's progress and elapsed time for one activity of `programme` (two queries)."""
    today = today or timezone.localdate()
    progress, reached, total = _progress(list(activity.milestones.all()))
    months = list(activity.scheduled_months.values_list("phase__year", "month"))
    return ActivityFigures(
        progress=progress,
        milestones_reached=reached,
        milestones_total=total,
        elapsed=_elapsed(months, today),
        ended=programme.has_ended(today),
    )


def build_dashboard(programme: Programme, *, phase: Phase | None = None, area_id: int | None = None, today=None):
    today = today or timezone.localdate()
    ended = programme.has_ended(today)
    latest = StatusReport.objects.filter(activity=OuterRef("pk")).order_by("-period_end", "-created_at")
    activities = list(
        Activity.objects.filter(programme=programme)
        .select_related("programme", "area", "responsible")
        .with_status_dates()
        .annotate(
            latest_overall=Subquery(latest.values("overall")[:1]),
            latest_period_end=Subquery(latest.values("period_end")[:1]),
        )
        .order_by("code")
    )

    months = defaultdict(list)
    for activity_id, year, month in ScheduledMonth.objects.filter(activity__programme=programme).values_list(
        "activity_id", "phase__year", "month"
    ):
        months[activity_id].append((year, month))

    milestones = defaultdict(list)
    all_milestones = list(Milestone.objects.filter(programme=programme).order_by("planned_date", "code"))
    for m in all_milestones:
        milestones[m.activity_id].append(m)

    high = defaultdict(int)
    high_risks = (
        Risk.objects.filter(programme=programme)
        .exclude(status=Risk.Status.CLOSED)
        .high()
        .values_list("activity_id", flat=True)
    )
    for activity_id in high_risks:
        high[activity_id] += 1

    realisations = defaultdict(list)
    all_realisations = []
    benefits = Benefit.objects.filter(plan__programme=programme).select_related("plan__measure").with_latest()
    for benefit in benefits:
        percent = benefit.latest_realisation_percent
        if percent is None:
            continue
        all_realisations.append(percent)
        plan = benefit.plan
        activity_id = plan.activity_id or (plan.measure.activity_id if plan.measure_id else None)
        if activity_id:
            realisations[activity_id].append(percent)

    lines = list(BudgetLine.objects.filter(phase__programme=programme).select_related("phase"))
    lines_by_activity = defaultdict(list)
    lines_by_phase = defaultdict(list)
    for line in lines:
        lines_by_activity[line.activity_id].append(line)
        lines_by_phase[line.phase].append(line)
    budget_by_phase = [
        (phase, summarise_budget(phase_lines)[BudgetLine.Kind.COST])
        for phase, phase_lines in sorted(lines_by_phase.items(), key=lambda item: item[0].number)
    ]

    labels = dict(RAG.choices)
    rows = []
    for activity in activities:
        own_milestones = milestones[activity.pk]
        own_months = months[activity.pk]
        progress, reached, total = _progress(own_milestones)
        next_ms = _next_open(own_milestones)
        rows.append(
            ActivityRow(
                activity=activity,
                status=activity.latest_overall,
                status_label=str(labels.get(activity.latest_overall, "")),
                status_date=activity.latest_period_end,
                # The same rule as the status page and the reminders: the next report's due date has passed.
                # After the programme's end no report is due any more.
                status_overdue=not ended and activity.status_report_due_on < today,
                progress=progress,
                progress_basis="milestones" if total else "",
                next_milestone=next_ms,
                next_milestone_overdue=not ended and next_ms is not None and next_ms.planned_date < today,
                next_milestone_missed=ended and next_ms is not None,
                high_risks=high[activity.pk],
                realisation=_mean(realisations[activity.pk]),
                budget=summarise_budget(lines_by_activity[activity.pk])[BudgetLine.Kind.COST],
                phase_years={year for year, _month in own_months},
                milestones_reached=reached,
                milestones_total=total,
                elapsed=_elapsed(own_months, today),
            )
        )

    counts = dict.fromkeys(RAG.values, 0) | {"none": 0}
    for row in rows:
        counts[row.status or "none"] += 1
    status_counts = [(value, str(label), counts[value]) for value, label in RAG.choices]
    status_counts.append(("none", "", counts["none"]))

    shown = [
        row
        for row in rows
        if (phase is None or phase.year in row.phase_years) and (area_id is None or row.activity.area_id == area_id)
    ]
    next_ms = _next_open(all_milestones)
    _percent, reached, total = _progress(all_milestones)
    return Dashboard(
        rows=shown,
        all_count=len(rows),
        status_counts=status_counts,
        budget=summarise_budget(lines)[BudgetLine.Kind.COST],
        high_risks=sum(high.values()),
        average_realisation=_mean(all_realisations),
        proposals_awaiting=Proposal.objects.filter(programme=programme).undecided().visible().count(),
        next_meeting=next_meeting(programme, today),
        next_milestone=next_ms,
        next_milestone_overdue=not ended and next_ms is not None and next_ms.planned_date < today,
        ended=ended,
        end_date=programme.end_date,
        budget_by_phase=budget_by_phase,
        milestones_reached=reached,
        milestones_total=total,
        has_demo_data=Proposal.objects.filter(programme=programme, is_demo=True).exists(),
    )
