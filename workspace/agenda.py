"""The steering group's agenda for a meeting date: everything that needs the group's attention or decision.

`compile_agenda(programme, day)` gathers, in a fixed number of queries however large the programme grows:
decision points due by the date and not decided, high risks (RF >= 15) and risks with an overdue review or
mitigation, milestones due before the date and not reached, proposals awaiting the steering group's decision,
and each activity's latest status report where any dimension is red.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Q
from django.utils.translation import gettext as _

from measures.models import Proposal
from milestones.models import DecisionPoint, Meeting, MeetingSeries, Milestone
from portfolio.models import StatusReport
from risks.models import HIGH_FROM, Risk

# A meeting series is the steering group's when its name or participants say so (the model has no forum field).
STEERING_WORD = "styringsgruppe"
UPCOMING_DATES = 6  # future meeting dates offered per series
PAST_MEETINGS = 6  # held meetings offered


@dataclass
class Agenda:
    day: date
    decision_points: list = field(default_factory=list)
    risks: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    status_reports: list = field(default_factory=list)


def steering_series(programme):
    return MeetingSeries.objects.filter(programme=programme).filter(
        Q(name__icontains=STEERING_WORD) | Q(participants__icontains=STEERING_WORD)
    )


def meeting_dates(programme, today: date) -> list[tuple[date, str]]:
    """The steering group's recent held meetings and planned upcoming dates, as (date, series name), by date."""
    dates: dict[date, str] = {}
    series = list(steering_series(programme).filter(active=True).select_related("programme"))
    for s in series:
        day = s.next_date(today)
        for _i in range(UPCOMING_DATES):
            if day is None or day > programme.end_date:
                break
            dates.setdefault(day, s.name)
            day += timedelta(days=s.interval_days)
    held = (
        Meeting.objects.filter(series__in=steering_series(programme), held_on__lt=today)
        .select_related("series")
        .order_by("-held_on")[:PAST_MEETINGS]
    )
    for meeting in held:
        dates.setdefault(meeting.held_on, meeting.series.name)
    # The plan (section 4.2): "SG møtes før beslutningspunktene", so each open decision point's date is a meeting.
    for code, day in _open_points(programme).values_list("code", "date"):
        dates.setdefault(day, _("Før %(code)s") % {"code": code})
    return sorted(dates.items())


def _open_points(programme):
    return DecisionPoint.objects.filter(programme=programme).exclude(status=DecisionPoint.Status.DECIDED)


def default_day(programme, today: date) -> date:
    """The next steering-group meeting on or after today: the next date of a steering-group series, else the
    next open decision point's date; today when neither is planned."""
    upcoming = [day for s in steering_series(programme).filter(active=True) if (day := s.next_date(today)) is not None]
    if not upcoming:
        upcoming = list(_open_points(programme).filter(date__gte=today).values_list("date", flat=True)[:1])
    return min(upcoming, default=today)


def _decision_points(programme, day):
    return _open_points(programme).filter(date__lte=day)


def _risks(programme, day):
    return (
        Risk.objects.filter(programme=programme)
        .exclude(status=Risk.Status.CLOSED)
        .with_latest()
        .with_overdue(day)
        .filter(Q(latest_rf__gte=HIGH_FROM) | Q(review_overdue=True) | Q(overdue_mitigations__gt=0))
        .select_related("activity", "owner")
        .order_by(F("latest_rf").desc(nulls_last=True), "code")
    )


def _milestones(programme, day):
    return Milestone.objects.filter(programme=programme).overdue(day).select_related("activity")


def _proposals(programme):
    return (
        Proposal.objects.filter(programme=programme)
        .awaiting_decision()
        .visible()
        .select_related("area", "activity")
        .with_priority()
        .order_by(F("priority").desc(nulls_last=True), "title")
    )


def _status_reports(programme, day):
    return (
        StatusReport.objects.filter(activity__programme=programme, period_end__lte=day)
        .latest_per_activity(on=day)
        .with_red()
        .select_related("activity", "activity__responsible")
        .order_by("activity__code")
    )


def compile_agenda(programme, day: date) -> Agenda:
    """The agenda for a meeting on `day`; five queries."""
    return Agenda(
        day=day,
        decision_points=list(_decision_points(programme, day)),
        risks=list(_risks(programme, day)),
        milestones=list(_milestones(programme, day)),
        proposals=list(_proposals(programme)),
        status_reports=list(_status_reports(programme, day)),
    )


def decision_choices(proposal) -> list[tuple[str, str]]:
    """The steering group's decisions that are legal moves from the proposal's status, as (value, label)."""
    return [(status.value, status.label) for status in proposal.steering_decisions()]
