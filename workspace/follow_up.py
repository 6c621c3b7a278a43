"""«Trenger din oppfølging»: what the signed-in user must act on in one programme, computed in one place.

`follow_up_for(access)` gathers, for the user behind a `ProgrammeAccess`:

- as the person responsible for activities (their Person record, `access.person`): status reports that are
  due or overdue, risks they own whose review is overdue, and mitigations they are responsible for that are
  overdue;
- as the owner of benefits: measurements that are due by the benefit's frequency;
- as project leader: citizens' proposals waiting for moderation and new proposals waiting to be screened;
- as steering group: decision points up for decision (undecided, dated within `DECISION_HORIZON_DAYS`) and
  proposals waiting for its decision.

Each item links to the page where the user acts. The number of queries depends on the user's roles only, never
on how much there is (tests/workspace/test_follow_up.py asserts it). After the programme's end date nothing of
the programme itself is due any more; only benefit measurements remain, since benefits are realised after a
programme closes.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benefits.models import Benefit
from measures.models import Proposal
from milestones.models import DecisionPoint
from portfolio.access import ProgrammeAccess
from portfolio.models import Activity
from risks.models import Mitigation, Risk

# A decision point is "up for decision" this long before its date, so the steering group sees it coming.
DECISION_HORIZON_DAYS = 30


@dataclass
class FollowUpItem:
    kind: str  # status_report, measurement, risk_review, mitigation, moderation, screening, decision, proposals
    text: str
    url: str
    due: date | None = None
    overdue: bool = False  # shown as «forfalt»: past its date while the programme runs
    late: bool | None = None  # past its date at all («frist var …»); the same as `overdue` unless given

    def __post_init__(self):
        if self.late is None:
            self.late = self.overdue


@dataclass
class FollowUp:
    items: list[FollowUpItem] = field(default_factory=list)
    ended: bool = False  # the programme has ended: only benefit measurements can still be due
    # A project-group member without a Person record cannot be responsible for anything yet (*Medlemmer*).
    needs_person: bool = False


def follow_up_for(access: ProgrammeAccess, *, today: date | None = None) -> FollowUp:
    today = today or timezone.localdate()
    programme = access.programme
    slug = programme.slug
    ended = programme.has_ended(today)
    result = FollowUp(ended=ended)
    if not access.can_read:
        return result
    person = access.person
    result.needs_person = person is None and not (access.is_leader or access.is_steering)

    if person is not None and not ended:
        activities = (
            Activity.objects.filter(programme=programme, responsible=person)
            .select_related("programme")
            .with_status_dates()
            .order_by("code")
        )
        for activity in activities:
            due = activity.status_report_due_on
            if due <= today:
                result.items.append(
                    FollowUpItem(
                        "status_report",
                        _("Statusrapport for %(code)s %(name)s") % {"code": activity.code, "name": activity.name},
                        reverse("status_report_create", args=[slug, activity.code]),
                        due,
                        due < today,
                    )
                )
        risks = (
            Risk.objects.filter(programme=programme, owner=person)
            .review_overdue(today)
            .order_by("next_review_on", "code")
        )
        for risk in risks:
            result.items.append(
                FollowUpItem(
                    "risk_review",
                    _("Gjennomgang av risiko %(code)s %(title)s") % {"code": risk.code, "title": risk.title},
                    reverse("risk_detail", args=[slug, risk.code]),
                    risk.next_review_on,
                    True,
                )
            )
        mitigations = (
            Mitigation.objects.filter(risk__programme=programme, responsible=person)
            .overdue(today)
            .select_related("risk")
            .order_by("due_on", "pk")
        )
        for mitigation in mitigations:
            result.items.append(
                FollowUpItem(
                    "mitigation",
                    _("Risikotiltak for %(code)s: %(text)s")
                    % {"code": mitigation.risk.code, "text": mitigation.description},
                    reverse("risk_detail", args=[slug, mitigation.risk.code]),
                    mitigation.due_on,
                    True,
                )
            )

    if person is not None:
        benefits = (
            Benefit.objects.filter(plan__programme=programme, owner=person, frequency_months__isnull=False)
            .active()
            .select_related("plan")
            .with_latest()
            .order_by("plan__code", "pk")
        )
        for benefit in benefits:
            due = benefit.next_measurement_due
            if due is not None and due <= today:
                result.items.append(
                    FollowUpItem(
                        "measurement",
                        _("Måling av gevinsten «%(benefit)s» (%(plan)s)")
                        % {"benefit": benefit.description, "plan": benefit.plan.code},
                        reverse("benefit_detail", args=[slug, benefit.plan.code, benefit.pk]),
                        due,
                        # After the programme's end nothing is marked «forfalt»; the date says how late it is.
                        overdue=due < today and not ended,
                        late=due < today,
                    )
                )

    if not ended and (access.is_leader or access.is_steering):
        counts = Proposal.objects.filter(programme=programme).aggregate(
            moderation=Count("pk", filter=Q(published=False) & ~Q(status=Proposal.Status.REJECTED)),
            screening=Count("pk", filter=Q(published=True, status=Proposal.Status.SUBMITTED)),
            deciding=Count("pk", filter=Q(published=True, status__in=Proposal.AWAITING_DECISION)),
        )
        if access.is_leader and counts["moderation"]:
            n = counts["moderation"]
            result.items.append(
                FollowUpItem(
                    "moderation",
                    ngettext(
                        "%(n)d innbyggerforslag venter på moderering",
                        "%(n)d innbyggerforslag venter på moderering",
                        n,
                    )
                    % {"n": n},
                    reverse("moderation_queue", args=[slug]),
                )
            )
        if access.is_leader and counts["screening"]:
            n = counts["screening"]
            result.items.append(
                FollowUpItem(
                    "screening",
                    ngettext(
                        "%(n)d nytt forslag venter på første vurdering",
                        "%(n)d nye forslag venter på første vurdering",
                        n,
                    )
                    % {"n": n},
                    reverse("proposal_list", args=[slug]) + f"?status={Proposal.Status.SUBMITTED}",
                )
            )
        if access.is_steering:
            horizon = today + timedelta(days=DECISION_HORIZON_DAYS)
            points = (
                DecisionPoint.objects.filter(programme=programme, date__lte=horizon)
                .exclude(status=DecisionPoint.Status.DECIDED)
                .order_by("date", "code")
            )
            for point in points:
                result.items.append(
                    FollowUpItem(
                        "decision",
                        _("Beslutningspunkt %(code)s: %(title)s") % {"code": point.code, "title": point.title},
                        reverse("decision_record", args=[slug, point.code]),
                        point.date,
                        point.date < today,
                    )
                )
            if counts["deciding"]:
                n = counts["deciding"]
                result.items.append(
                    FollowUpItem(
                        "proposals",
                        ngettext(
                            "%(n)d forslag venter på styringsgruppens beslutning",
                            "%(n)d forslag venter på styringsgruppens beslutning",
                            n,
                        )
                        % {"n": n},
                        reverse("meeting_agenda", args=[slug]),
                    )
                )
    # Earliest due first; items without a date (counts to work through) after the dated ones.
    result.items.sort(key=lambda item: (item.due is None, item.due or today))
    return result
