"""Filters: by programme (slug) and by change date (`changed_since`, from the audit history)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from portfolio.models import BudgetLine, StatusReport
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


@pytest.fixture
def token(token_for, project_leader):
    return token_for(project_leader)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_changed_since_gives_what_changed_from_then_on(api_get, token, plan):
    later = timezone.now() + timedelta(days=30)
    with time_machine.travel(later, tick=False):
        risk = Risk.objects.filter(programme=plan).first()
        risk.title = "Endret tittel"
        risk.save()
        line = BudgetLine.objects.filter(phase__programme=plan).first()
        line.actual_amount = 1234
        line.save()
    since = (later - timedelta(hours=1)).isoformat()
    assert ids(api_get("risks", token, changed_since=since)) == {risk.pk}
    assert ids(api_get("budget-lines", token, changed_since=since)) == {line.pk}
    assert ids(api_get("milestones", token, changed_since=since)) == set()
    body = api_get("risks", token, changed_since=since).json()["items"][0]
    assert body["title"] == "Endret tittel"
    assert body["changed_at"].startswith(later.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))
    # Everything changed since long ago: the whole list.
    assert len(ids(api_get("risks", token, changed_since="2000-01-01"))) == Risk.objects.filter(programme=plan).count()


def test_a_new_assessment_or_measurement_is_a_change_of_its_risk_or_benefit(api_get, token, plan, project_leader):
    later = timezone.now() + timedelta(days=30)
    risk = Risk.objects.filter(programme=plan).first()
    activity = plan.activities.first()
    benefit = factories.benefit_plan(plan, activity).benefits.first()
    with time_machine.travel(later, tick=False):
        risk.rescore(2, 2, by=project_leader)
        benefit.measurements.create(value=7, measured_on=later.date())
    since = (later - timedelta(minutes=5)).isoformat()
    rows = api_get("risks", token, changed_since=since).json()["items"]
    assert [row["id"] for row in rows] == [risk.pk]
    assert (rows[0]["rf"], rows[0]["assessments"][0]["rf"]) == (4, 4)
    rows = api_get("benefits", token, changed_since=since).json()["items"]
    assert [row["id"] for row in rows] == [benefit.pk]
    assert rows[0]["measurements"] == [{"measured_on": later.date().isoformat(), "value": 7.0, "note": ""}]


def test_a_status_change_is_a_change_of_the_proposal(api_get, token, plan, project_leader):
    proposal = factories.proposal(plan, title="Skal vurderes")
    later = timezone.now() + timedelta(days=30)
    with time_machine.travel(later, tick=False):
        proposal.transition_to("screening", by=project_leader)  # an UPDATE plus a recorded transition
    since = (later - timedelta(minutes=5)).isoformat()
    rows = api_get("proposals", token, changed_since=since).json()["items"]
    assert [(row["id"], row["status"]) for row in rows] == [(proposal.pk, "screening")]


def test_a_date_means_midnight_norwegian_time(api_get, token, plan):
    with time_machine.travel(datetime(2031, 5, 17, 0, 30, tzinfo=timezone.get_current_timezone())):
        StatusReport.objects.create(
            activity=plan.activities.first(), period_end=plan.start_date, overall="green", scope="green",
            time="green", cost="green", risk="green",
        )  # fmt: skip
    assert len(ids(api_get("status-reports", token, changed_since="2031-05-17"))) == 1
    assert len(ids(api_get("status-reports", token, changed_since="2031-05-18"))) == 0
    # 00:30 in Oslo is 22:30 UTC the day before: a time with an offset is taken as given.
    assert len(ids(api_get("status-reports", token, changed_since="2031-05-16T22:29:00Z"))) == 1
    assert len(ids(api_get("status-reports", token, changed_since="2031-05-16T22:31:00+00:00"))) == 0


def test_programme_filter_narrows_every_list(api_get, token_for, project_leader, plan):
    other = factories.programme(slug="annet-program")
    factories.grant(project_leader, other, "prosjektleder")
    phase = other.phases.create(number=1, year=2020, name="Fase 1")
    factories.budget_line(phase, description="Annen linje")
    factories.risk(other, title="Annen risiko")
    token = token_for(project_leader)
    both = api_get("budget-lines", token).json()["items"]
    assert {row["programme"] for row in both} == {SLUG, "annet-program"}
    only = api_get("budget-lines", token, programme="annet-program").json()["items"]
    assert [row["description"] for row in only] == ["Annen linje"]
    assert {row["programme"] for row in api_get("risks", token, programme=SLUG).json()["items"]} == {SLUG}


@pytest.mark.parametrize(
    "params",
    [
        {"changed_since": "i går"},
        {"changed_since": "2025-13-40"},
        {"changed_since": "0001-01-01"},
        {"changed_since": "9999-12-31T23:59:59"},
        {"changed_since": "2025-01-01T25:00:00"},
        {"changed_since": "x" * 500},
        {"limit": "-1"},
        {"limit": "0"},
        {"limit": "abc"},
        {"limit": "100000000000000000000000"},
        {"offset": "-5"},
        {"offset": "1e3"},
        {"offset": "99999999999999999999999999"},
        {"page": "abc"},
        {"programe": SLUG},
        {"programme": "x" * 300},
    ],
)
def test_a_bad_query_string_is_a_norwegian_400_never_a_500(api_get, token, params):
    response = api_get("risks", token, **params)
    assert response.status_code == 400, (params, response.status_code, response.content)
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    assert any(word in detail for word in ("må være", "Ukjent parameter")), detail


def test_an_unknown_programme_is_404_with_a_norwegian_message(api_get, token):
    response = api_get("risks", token, programme="finnes-ikke")
    assert response.status_code == 404
    assert response.json() == {"detail": "Fant ikke programmet."}
