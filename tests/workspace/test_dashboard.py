"""The portfolio dashboard (the programme page): figures per activity, programme totals, filters, query count."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan
from milestones.models import Milestone
from portfolio.models import RAG, Activity, BudgetLine, Person, ScheduledMonth, StatusReport
from risks.models import Risk, RiskAssessment
from tests import factories
from tests.utils import count_queries
from workspace.dashboard import build_dashboard

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


def grow(programme, times: int) -> None:
    """Add `times` × the seed's 17 activities to the programme, each with everything the dashboard reads:
    scheduled months, two milestones, a high and a low risk with assessments, two status reports, a cost line,
    and a benefit plan with a measured benefit. bulk_create throughout, so 100× takes seconds."""
    phases = list(programme.phases.order_by("number"))
    areas = list(programme.areas.all())
    responsible = Person.objects.order_by("pk").first()
    start = Activity.objects.filter(programme=programme).count()
    activities = Activity.objects.bulk_create(
        Activity(
            programme=programme,
            code=f"G{start + i:05d}",
            name=f"Generert aktivitet {start + i}",
            area=areas[i % len(areas)],
            responsible=responsible,
        )
        for i in range(17 * times)
    )
    ScheduledMonth.objects.bulk_create(
        ScheduledMonth(activity=a, phase=phases[i % len(phases)], month=m)
        for i, a in enumerate(activities)
        for m in (1, 2, 3)
    )
    Milestone.objects.bulk_create(
        Milestone(
            programme=programme, activity=a, code=f"{a.code}-{n}", title="Generert", planned_date=date(2018, n, 1)
        )
        for a in activities
        for n in (1, 2)
    )
    risks = Risk.objects.bulk_create(
        Risk(programme=programme, activity=a, code=f"{a.code}-{n}", title="Generert")
        for a in activities
        for n in (1, 2)
    )
    RiskAssessment.objects.bulk_create(
        RiskAssessment(risk=r, probability=s, consequence=5, assessed_on=date(2018, 1, 1))
        for i, r in enumerate(risks)
        for s in ((4, 1) if i % 2 else (1, 4))  # the later one (assessed again) decides
    )
    StatusReport.objects.bulk_create(
        StatusReport(activity=a, period_end=date(2018, m, 1), overall=rag, scope=rag, time=rag, cost=rag, risk=rag)
        for a in activities
        for m, rag in ((1, RAG.GREEN), (2, RAG.YELLOW))
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            phase=phases[0],
            activity=a,
            kind=BudgetLine.Kind.COST,
            category=BudgetLine.Category.OPERATING,
            description="Generert",
            planned_amount=Decimal("1000"),
            actual_amount=Decimal("250"),
        )
        for a in activities
    )
    plans = BenefitPlan.objects.bulk_create(
        BenefitPlan(programme=programme, code=f"P{a.code}", title="Generert", activity=a) for a in activities
    )
    benefits = Benefit.objects.bulk_create(
        Benefit(plan=p, description="G", kind=Benefit.Kind.TIME_SAVED, indicator="G", baseline_value=0, target_value=10)
        for p in plans
    )
    BenefitMeasurement.objects.bulk_create(
        BenefitMeasurement(benefit=b, measured_on=date(2018, 6, 1), value=Decimal("5")) for b in benefits
    )


def test_dashboard_query_count_is_the_same_at_1_10_and_100_times_the_data(client, plan, project_leader):
    """Guards N+1 on latest status, milestones, high risks, benefits and budget lines per activity."""
    client.force_login(project_leader)
    url = reverse("programme", args=[SLUG])
    base = count_queries(client, url)
    grow(plan, 9)
    assert count_queries(client, url) == base
    grow(plan, 90)
    assert plan.activities.count() == 1700
    assert count_queries(client, url) == base
    # Filtering and the htmx partial do not add queries per row either.
    assert count_queries(client, url + "?fase=2&omrade=3") == base
    htmx = count_queries(client, url + "?fase=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-rows")
    assert htmx < base
    grow(plan, 1)
    assert count_queries(client, url + "?fase=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-rows") == htmx


def _row(dashboard, code):
    return next(row for row in dashboard.rows if row.activity.code == code)


def test_each_activity_shows_its_latest_status_and_flags_an_old_report(plan, project_leader):
    activity = plan.activities.get(code="HA04")
    # A day while the programme runs: after its end (01.11.2019) nothing is overdue (see below).
    today = date(2018, 6, 1)
    for days, rag in ((40, RAG.GREEN), (20, RAG.RED)):
        StatusReport.objects.create(
            activity=activity,
            period_end=today - timedelta(days=days),
            overall=rag,
            scope=rag,
            time=rag,
            cost=rag,
            risk=rag,
        )
    row = _row(build_dashboard(plan, today=today), "HA04")
    assert (row.status, row.status_label) == ("red", "Rød")
    assert row.status_overdue  # 20 days > the programme's 14-day cadence
    plan.status_report_interval_days = 30
    plan.save()
    assert not _row(build_dashboard(plan, today=today), "HA04").status_overdue


def test_dashboard_page_shows_status_as_text_and_no_report_as_text(client, plan, project_leader):
    activity = plan.activities.get(code="HA02")
    StatusReport.objects.create(
        activity=activity,
        period_end=timezone.localdate(),
        overall=RAG.YELLOW,
        scope="green",
        time="green",
        cost="green",
        risk="green",
    )
    client.force_login(project_leader)
    response = client.get(reverse("programme", args=[SLUG]))
    html = response.text
    row = html[html.index('id="row-HA02"') : html.index('id="row-HA03"')]
    status = row[row.index('data-label="Status"') :]
    status = status[: status.index("</td>")]
    assert 'class="badge rag-yellow">Gul</span>' in status
    assert "forfalt" not in status  # reported today
    other = html[html.index('id="row-HA03"') : html.index('id="row-HA04"')]
    assert "ingen rapport" in other


def test_progress_is_share_of_milestones_reached_and_elapsed_time_is_reported_apart(plan):
    activity = factories.activity(plan)
    phase = plan.phases.get(number=1)  # 2017: every month has ended by now
    factories.schedule(activity, phase, [1, 2, 3, 4])
    row = _row(build_dashboard(plan), activity.code)
    # Months that have passed are calendar time, not progress: without milestones progress is not measured.
    assert (row.progress, row.progress_basis, row.elapsed) == (None, "", 100)
    assert _row(build_dashboard(plan, today=date(2017, 3, 15)), activity.code).elapsed == 50

    reached = factories.milestone(plan, activity=activity, planned_date=date(2017, 2, 1))
    reached.status, reached.actual_date = Milestone.Status.ACHIEVED, date(2017, 2, 1)
    reached.save()
    upcoming = factories.milestone(plan, activity=activity, planned_date=date(2017, 5, 1))
    for _ in range(2):
        factories.milestone(plan, activity=activity, planned_date=date(2017, 9, 1))
    row = _row(build_dashboard(plan, today=date(2017, 4, 1)), activity.code)
    assert (row.progress, row.progress_basis, row.milestones_reached, row.milestones_total) == (25, "milestones", 1, 4)
    assert row.elapsed == 75  # January to March of four scheduled months
    assert row.next_milestone == upcoming and not row.next_milestone_overdue
    assert _row(build_dashboard(plan, today=date(2017, 6, 1)), activity.code).next_milestone_overdue


def test_dashboard_shows_not_measured_instead_of_elapsed_months_as_progress(client, plan, project_leader):
    client.force_login(project_leader)
    html = client.get(reverse("programme", args=[SLUG])).text
    # The seed: only HA01, HA02 and HA04 have milestones; the other 14 activities measure no progress.
    progress_cells = [cell.split("</td>")[0] for cell in html.split('class="num progress">')[1:]]
    assert len(progress_cells) == 17
    assert sum("ikke målt" in cell for cell in progress_cells) == 14
    assert not any("100\xa0%" in cell for cell in progress_cells)
    elapsed_cells = [cell.split("</td>")[0] for cell in html.split('class="num elapsed">')[1:]]
    assert elapsed_cells.count("100\xa0%") == 17  # every 2017 month has ended: elapsed time, shown apart
    assert "Tid brukt" in html


def test_open_high_risks_count_only_open_risks_whose_latest_rf_is_15_or_more(plan):
    activity = factories.activity(plan)
    factories.risk(plan, activity=activity, s=5, k=3)  # 15: high
    factories.risk(plan, activity=activity, s=3, k=4)  # 12: medium
    rescored = factories.risk(plan, activity=activity, s=5, k=5)
    rescored.rescore(2, 2)  # latest is low
    factories.risk(plan, activity=activity, s=5, k=5, status=Risk.Status.CLOSED)
    assert _row(build_dashboard(plan), activity.code).high_risks == 1


def test_benefits_realised_is_the_mean_of_latest_measurements_and_a_dash_without_any(client, plan, project_leader):
    activity = factories.activity(plan)
    benefit_plan = factories.benefit_plan(plan, activity)  # baseline 10 → target 5 (a reduction)
    first, second = benefit_plan.benefits.all()
    BenefitMeasurement.objects.create(benefit=first, measured_on=date(2017, 1, 1), value=Decimal("9"))
    BenefitMeasurement.objects.create(benefit=first, measured_on=date(2018, 1, 1), value=Decimal("6"))  # 80 %
    BenefitMeasurement.objects.create(benefit=second, measured_on=date(2018, 1, 1), value=Decimal("9"))  # 20 %
    assert _row(build_dashboard(plan), activity.code).realisation == Decimal("50")
    empty = factories.activity(plan)
    assert _row(build_dashboard(plan), empty.code).realisation is None


def test_budget_used_is_unassigned_unknown_or_actual_against_planned(client, plan, project_leader):
    phase = plan.phases.first()
    known, unknown, none = factories.activity(plan), factories.activity(plan), factories.activity(plan)
    factories.budget_line(phase, activity=known, planned_amount=Decimal("400000"), actual_amount=Decimal("100000"))
    factories.budget_line(phase, activity=known, planned_amount=Decimal("600000"))
    factories.budget_line(phase, activity=unknown, planned_amount=None, actual_amount=Decimal("5000"))
    dashboard = build_dashboard(plan)
    row = _row(dashboard, known.code)
    assert (row.budget_state, row.budget["planned"], row.budget["actual"], row.budget_used_percent) == (
        "known",
        Decimal("1000000"),
        Decimal("100000"),
        10,
    )
    assert _row(dashboard, unknown.code).budget_state == "unknown"
    assert _row(dashboard, none.code).budget_state == "unassigned"

    client.force_login(project_leader)
    html = client.get(reverse("programme", args=[SLUG])).text
    assert "100\xa0000\xa0kr av 1\xa0000\xa0000\xa0kr" in html
    cell = html[html.index(f'id="row-{unknown.code}"') :]
    assert "ikke avklart" in cell[: cell.index("</tr>")]
    cell = html[html.index(f'id="row-{none.code}"') :]
    assert "ikke fordelt" in cell[: cell.index("</tr>")]


def test_programme_totals(plan):
    dashboard = build_dashboard(plan)
    # The seed: phase 2 and 3 have cost lines with unknown planned amounts, so the total is not settled.
    assert dashboard.budget["planned"] is None
    assert dashboard.budget["unknown_lines"] == 2
    assert sum(count for _value, _label, count in dashboard.status_counts) == dashboard.all_count == 17
    factories.proposal(plan, status="screening", published=True)
    factories.proposal(plan, status="rejected", published=True)
    assert build_dashboard(plan).proposals_awaiting == dashboard.proposals_awaiting + 1


def test_filter_by_area_and_phase_without_and_with_htmx(client, plan, project_leader):
    client.force_login(project_leader)
    url = reverse("programme", args=[SLUG])
    area = plan.areas.get(number=1)
    codes = set(plan.activities.filter(area=area).values_list("code", flat=True))
    assert codes and len(codes) < 17
    full = client.get(url, {"omrade": 1})
    assert "<html" in full.text and "Organisering" in full.text
    shown = {row.activity.code for row in full.context["dashboard"].rows}
    assert shown == codes
    partial = client.get(url, {"omrade": 1}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-rows")
    assert "<html" not in partial.text and 'id="dashboard-rows"' in partial.text
    for code in codes:
        assert f'id="row-{code}"' in partial.text
    assert sum(f'id="row-HA{n:02d}"' in partial.text for n in range(1, 18)) == len(codes)

    phase = plan.phases.get(number=3)
    in_2019 = set(plan.activities.filter(scheduled_months__phase=phase).values_list("code", flat=True))
    shown = {row.activity.code for row in client.get(url, {"fase": 3}).context["dashboard"].rows}
    assert shown == in_2019
    # An unknown value is no filter, not an error.
    assert len(client.get(url, {"fase": "x", "omrade": "99"}).context["dashboard"].rows) == 17


def test_dashboard_keeps_organisation_decision_points_and_next_meeting(client, plan, steering_member):
    client.force_login(steering_member)
    html = client.get(reverse("programme", args=[SLUG])).text
    for text in ("Organisering", "Beslutningspunkter", "BP5", "MP4", "Neste møte", "Prosjektleder"):
        assert text in html


def test_after_the_programme_end_nothing_is_overdue_and_the_final_state_is_shown(client, plan, project_leader):
    """The seed ended 01.11.2019 and has undecided decision points, unmet milestones and no reports."""
    assert plan.has_ended()
    dashboard = build_dashboard(plan)
    assert dashboard.ended and dashboard.end_date == date(2019, 11, 1)
    assert not any(row.status_overdue or row.next_milestone_overdue for row in dashboard.rows)
    assert _row(dashboard, "HA02").next_milestone_missed  # MP2 was never reached: «ikke nådd»
    assert not dashboard.next_milestone_overdue
    client.force_login(project_leader)
    html = client.get(reverse("programme", args=[SLUG])).text
    assert "Avsluttet 01.11.2019" in html
    # No «forfalt» badge anywhere: not on activities, milestones, decision points or risks (the help text
    # still explains the word).
    assert "badge overdue" not in html and "overdue-row" not in html
    assert ">forfalt<" not in html
    assert "0 av 4 nådd" in html
    # While it ran, the same data was overdue.
    during = build_dashboard(plan, today=date(2018, 1, 10))
    assert not during.ended and all(row.status_overdue for row in during.rows)
    assert _row(during, "HA02").next_milestone_overdue


def test_activity_page_shows_progress_and_elapsed_time_apart(client, plan, project_leader):
    client.force_login(project_leader)
    html = client.get(reverse("activity_detail", args=[SLUG, "HA05"])).text
    progress = html[html.index('id="activity-progress"') :].split("</dd>")[0]
    elapsed = html[html.index('id="activity-elapsed"') :].split("</dd>")[0]
    assert "ikke målt" in progress and "%" not in progress
    assert "100\xa0%" in elapsed
    html = client.get(reverse("activity_detail", args=[SLUG, "HA02"])).text
    progress = html[html.index('id="activity-progress"') :].split("</dd>")[0]
    assert "0\xa0%" in progress and "0 av 2 milepæler nådd" in progress


def test_budget_card_totals_every_phase_and_counts_lines_without_actual(client, plan, project_leader):
    dashboard = build_dashboard(plan)
    phases = [phase.year for phase, _totals in dashboard.budget_by_phase]
    assert phases == [2017, 2018, 2019]
    known = sum((t["planned_known"] for _p, t in dashboard.budget_by_phase), Decimal(0))
    assert dashboard.budget["planned_known"] == known
    assert dashboard.budget["unknown_lines"] == sum(t["unknown_lines"] for _p, t in dashboard.budget_by_phase) == 2
    assert dashboard.budget["actual"] is None
    assert dashboard.budget["actual_unknown_lines"] == dashboard.budget["lines"]

    line = BudgetLine.objects.filter(phase__programme=plan, phase__year=2018, kind="cost").exclude(planned_amount=None)[
        0
    ]
    line.actual_amount = Decimal("123000")
    line.save()
    dashboard = build_dashboard(plan)
    assert dashboard.budget["actual"] == Decimal("123000")
    assert dashboard.budget["actual_unknown_lines"] == dashboard.budget["lines"] - 1
    client.force_login(project_leader)
    html = client.get(reverse("programme", args=[SLUG])).text
    card = html[html.index('id="budget-card"') :].split("</li>")[0]
    assert "Planlagt" in card and "Faktisk" in card and "123\xa0000\xa0kr" in card
    assert f"{dashboard.budget['actual_unknown_lines']} av {dashboard.budget['lines']} linjer" in card
    assert "2 linjer ikke avklart" in card
    for year in ("2017", "2018", "2019"):
        assert f'<th scope="row">{year}</th>' in card


def test_status_page_marks_nothing_overdue_after_the_programme_end(client, plan, steering_member):
    client.force_login(steering_member)
    response = client.get(reverse("status_overview", args=[SLUG]))
    assert not any(row["overdue"] for row in response.context["rows"])
    assert response.context["overdue_count"] == 0
