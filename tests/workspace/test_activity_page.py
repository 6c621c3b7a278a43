"""The activity page: everything about one activity in tabs (`?fane=`), full page without htmx, tabs with it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.models import BenefitMeasurement
from portfolio.models import RAG, StatusReport
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
TABS = ["oversikt", "tidsplan", "tiltak", "risiko", "gevinster", "milepaeler", "status", "historikk"]


def url(code="HA16", tab=None):
    base = reverse("activity_detail", args=[SLUG, code])
    return f"{base}?fane={tab}" if tab else base


def test_default_tab_is_the_overview_with_purpose_tasks_and_result(client, plan, project_leader):
    client.force_login(project_leader)
    activity = plan.activities.get(code="HA16")
    response = client.get(url())
    html = response.text
    assert response.context["tab"] == "oversikt"
    assert 'aria-current="page">Oversikt</a>' in html
    for heading in ("Hensikt", "Oppgaver", "Resultat / milepæl"):
        assert heading in html
    assert activity.purpose.splitlines()[0] in html


def test_overview_lists_accepted_measures_and_the_measures_tab_all_proposals(client, plan, project_leader):
    activity = plan.activities.get(code="HA16")
    accepted = factories.proposal(plan, activity=activity, status="prioritised", title="Digital innbyggerdialog")
    rejected = factories.proposal(plan, activity=activity, status="rejected", title="Eget fakssystem")
    client.force_login(project_leader)
    overview = client.get(url()).text
    assert accepted.title in overview and rejected.title not in overview
    measures = client.get(url(tab="tiltak")).text
    assert accepted.title in measures and rejected.title in measures


@pytest.mark.parametrize(
    "tab, text",
    [
        ("tidsplan", "Hele tidsplanen"),
        ("tiltak", "Tiltak"),
        ("risiko", "Risikofaktor"),
        ("gevinster", "Gevinster"),
        ("milepaeler", "Målbart resultat"),
        ("status", "Status"),
        ("historikk", "Endringshistorikk"),
    ],
)
def test_each_tab_renders_as_a_full_page_without_htmx(client, plan, project_leader, tab, text):
    client.force_login(project_leader)
    response = client.get(url(tab=tab))
    assert response.status_code == 200
    assert "<html" in response.text
    assert response.context["tab"] == tab
    assert f'aria-current="page">{response.context["tab_label"]}</a>' in response.text
    assert text in response.text


def test_htmx_gets_only_the_tabs_and_the_open_panel(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.get(url(tab="risiko"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="activity-tabs")
    assert "<html" not in response.text
    assert response.text.strip().startswith('<div id="activity-tabs">')
    assert 'aria-current="page">Risiko</a>' in response.text
    # Every tab link works with and without htmx.
    for tab in TABS:
        link = f'href="/program/{SLUG}/aktiviteter/HA16/?fane={tab}"'
        assert link in response.text
        assert f'hx-get="/program/{SLUG}/aktiviteter/HA16/?fane={tab}"' in response.text


def test_unknown_tab_falls_back_to_the_overview(client, plan, project_leader):
    client.force_login(project_leader)
    assert client.get(url(tab="finnes-ikke")).context["tab"] == "oversikt"


def test_history_tab_only_for_project_leader_and_steering_group(client, plan, project_member, steering_member):
    client.force_login(project_member)
    response = client.get(url(tab="historikk"))
    assert response.context["tab"] == "oversikt"
    assert 'hx-get="/program/nordre-land-digitalisering/aktiviteter/HA16/?fane=historikk"' not in response.text
    assert "Historikk</a>" not in response.text
    client.force_login(steering_member)
    response = client.get(url(tab="historikk"))
    assert response.context["tab"] == "historikk"
    assert "Endringshistorikk" in response.text


def test_status_tab_shows_the_reports_and_who_may_edit(client, plan, project_leader, steering_member):
    activity = plan.activities.get(code="HA16")
    StatusReport.objects.create(
        activity=activity,
        period_end=date(2018, 3, 1),
        overall=RAG.RED,
        scope=RAG.GREEN,
        time=RAG.RED,
        cost=RAG.GREEN,
        risk=RAG.GREEN,
        comment="Forsinket levering",
    )
    client.force_login(project_leader)
    response = client.get(url(tab="status"))
    assert response.context["can_edit_status"] is True
    assert "Forsinket levering" in response.text
    assert "Rød" in response.text
    client.force_login(steering_member)
    assert client.get(url(tab="status")).context["can_edit_status"] is False


def test_benefits_tab_shows_realisation_per_benefit(client, plan, project_leader):
    activity = plan.activities.get(code="HA16")
    benefit_plan = factories.benefit_plan(plan, activity, benefits=1)
    BenefitMeasurement.objects.create(
        benefit=benefit_plan.benefits.get(), measured_on=date(2018, 1, 1), value=Decimal("7.5")
    )
    client.force_login(project_leader)
    html = client.get(url(tab="gevinster")).text
    assert benefit_plan.title in html
    assert "50\xa0%" in html  # 10 → 7.5 of the way to 5


@pytest.mark.parametrize("tab", TABS)
def test_query_count_per_tab_is_constant(client, plan, project_leader, tab):
    """Guards N+1 in every tab: measures, risks' latest RF, benefits per plan, milestones, reports, history."""
    client.force_login(project_leader)
    activity = plan.activities.get(code="HA16")
    base = count_queries(client, url(tab=tab))
    phase = plan.phases.get(number=2)
    for n in range(10):
        factories.proposal(plan, activity=activity, status="prioritised")
        factories.risk(plan, activity=activity)
        factories.milestone(plan, activity=activity)
        factories.benefit_plan(plan, activity)
        factories.schedule(activity, phase, [n + 1])
        StatusReport.objects.create(
            activity=activity,
            period_end=date(2018, 1, n + 1),
            overall="green",
            scope="green",
            time="green",
            cost="green",
            risk="green",
        )
        activity.name = f"Endret {n}"
        activity.save()
    assert count_queries(client, url(tab=tab)) == base
