"""A page of any list costs the same number of queries however much data there is (no query per row)."""

import itertools
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import StatusReport
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "programmes",
    "activities",
    "proposals",
    "risks",
    "milestones",
    "decision-points",
    "budget-lines",
    "status-reports",
    "benefits",
]
# Token (with its user), the user's roles (two), the count and the rows; one more for the assessments or
# measurements of the page's risks or benefits. On PostgreSQL a web request also sets and resets its statement
# timeout (common.middleware.StatementTimeoutMiddleware).
MOST = 6


def most() -> int:
    return MOST + (2 if connection.vendor == "postgresql" else 0)


_numbers = itertools.count(1)


def grow(plan, n: int) -> None:
    """n more of every kind, each with the related objects a row names (area, person, activity, parts)."""
    phase = plan.phases.first()
    area = plan.areas.first()
    for _ in range(n):
        i = next(_numbers)
        person = factories.person(name=f"Vekst Person {i}")
        activity = factories.activity(plan, area=area, responsible=person)
        factories.proposal(plan, activity=activity)
        risk = factories.risk(plan, activity=activity, owner=person)
        risk.rescore(2, 4, on=date(2018, 1, 1))
        factories.milestone(plan, activity=activity)
        factories.decision_point(plan)
        factories.budget_line(phase, activity=activity)
        StatusReport.objects.create(
            activity=activity, period_end=plan.start_date + timedelta(days=i), overall="green", scope="green",
            time="yellow", cost="green", risk="red",
        )  # fmt: skip
        for benefit in factories.benefit_plan(plan, activity).benefits.all():
            benefit.owner = person
            benefit.save()
            benefit.measurements.create(value=3, measured_on=date(2018, 1, 1))
            benefit.measurements.create(value=4, measured_on=date(2018, 6, 1))


def queries(api_get, token, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api_get(path, token, limit=500)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", LISTS)
def test_a_page_costs_the_same_queries_with_more_data(api_get, token_for, plan, project_leader, path,
                                                      django_assert_num_queries):  # fmt: skip
    token = token_for(project_leader)
    api_get(path, token)  # the first use of a token records it (once a minute); not part of a page's cost
    grow(plan, 2)
    small = queries(api_get, token, path)
    assert small <= most(), small
    grow(plan, 12)
    with django_assert_num_queries(small):
        response = api_get(path, token, limit=500)
    if path != "programmes":
        assert response.json()["count"] >= 14
