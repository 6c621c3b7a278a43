"""The Nordre Land plan as loaded by setup_demo matches the seed document."""

from datetime import date
from decimal import Decimal

import pytest

from measures.models import Proposal
from milestones.models import DecisionPoint, Milestone
from portfolio.models import Membership
from risks.models import Risk

pytestmark = pytest.mark.django_db

# (code, printed title start, S, K) from section 5.1 of the seed; two risks are numbered "2".
SEED_RISKS = [
    ("R1", "Nok ressurser til å drive prosessen", 4, 5),
    ("R2", "Prosjektleder blir langvarig syk", 2, 5),
    ("R2b", "Tid nok til å vurdere alle tiltak", 5, 2),
    ("R3", "Driftsmidler til å gjennomføre prioriterte tiltak", 4, 2),
    ("R4", "Utredning av kost/nytte er mangelfull", 2, 4),
    ("R5", "Liten motivasjon hos de som skal eie tiltaket", 2, 5),
    ("R6", "Manglende gevinstrealisering", 3, 4),
    ("R7", "For lite kunnskap i organisasjonen om mulige løsninger", 3, 3),
]


def test_programme_has_three_yearly_phases(plan):
    assert plan.name == "Digitalisering i Nordre Land kommune"
    assert (plan.start_date, plan.end_date) == (date(2016, 11, 1), date(2019, 11, 1))
    assert [(p.number, p.year) for p in plan.phases.all()] == [(1, 2017), (2, 2018), (3, 2019)]


def test_fifteen_main_areas_in_seed_order(plan):
    areas = list(plan.areas.values_list("number", "name"))
    assert [n for n, _ in areas] == list(range(1, 16))
    assert areas[0][1] == "Nytt sak- og arkivsystem"
    assert areas[1][1] == "Velferdsteknologi"
    assert areas[14][1] == "Diverse tiltak"


def test_seventeen_activities_with_purpose_tasks_and_results(plan):
    activities = list(plan.activities.all())
    assert [a.code for a in activities] == [f"HA{n:02d}" for n in range(1, 18)]
    ha02 = activities[1]
    assert ha02.name == "Anskaffe og ta i bruk nytt Sak- og arkivsystem"
    assert "digital byggesaksbehandling" in ha02.purpose
    assert "utarbeide kravspesifikasjon" in ha02.tasks
    assert "01.01.18" in ha02.expected_result
    assert ha02.area.number == 1
    # Every activity has the three texts, except that the seed gives HA15 and HA16 no result.
    for a in activities:
        assert a.purpose and a.tasks, a.code
        assert bool(a.expected_result) != (a.code in {"HA15", "HA16"}), a.code


def test_risk_register_has_the_eight_seed_rows_with_s_and_k(plan):
    risks = {r.code: r for r in Risk.objects.filter(programme=plan).with_latest()}
    assert sorted(risks) == sorted(code for code, *_ in SEED_RISKS)
    for code, title, s, k in SEED_RISKS:
        risk = risks[code]
        assert risk.title.startswith(title)
        assert (risk.latest_probability, risk.latest_consequence, risk.latest_rf) == (s, k, s * k)
        assert risk.mitigations.exists()


def test_misprinted_rf_is_computed_and_explained(plan):
    r3 = Risk.objects.with_latest().get(programme=plan, code="R3")
    assert r3.latest_rf == 8  # the plan prints 10 for 4 × 2
    assert "RF 10" in r3.latest_assessment.note


def test_decision_points_bp1_to_bp5_with_dates(plan):
    bps = {bp.code: bp for bp in DecisionPoint.objects.filter(programme=plan)}
    assert {code: bp.date for code, bp in bps.items()} == {
        "BP1": date(2016, 12, 20),
        "BP2": date(2017, 3, 15),
        "BP3": date(2017, 4, 15),
        "BP4": date(2017, 4, 15),
        "BP5": date(2017, 6, 15),
    }
    assert bps["BP5"].basis.lower().startswith("kontraktsforslag")


def test_milestones_mp1_to_mp4_with_dates_and_criteria(plan):
    mps = {mp.code: mp for mp in Milestone.objects.filter(programme=plan).select_related("activity")}
    assert {code: mp.planned_date for code, mp in mps.items()} == {
        "MP1": date(2017, 3, 15),
        "MP2": date(2017, 6, 1),
        "MP3": date(2017, 8, 20),
        "MP4": date(2018, 1, 1),
    }
    assert mps["MP2"].criteria == "Kontrakt foreligger"
    assert mps["MP4"].activity.code == "HA02"


def test_phase_budgets_are_computed_from_lines(plan):
    phase1, phase2, phase3 = plan.phases.all()
    totals = phase1.budget_totals()
    # The seed prints 3 060 000 but its lines add up to 2 960 000; the app shows the sum and says why.
    assert totals["cost"]["planned"] == Decimal("2960000")
    assert totals["financing"]["planned"] == Decimal("2960000")
    assert "3 060 000" in phase1.budget_note
    # Phase 2 and 3 have amounts printed as "?": the total is not settled, never a partial sum.
    for phase in (phase2, phase3):
        totals = phase.budget_totals()
        assert totals["cost"]["planned"] is None
        assert totals["cost"]["unknown_lines"] >= 1
    assert phase2.budget_totals()["cost"]["planned_known"] == Decimal("1000000")
    assert phase2.budget_lines.filter(planned_amount__isnull=True).exists()
    assert not phase2.budget_lines.filter(planned_amount=0).exists()


def test_organisation_as_people_and_roles(plan):
    roles = Membership.objects.filter(programme=plan).select_related("person")
    by_role = {}
    for m in roles:
        by_role.setdefault(m.role, set()).add(m.person.name)
    assert by_role["pl"] == {"Liv Solveig Alfstad"}
    assert by_role["pa"] == {"Jarle Snekkestad"}
    assert len(by_role["sg"]) == 5
    assert len(by_role["pg"]) == 7


def test_2017_schedule_is_loaded_for_every_activity(plan):
    phase1 = plan.phases.get(number=1)
    for activity in plan.activities.prefetch_related("scheduled_months"):
        months = [m.month for m in activity.scheduled_months.all() if m.phase_id == phase1.pk]
        assert months, activity.code
    ha01 = plan.activities.get(code="HA01")
    assert [m.month for m in ha01.scheduled_months.all()] == [1, 2, 3]


def test_real_proposals_are_not_marked_demo_and_demo_ones_are(plan):
    real = Proposal.objects.filter(programme=plan, is_demo=False)
    demo = Proposal.objects.filter(programme=plan, is_demo=True)
    assert real.filter(activity__code="HA16").count() == 8  # the eight items of HA16
    assert all(p.title.startswith("[Demo]") for p in demo)
    assert demo.exists()
