"""«Trenger din oppfølging»: what the signed-in user must act on, per role, in a constant number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits.models import Benefit, BenefitMeasurement
from measures.models import Proposal
from portfolio.access import ProgrammeAccess
from portfolio.models import RAG, StatusReport
from risks.models import Mitigation
from tests import factories
from workspace.follow_up import follow_up_for

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
DURING = date(2017, 4, 1)  # while the programme runs (01.11.2016–01.11.2019)


def report(activity, day):
    return StatusReport.objects.create(
        activity=activity, period_end=day, overall=RAG.GREEN, scope="green", time="green", cost="green", risk="green"
    )


def measured_benefit(plan, owner, measured_on):
    benefit = Benefit.objects.create(
        plan=plan,
        description="Kortere svartid",
        kind=Benefit.Kind.TIME_SAVED,
        indicator="Dager",
        baseline_value=Decimal("10"),
        target_value=Decimal("5"),
        frequency_months=3,
        owner=owner,
    )
    BenefitMeasurement.objects.create(benefit=benefit, measured_on=measured_on, value=Decimal("9"))
    return benefit


def give_work(plan, person, other, n=1):
    """For `person`: an activity with an overdue report, a benefit due for measurement, an overdue risk review
    and an overdue mitigation; for `other`: the same, which must not show up on `person`'s list."""
    for _ in range(n):
        for owner in (person, other):
            activity = factories.activity(plan, responsible=owner)
            report(activity, DURING - timedelta(days=30))  # due 14 days later: overdue
            measured_benefit(factories.benefit_plan(plan, activity, benefits=0), owner, date(2016, 12, 1))
            risk = factories.risk(plan, activity=activity, owner=owner, next_review_on=date(2017, 3, 1))
            Mitigation.objects.create(risk=risk, description="Sent tiltak", due_on=date(2017, 3, 15), responsible=owner)


def queries(access, today=DURING):
    with CaptureQueriesContext(connection) as captured:
        result = follow_up_for(access, today=today)
    return result, len(captured)


def test_project_group_member_sees_own_reports_measurements_and_reviews_in_constant_queries(plan, project_member):
    person = factories.person(name="Prosjektmedarbeider", user=project_member)
    other = factories.person(name="Noen andre")
    give_work(plan, person, other)
    result, base = queries(ProgrammeAccess.of(project_member, plan))
    kinds = sorted(item.kind for item in result.items)
    assert kinds == ["measurement", "mitigation", "risk_review", "status_report"]
    assert all(item.overdue for item in result.items)
    by_kind = {item.kind: item for item in result.items}
    activity = plan.activities.get(responsible=person)
    assert by_kind["status_report"].url == reverse("status_report_create", args=[SLUG, activity.code])
    assert activity.code in by_kind["status_report"].text
    benefit = Benefit.objects.get(owner=person)
    assert by_kind["measurement"].url == reverse("benefit_detail", args=[SLUG, benefit.plan.code, benefit.pk])
    assert by_kind["measurement"].due == date(2017, 3, 1)
    # The other person's work is not on this list; the project group decides nothing.
    assert not any(item.kind in {"moderation", "screening", "decision", "proposals"} for item in result.items)

    give_work(plan, person, other, n=5)
    result, grown = queries(ProgrammeAccess.of(project_member, plan))
    assert len(result.items) == 6 * 4
    assert grown == base


def test_project_leader_sees_moderation_and_screening_in_constant_queries(plan, project_leader):
    factories.proposal(plan, status="submitted", published=False, submitter_type="innbygger")
    factories.proposal(plan, status="submitted", published=True)
    moderation = Proposal.objects.filter(programme=plan).awaiting_moderation().count()
    screening = Proposal.objects.filter(programme=plan, status="submitted", published=True).count()
    result, base = queries(ProgrammeAccess.of(project_leader, plan))
    by_kind = {item.kind: item for item in result.items}
    assert set(by_kind) == {"moderation", "screening"}  # the leader holds no Person, and is not the steering group
    assert by_kind["moderation"].text.startswith(f"{moderation} ")
    assert by_kind["moderation"].url == reverse("moderation_queue", args=[SLUG])
    assert by_kind["screening"].text.startswith(f"{screening} ")
    assert by_kind["screening"].url == reverse("proposal_list", args=[SLUG]) + "?status=submitted"
    for _ in range(5):
        factories.proposal(plan, status="submitted", published=False, submitter_type="innbygger")
    result, grown = queries(ProgrammeAccess.of(project_leader, plan))
    assert grown == base
    assert {item.kind: item for item in result.items}["moderation"].text.startswith(f"{moderation + 5} ")


def test_steering_group_sees_decision_points_up_for_decision_and_proposals_in_constant_queries(plan, steering_member):
    result, base = queries(ProgrammeAccess.of(steering_member, plan))
    points = [item for item in result.items if item.kind == "decision"]
    # 01.04.2017: BP1 and BP2 are past their date, BP3 and BP4 (15.04) are up within 30 days, BP5 (15.06) not yet.
    assert [item.text.split(":")[0] for item in points] == [f"Beslutningspunkt BP{n}" for n in (1, 2, 3, 4)]
    assert [item.overdue for item in points] == [True, True, False, False]
    assert points[0].url == reverse("decision_record", args=[SLUG, "BP1"])
    awaiting = Proposal.objects.filter(programme=plan, published=True).awaiting_decision().count()
    assert awaiting
    proposals = next(item for item in result.items if item.kind == "proposals")
    assert proposals.text.startswith(f"{awaiting} ") and proposals.url == reverse("meeting_agenda", args=[SLUG])
    assert not any(item.kind in {"moderation", "screening"} for item in result.items)  # the leader's work

    for _ in range(5):
        factories.decision_point(plan, date=date(2017, 4, 10))
        factories.proposal(plan, status="screening", published=True)
    result, grown = queries(ProgrammeAccess.of(steering_member, plan))
    assert grown == base
    assert len([item for item in result.items if item.kind == "decision"]) == 9


def test_staff_get_nothing_and_no_queries_for_it(plan, staff):
    result, count = queries(ProgrammeAccess.of(staff, plan))
    assert result.items == [] and count == 0


def test_after_the_programme_end_only_benefit_measurements_remain_and_none_is_overdue(plan, project_member):
    person = factories.person(name="Prosjektmedarbeider", user=project_member)
    give_work(plan, person, factories.person(name="Noen andre"))
    result, _count = queries(ProgrammeAccess.of(project_member, plan), today=date(2020, 6, 1))
    assert result.ended
    assert [item.kind for item in result.items] == ["measurement"]
    assert not result.items[0].overdue  # «frist var …», no «forfalt» badge after the end


def test_the_dashboard_shows_the_list_with_links_and_an_empty_state(client, plan, project_member, steering_member):
    person = factories.person(name="Prosjektmedarbeider", user=project_member)
    benefit = measured_benefit(
        factories.benefit_plan(plan, factories.activity(plan, responsible=person), benefits=0),
        person,
        date(2019, 1, 1),
    )
    client.force_login(project_member)
    html = client.get(reverse("programme", args=[SLUG])).text
    section = html[html.index('id="follow-up"') :].split("</section>")[0]
    assert "Trenger din oppfølging" in section
    assert reverse("benefit_detail", args=[SLUG, benefit.plan.code, benefit.pk]) in section
    assert "frist var 01.04.2019" in section and "forfalt" not in section  # the programme has ended

    client.force_login(steering_member)
    html = client.get(reverse("programme", args=[SLUG])).text
    section = html[html.index('id="follow-up"') :].split("</section>")[0]
    assert "Ingenting venter på deg" in section
