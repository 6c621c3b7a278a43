"""Every list and overview page runs a fixed number of queries, however much data there is."""

import pytest
from django.urls import reverse

from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


def grow(plan, times: int) -> None:
    """Add `times` more of everything the overview pages list."""
    phase = plan.phases.first()
    for _ in range(times):
        activity = factories.activity(plan, area=plan.areas.first())
        factories.schedule(activity, phase, [1, 2, 3])
        factories.proposal(plan, activity=activity, need=3, benefit=3, feasibility_technical=3, feasibility_economic=3)
        factories.risk(plan, activity=activity)
        factories.milestone(plan, activity=activity)
        factories.decision_point(plan)
        factories.benefit_plan(plan, activity)
        factories.budget_line(phase)


@pytest.mark.parametrize(
    "name",
    [
        "programme",  # the dashboard: guards N+1 on per-activity figures (see also tests/workspace/test_dashboard.py)
        "activity_list",  # guards N+1 on scheduled months per activity
        "budget",  # guards per-phase totals queries
        "proposal_list",  # guards area/activity/round per row
        "risk_register",  # guards latest assessment and mitigations per risk
        "milestone_overview",  # guards activity per milestone
        "benefit_overview",  # guards benefits and owners per plan
    ],
)
def test_overview_query_count_is_constant(client, plan, project_leader, name):
    client.force_login(project_leader)
    url = reverse(name, args=[SLUG])
    base = count_queries(client, url)
    grow(plan, 10)
    assert count_queries(client, url) == base
    grow(plan, 20)
    assert count_queries(client, url) == base


def test_activity_page_query_count_is_constant(client, plan, project_leader):
    client.force_login(project_leader)
    activity = plan.activities.get(code="HA16")
    url = reverse("activity_detail", args=[SLUG, "HA16"])
    base = count_queries(client, url)
    for _ in range(10):
        factories.proposal(plan, activity=activity)
        factories.risk(plan, activity=activity)
        factories.milestone(plan, activity=activity)
        factories.benefit_plan(plan, activity)
    assert count_queries(client, url) == base
