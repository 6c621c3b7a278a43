"""The steering group's agenda for a meeting date: what it gathers, who may decide from it, printing."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from measures.models import Proposal
from milestones.models import DecisionPoint, MeetingSeries, Milestone
from portfolio.models import StatusReport
from risks.models import Risk
from tests import factories
from tests.utils import count_queries
from workspace.agenda import compile_agenda, default_day

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
AGENDA = reverse("meeting_agenda", args=[SLUG])
HTMX = {"HTTP_HX_REQUEST": "true"}


def decide_url(code: str) -> str:
    return reverse("agenda_decide_point", args=[SLUG, code])


def proposal_url(pk: int) -> str:
    return reverse("agenda_decide_proposal", args=[SLUG, pk])


def report(activity, period_end, **statuses) -> StatusReport:
    values = {name: statuses.get(name, "green") for name in StatusReport.DIMENSIONS}
    return StatusReport.objects.create(activity=activity, period_end=period_end, **values)


def version(code: str) -> dict:
    """The hidden version field the agenda's decision form sends for a point."""
    return {f"bp-{code}-version": DecisionPoint.objects.get(code=code).version}


def codes(items) -> list[str]:
    return [item.code for item in items]


def test_agenda_gathers_what_needs_the_steering_group(plan):
    DecisionPoint.objects.filter(programme=plan, code="BP1").update(status=DecisionPoint.Status.DECIDED)
    ha01, ha02, ha03 = (plan.activities.get(code=c) for c in ("HA01", "HA02", "HA03"))
    report(ha01, date(2017, 4, 1), time="red")
    report(ha02, date(2017, 3, 1), cost="red")
    report(ha02, date(2017, 4, 1))  # the latest HA02 report is all green again
    report(ha03, date(2017, 5, 1), risk="red")  # after the meeting date
    late_review = factories.risk(plan, s=2, k=2, next_review_on=date(2017, 4, 1))
    agenda = compile_agenda(plan, date(2017, 4, 20))
    # Decision points due by the date and not decided; BP5 (15.06.2017) is later.
    assert codes(agenda.decision_points) == ["BP2", "BP3", "BP4"]
    # Milestones due before the date and not reached: MP1 (15.03.2017) only.
    assert codes(agenda.milestones) == ["MP1"]
    # High risks (RF >= 15) and risks whose review is overdue.
    high = set(Risk.objects.filter(programme=plan).high().values_list("code", flat=True))
    assert high and high <= set(codes(agenda.risks))
    assert late_review.code in codes(agenda.risks)
    assert all(r.latest_rf >= 15 or r.review_overdue or r.overdue_mitigations for r in agenda.risks)
    # Proposals waiting for the group's decision (krever utredning / under vurdering).
    awaiting = Proposal.objects.filter(programme=plan, status__in=["screening", "needs_assessment"], published=True)
    assert {p.pk for p in agenda.proposals} == set(awaiting.values_list("pk", flat=True))
    assert len(agenda.proposals) >= 4  # four of the plan's own proposals need assessment
    # The latest report per activity with something red, as of the meeting date.
    assert [(r.activity.code, r.period_end) for r in agenda.status_reports] == [("HA01", date(2017, 4, 1))]


def test_agenda_page_shows_items_with_links_and_text_status(client, plan, project_member):
    report(plan.activities.get(code="HA01"), date(2017, 4, 1), overall="red", time="red")
    client.force_login(project_member)
    page = client.get(AGENDA, {"dato": "2017-04-20"}).content.decode()
    assert "Agenda for styringsgruppen 20.04.2017" in page
    assert f"{reverse('milestone_overview', args=[SLUG])}#bp-BP2" in page
    assert reverse("status_report_detail", args=[SLUG, "HA01", StatusReport.objects.get().pk]) in page
    assert '<span class="badge rag-red">Rød</span>' in page
    assert "ikke nådd" in page
    # The project group reads the agenda but gets no decision forms.
    assert "Registrer vedtak" not in page
    assert "agenda-form" not in page


def test_default_date_is_the_next_steering_group_meeting(plan, client, steering_member):
    with time_machine.travel(date(2017, 4, 1)):
        assert default_day(plan, date(2017, 4, 1)) == date(2017, 4, 15)  # the next open decision point (BP3)
        MeetingSeries.objects.create(
            programme=plan, name="Styringsgruppemøte", first_date=date(2017, 1, 10), interval_days=28
        )
        assert default_day(plan, date(2017, 4, 1)) == date(2017, 4, 4)
        client.force_login(steering_member)
        response = client.get(AGENDA)
    assert response.context["day"] == date(2017, 4, 4)
    assert "04.04.2017" in response.content.decode()
    dates = [d for d, _name in response.context["meeting_dates"]]
    assert date(2017, 5, 2) in dates and date(2017, 4, 15) in dates
    with time_machine.travel(date(2018, 1, 1)):
        MeetingSeries.objects.all().delete()
        assert default_day(plan, date(2018, 1, 1)) == date(2018, 1, 1)  # nothing planned: today


@pytest.mark.parametrize("value", ["2017-13-01", "i morgen", "31.02.2017"])
def test_bad_date_gets_a_norwegian_error(client, steering_member, value):
    client.force_login(steering_member)
    response = client.get(AGENDA, {"dato": value})
    assert response.status_code == 400
    assert f"«{value}» er ikke en dato. Skriv datoen som dd.mm.åååå eller velg et møte." in response.content.decode()


def test_norwegian_date_format_is_accepted(client, steering_member):
    client.force_login(steering_member)
    assert client.get(AGENDA, {"dato": "20.04.2017"}).context["day"] == date(2017, 4, 20)


def test_who_may_read_and_decide(client, plan, project_member, staff):
    client.force_login(staff)
    assert client.get(AGENDA).status_code == 403
    client.force_login(project_member)
    assert client.get(AGENDA).status_code == 200
    data = {"bp-BP2-decision_text": "Godkjent", "bp-BP2-decided_on": "2017-03-15", "dato": "2017-04-20"}
    assert client.post(decide_url("BP2"), data).status_code == 403
    proposal = Proposal.objects.filter(programme=plan, status=Proposal.Status.NEEDS_ASSESSMENT).first()
    assert client.post(proposal_url(proposal.pk), {f"p{proposal.pk}-status": "prioritised"}).status_code == 403
    assert DecisionPoint.objects.get(programme=plan, code="BP2").status == DecisionPoint.Status.PLANNED


@time_machine.travel(date(2017, 4, 20), tick=False)
def test_steering_group_records_a_decision_without_javascript(client, plan, steering_member):
    client.force_login(steering_member)
    page = client.get(AGENDA, {"dato": "2017-04-20"}).content.decode()
    assert f'action="{decide_url("BP2")}"' in page
    data = {
        "bp-BP2-decision_text": "Prosjektplanen godkjennes.",
        "bp-BP2-reference": "SG-sak 3/17",
        "bp-BP2-decided_on": "20.04.2017",
        "dato": "2017-04-20",
        **version("BP2"),
    }
    response = client.post(decide_url("BP2"), data)
    assert response.status_code == 302
    assert response.url == f"{AGENDA}?dato=2017-04-20#bp-BP2"
    point = DecisionPoint.objects.get(programme=plan, code="BP2")
    assert (point.status, point.decision_text, point.decided_on) == (
        "decided",
        "Prosjektplanen godkjennes.",
        date.today(),
    )
    assert "BP2" not in codes(client.get(response.url).context["agenda"].decision_points)
    # A second decision on the same point is refused.
    again = client.post(decide_url("BP2"), {**data, "bp-BP2-decision_text": "Noe annet"})
    assert again.status_code == 422
    point.refresh_from_db()
    assert point.decision_text == "Prosjektplanen godkjennes."


@time_machine.travel(date(2017, 4, 20), tick=False)
def test_decision_with_htmx_returns_the_updated_item(client, plan, steering_member):
    client.force_login(steering_member)
    bad = client.post(
        decide_url("BP3"), {"bp-BP3-decided_on": "2017-04-20", "dato": "2017-04-20", **version("BP3")}, **HTMX
    )
    assert bad.status_code == 422
    assert "Skriv vedtaket." in bad.text
    assert "<html" not in bad.text
    assert DecisionPoint.objects.get(programme=plan, code="BP3").status == DecisionPoint.Status.PLANNED
    data = {
        "bp-BP3-decision_text": "Anskaffelse startes.",
        "bp-BP3-decided_on": "2017-04-20",
        "dato": "2017-04-20",
        **version("BP3"),
    }
    good = client.post(decide_url("BP3"), data, **HTMX)
    assert good.status_code == 200
    assert good.text.strip().startswith('<li id="bp-BP3"')
    assert "Besluttet" in good.text and "Anskaffelse startes." in good.text
    assert DecisionPoint.objects.get(programme=plan, code="BP3").status == DecisionPoint.Status.DECIDED


def test_decision_date_in_the_future_is_refused(client, steering_member, plan):
    client.force_login(steering_member)
    tomorrow = date.today() + timedelta(days=1)
    data = {
        "bp-BP2-decision_text": "Ja",
        "bp-BP2-decided_on": tomorrow.isoformat(),
        "dato": "2017-04-20",
        **version("BP2"),
    }
    response = client.post(decide_url("BP2"), data)
    assert response.status_code == 422
    assert "Et vedtak kan ikke ha en dato fram i tid." in response.content.decode()


def test_a_refused_decision_for_a_point_not_on_that_days_agenda_still_says_why(client, steering_member, plan):
    """BP5 (15.06.2017) is not on the agenda of 20.04.2017: the redrawn page has no form for it, so the refusal
    must reach the user as a message rather than vanish."""
    client.force_login(steering_member)
    tomorrow = date.today() + timedelta(days=1)
    data = {"bp-BP5-decision_text": "Ja", "bp-BP5-decided_on": tomorrow.isoformat(), "dato": "2017-04-20"}
    response = client.post(decide_url("BP5"), {**data, **version("BP5")})
    assert response.status_code == 422
    assert "Et vedtak kan ikke ha en dato fram i tid." in response.content.decode()
    assert DecisionPoint.objects.get(programme=plan, code="BP5").status != DecisionPoint.Status.DECIDED


def test_steering_group_decides_a_proposal_through_its_life_cycle(client, plan, steering_member):
    proposal = Proposal.objects.filter(programme=plan, status=Proposal.Status.NEEDS_ASSESSMENT).first()
    client.force_login(steering_member)
    page = client.get(AGENDA, {"dato": "2017-04-20"}).content.decode()
    assert f'action="{proposal_url(proposal.pk)}"' in page
    refused = client.post(proposal_url(proposal.pk), {f"p{proposal.pk}-status": "rejected", "dato": "2017-04-20"})
    assert refused.status_code == 422
    assert "Et avslag må begrunnes i kommentaren." in refused.content.decode()
    illegal = client.post(proposal_url(proposal.pk), {f"p{proposal.pk}-status": "done", "dato": "2017-04-20"})
    assert illegal.status_code == 422
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NEEDS_ASSESSMENT
    response = client.post(
        proposal_url(proposal.pk), {f"p{proposal.pk}-status": "prioritised", "dato": "2017-04-20"}, **HTMX
    )
    assert "Besluttet" in response.text and "Prioritert i årets plan" in response.text
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PRIORITISED
    transition = proposal.transitions.latest("id")
    assert (transition.by, transition.from_status, transition.to_status) == (
        steering_member,
        "needs_assessment",
        "prioritised",
    )


def test_print_layout_and_htmx_partial(client, steering_member):
    client.force_login(steering_member)
    printed = client.get(AGENDA, {"dato": "2017-04-20", "utskrift": "1"}).content.decode()
    assert "agenda-print" in printed
    assert "agenda-form" not in printed
    assert "Tilbake til vanlig visning" in printed
    normal = client.get(AGENDA, {"dato": "2017-04-20"}).content.decode()
    assert "agenda-print" not in normal
    assert "?dato=2017-04-20&amp;utskrift=1" in normal
    partial = client.get(AGENDA, {"dato": "2017-04-20"}, **HTMX).content.decode()
    assert partial.strip().startswith('<div id="agenda">')
    assert "<html" not in partial


def test_agenda_query_count_is_constant(client, plan, steering_member):
    client.force_login(steering_member)
    counts = []
    for size in (1, 4, 12):
        for _i in range(size):
            activity = factories.activity(plan)
            report(activity, date(2017, 3, 1), time="red")
            factories.risk(plan, s=4, k=5, activity=activity)
            factories.milestone(plan, activity=activity, planned_date=date(2017, 2, 1))
            factories.decision_point(plan, date=date(2017, 2, 1))
            factories.proposal(plan, status=Proposal.Status.NEEDS_ASSESSMENT, published=True)
        MeetingSeries.objects.create(
            programme=plan, name=f"Styringsgruppe {size}", first_date=date(2017, 1, 3), interval_days=28
        )
        counts.append(count_queries(client, f"{AGENDA}?dato=2017-04-20"))
    assert counts[0] == counts[1] == counts[2], counts
    assert Milestone.objects.filter(programme=plan).count() > 12


@time_machine.travel(date(2017, 4, 20), tick=False)
def test_decision_over_a_newer_change_is_refused(client, plan, steering_member):
    client.force_login(steering_member)
    opened = version("BP4")  # the agenda was opened at this version
    point = DecisionPoint.objects.get(programme=plan, code="BP4")
    point.postpone(date(2017, 4, 18))  # another member postpones it meanwhile (through the editor: a new version)
    DecisionPoint.objects.filter(pk=point.pk).update(version=point.version + 1)
    data = {"bp-BP4-decision_text": "Ja", "bp-BP4-decided_on": "2017-04-20", "dato": "2017-04-20", **opened}
    response = client.post(decide_url("BP4"), data, **HTMX)
    assert "Noen andre har endret dette mens du redigerte" in response.text
    assert "18.04.2017" in response.text  # the point as stored now
    point.refresh_from_db()
    assert point.status == DecisionPoint.Status.POSTPONED
    assert point.decision_text == ""
    # Without htmx the refusal comes back to the agenda as a message.
    response = client.post(decide_url("BP4"), data)
    assert response.status_code == 302
    assert DecisionPoint.objects.get(pk=point.pk).status == DecisionPoint.Status.POSTPONED
