"""The project leader and the steering group compare two years' plan snapshots on the changes page."""

import pytest
from django.urls import reverse

from reports import revision_report as reports
from reports.models import PlanSnapshot
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
URL = reverse("plan_changes", args=[SLUG])


@pytest.fixture
def snapshots(plan):
    old = reports.snapshot_data(plan)
    new = reports.snapshot_data(plan)
    new["risks"]["R1"]["RF"] = 12
    new["measures"]["9999"] = {"title": "Nytt tiltak fra rulleringen", "status": "prioritised", "activity": "HA03"}
    PlanSnapshot.objects.create(programme=plan, year=2017, data=old)
    PlanSnapshot.objects.create(programme=plan, year=2018, data=new)


@pytest.mark.parametrize("role", ["project_leader", "steering_member"])
def test_leader_and_steering_group_see_the_changes_between_two_years(client, snapshots, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL, {"fra": "2017", "til": "2018"})
    assert response.status_code == 200
    assert "Fra 2017 til 2018" in response.text
    assert "Nytt tiltak fra rulleringen" in response.text
    assert "<td>RF</td><td>20</td><td>12</td>" in response.text


def test_without_years_the_two_latest_snapshots_are_compared(client, snapshots, project_leader):
    client.force_login(project_leader)
    assert "Fra 2017 til 2018" in client.get(URL).text


def test_a_year_without_snapshot_is_explained(client, snapshots, project_leader):
    client.force_login(project_leader)
    response = client.get(URL, {"fra": "2016", "til": "2018"})
    assert response.status_code == 200
    assert "Det finnes ikke noe øyeblikksbilde av planen for 2016." in response.text
    assert "Fra 2016 til 2018" not in response.text


def test_no_snapshots_yet(client, plan, project_leader):
    client.force_login(project_leader)
    assert "Det finnes ingen øyeblikksbilder ennå." in client.get(URL).text


def test_staff_cannot_see_the_changes(client, plan, staff):
    client.force_login(staff)
    assert client.get(URL).status_code == 403


def test_project_group_reads_the_changes_like_the_rest_of_the_plan(client, plan, project_member):
    client.force_login(project_member)
    assert "Det finnes ingen øyeblikksbilder ennå." in client.get(URL).text


def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unknown_programme_is_404(client, project_leader):
    client.force_login(project_leader)
    assert client.get(reverse("plan_changes", args=["finnes-ikke"])).status_code == 404


def test_query_count_does_not_grow_with_the_plan(client, plan, project_leader):
    """Guards against reading anything per row: the page reads the two snapshots and nothing else."""
    client.force_login(project_leader)
    data = reports.snapshot_data(plan)
    PlanSnapshot.objects.create(programme=plan, year=2017, data=data)
    PlanSnapshot.objects.create(programme=plan, year=2018, data=data)
    small = count_queries(client, URL, data={"fra": "2017", "til": "2018"})

    grown = dict(data, risks={**data["risks"], **{f"X{n}": dict(data["risks"]["R1"]) for n in range(200)}})
    PlanSnapshot.objects.filter(year=2018).delete()
    PlanSnapshot.objects.create(programme=plan, year=2018, data=grown)
    assert count_queries(client, URL, data={"fra": "2017", "til": "2018"}) == small
