"""The summary at the front of the report, which a politician reads in two minutes: the activities' status as a
chart, costs per phase planned against actual, benefits planned against realised, the top risks, the decisions
asked for and what changed since last year; every chart with its figures in its alt text and as text."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benefits.models import Benefit, BenefitMeasurement
from milestones.models import DecisionPoint
from portfolio.models import StatusReport
from reports import revision_report as reports
from reports.models import PlanSnapshot
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db

NBSP, MINUS = "\u00a0", "\u2212"


def status(activity, overall, period_end=date(2017, 6, 30)):
    return StatusReport.objects.create(
        activity=activity,
        period_end=period_end,
        overall=overall,
        scope=overall,
        time=overall,
        cost=overall,
        risk=overall,
    )


@pytest.fixture
def summary_plan(plan):
    activities = {a.code: a for a in plan.activities.all()}
    status(activities["HA01"], "green")
    status(activities["HA02"], "red")
    status(activities["HA03"], "yellow", period_end=date(2018, 3, 31))  # after the report's year: not counted
    # Baseline 60, target 35 hours a week; 505 measured is far the wrong way: −1 780 %.
    mail = Benefit.objects.get(plan__programme=plan, indicator="Tid brukt til postmottak og journalføring")
    BenefitMeasurement.objects.create(benefit=mail, measured_on=date(2017, 12, 1), value=Decimal("505"))
    Risk.objects.filter(programme=plan, code="R6").update(status=Risk.Status.CLOSED)
    DecisionPoint.objects.filter(programme=plan, code="BP3").update(
        status=DecisionPoint.Status.DECIDED, decided_on=date(2017, 4, 20)
    )
    return plan


def test_the_summary_shows_the_status_of_all_activities_as_a_chart_with_its_figures(summary_plan):
    data = reports.gather(summary_plan, 2017)
    assert data["overview"]["status_counts"] == [
        ("green", "Grønn", 1),
        ("yellow", "Gul", 0),
        ("red", "Rød", 1),
        ("none", "Uten statusrapport", 15),
    ]
    html = reports.render_html(data)
    summary = html[html.index('<section id="sammendrag">') : html.index('<section id="aktiviteter">')]
    assert 'alt="Status for 17 hovedaktiviteter: grønn 1, gul 0, rød 1, uten statusrapport 15."' in summary
    assert "Siste samlede status: Grønn 1 · Gul 0 · Rød 1 · Uten statusrapport 15." in summary


def test_the_summary_compares_planned_and_actual_costs_per_phase(summary_plan):
    html = reports.render_html(reports.gather(summary_plan, 2017))
    summary = html[html.index('<section id="sammendrag">') : html.index('<section id="aktiviteter">')]
    amount = f"2{NBSP}960{NBSP}000{NBSP}kr"
    assert (
        f"Kostnader per fase, planlagt og faktisk: Fase 1 (2017): planlagt {amount}, faktisk ikke registrert; "
        "Fase 2 (2018): planlagt ikke avklart"
    ) in summary
    assert f'<th scope="row">Fase 1 (2017)</th><td class="num">2{NBSP}960{NBSP}000{NBSP}kr</td>' in summary


def test_benefits_and_numbers_are_formatted_as_everywhere_else(summary_plan):
    html = reports.render_html(reports.gather(summary_plan, 2017))
    summary = html[html.index('<section id="sammendrag">') : html.index('<section id="aktiviteter">')]
    assert f"Tid brukt til postmottak og journalføring: {MINUS}1{NBSP}780{NBSP}%" in summary  # in the chart's alt
    assert f'<td class="num">{MINUS}1{NBSP}780{NBSP}%</td>' in summary
    assert f'<td class="num">180{NBSP}000</td>' in summary
    # What the PDF used to show: Django's raw decimals and a hyphen for minus.
    for wrong in ("180000,00", "60,00", "-1780", "180000.00"):
        assert wrong not in html


def test_the_summary_lists_top_risks_decisions_asked_for_and_changes(summary_plan):
    PlanSnapshot.objects.create(programme=summary_plan, year=2016, data=reports.snapshot_data(summary_plan))
    Risk.objects.filter(programme=summary_plan, code="R2").delete()
    factories.risk(summary_plan, s=5, k=5, title="Ny leverandør går konkurs")

    data = reports.gather(summary_plan, 2017)
    top = [r.code for r in data["overview"]["top_risks"]]
    assert len(top) == 5 and top[1] == "R1"  # RF 25 before RF 20
    assert "R6" not in top  # closed
    decisions = [d.code for d in data["overview"]["decisions"]]
    assert decisions == ["BP1", "BP2", "BP4", "BP5"]  # BP3 is decided
    changes = {c["label"]: c for c in data["overview"]["change_counts"]}
    assert (changes["Risikoer"]["added"], changes["Risikoer"]["removed"]) == (1, 1)

    html = reports.render_html(data)
    summary = html[html.index('<section id="sammendrag">') : html.index('<section id="aktiviteter">')]
    assert "<h3>Saker formannskapet bes ta stilling til</h3>" in summary
    assert "BP2 Godkjenne prosjektplan." in summary
    assert "Risikoer: 1 nye, 1 fjernet, 0 endret" in summary


def test_gathering_the_report_takes_the_same_queries_however_much_data(plan):
    """Guards against a query per activity, status report, milestone, risk, benefit or measurement."""

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            reports.render_html(reports.gather(plan, 2017))
        return len(ctx.captured_queries)

    queries()  # the first run caches the programme's organisation on `plan`
    before = queries()
    phase = plan.phases.get(year=2017)
    for n in range(3):
        activity = factories.activity(plan)
        status(activity, "green")
        factories.milestone(plan, activity=activity)
        factories.risk(plan, activity=activity)
        factories.decision_point(plan)
        factories.budget_line(phase, activity=activity)
        benefit_plan = factories.benefit_plan(plan, activity)
        for benefit in benefit_plan.benefits.all():
            BenefitMeasurement.objects.create(benefit=benefit, measured_on=date(2017, 6, n + 1), value=Decimal("8"))
    assert queries() == before
