"""Decision points and milestones: recording decisions, milestone status, overdue around today, access."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from milestones.models import DecisionPoint, Milestone
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
OVERVIEW = reverse("milestone_overview", args=[SLUG])
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    return reverse(name, args=[SLUG, *args])


@time_machine.travel(date(2017, 3, 20), tick=False)
def test_steering_group_records_a_decision_with_htmx(client, plan, steering_member):
    client.force_login(steering_member)
    page = client.get(OVERVIEW).text
    assert f'href="{url("decision_record", "BP2")}" hx-get="{url("decision_record", "BP2")}"' in page
    form = client.get(url("decision_record", "BP2"), **HTMX)
    assert form["HX-Retarget"] == "#editor"
    assert "Registrer vedtak" in form.text
    response = client.post(
        url("decision_record", "BP2"),
        {
            "decision_text": "Prosjektplanen godkjennes.",
            "reference": "FS-sak 12/17",
            "decided_on": "15.03.2017",
            "version": DecisionPoint.objects.get(programme=plan, code="BP2").version,
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response.text.startswith('<div id="decision-points">')
    assert 'id="editor" aria-live="polite" hx-swap-oob="true"' in response.text
    assert "Prosjektplanen godkjennes." in response.text and "FS-sak 12/17" in response.text
    point = DecisionPoint.objects.get(programme=plan, code="BP2")
    assert (point.status, point.decided_on, point.reference) == ("decided", date(2017, 3, 15), "FS-sak 12/17")
    assert not point.is_overdue()


@time_machine.travel(date(2017, 3, 20), tick=False)
def test_decision_without_text_or_with_a_future_date_is_refused(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.post(url("decision_record", "BP3"), {"decision_text": "", "decided_on": "01.04.2017"}, **HTMX)
    assert "Skriv vedtaket." in response.text
    assert "Et vedtak kan ikke ha en dato fram i tid." in response.text
    assert response["HX-Retarget"] == "#editor"
    assert DecisionPoint.objects.get(programme=plan, code="BP3").status == "planned"


def test_postponing_moves_the_date(client, plan, steering_member):
    client.force_login(steering_member)
    refused = client.post(url("decision_postpone", "BP3"), {"new_date": "01.01.2017"})
    assert "Den nye datoen må være etter den gamle." in refused.text
    version = DecisionPoint.objects.get(programme=plan, code="BP3").version
    assert (
        client.post(url("decision_postpone", "BP3"), {"new_date": "2017-05-15", "version": version}).status_code == 302
    )
    point = DecisionPoint.objects.get(programme=plan, code="BP3")
    assert (point.status, point.date) == ("postponed", date(2017, 5, 15))


@pytest.mark.parametrize("user_fixture", ["project_member", "staff"])
def test_only_steering_group_and_project_leader_record_decisions(client, plan, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    data = {"decision_text": "x", "decided_on": "01.01.2017"}
    assert client.post(url("decision_record", "BP1"), data).status_code == 403
    assert DecisionPoint.objects.get(programme=plan, code="BP1").status == "planned"


@time_machine.travel(date(2017, 6, 1), tick=False)
def test_overdue_is_the_day_after_the_planned_date_and_shown_in_red_with_text(client, plan, project_leader):
    client.force_login(project_leader)
    due_today = factories.milestone(plan, planned_date=date(2017, 6, 1))
    due_yesterday = factories.milestone(plan, planned_date=date(2017, 5, 31))
    achieved = factories.milestone(
        plan, planned_date=date(2017, 5, 1), status="achieved", actual_date=date(2017, 5, 2), evidence="Kontrakt"
    )
    assert not due_today.is_overdue() and due_yesterday.is_overdue() and not achieved.is_overdue()
    overdue = set(Milestone.objects.filter(programme=plan).overdue().values_list("code", flat=True))
    assert overdue == {"MP1", due_yesterday.code}  # the seed's MP2 is due 01.06.2017: today, not yet overdue
    page = client.get(OVERVIEW).text
    late_row = page[page.index(f'id="mp-{due_yesterday.code}"') :].split("</tr>")[0]
    today_row = page[page.index(f'id="mp-{due_today.code}"') :].split("</tr>")[0]
    assert 'class="overdue-row"' in late_row and '<span class="badge overdue">forfalt</span>' in late_row
    assert "forfalt" not in today_row
    points = set(DecisionPoint.objects.filter(programme=plan).overdue().values_list("code", flat=True))
    assert points == {"BP1", "BP2", "BP3", "BP4"}  # BP5 is planned for 15.06.2017
    assert page.count('<span class="badge overdue">forfalt</span>') == 4 + 2


def test_milestone_status_is_updated_with_actual_date_and_evidence(client, plan, project_leader):
    client.force_login(project_leader)
    refused = client.post(
        url("milestone_edit", "MP1"), {"status": "achieved", "actual_date": "", "evidence": "", "version": 1}, **HTMX
    )
    assert "En nådd milepæl må ha faktisk dato." in refused.text
    assert "Beskriv dokumentasjonen for at milepælen er nådd." in refused.text
    assert Milestone.objects.get(programme=plan, code="MP1").status == "planned"
    response = client.post(
        url("milestone_edit", "MP1"),
        {
            "status": "achieved",
            "actual_date": "15.03.2017",
            "evidence": "Formannskapsprotokoll 15.03.2017",
            "version": 1,
        },
        **HTMX,
    )
    assert response.text.startswith('<div id="milestones">')
    milestone = Milestone.objects.get(programme=plan, code="MP1")
    assert (milestone.status, milestone.actual_date) == ("achieved", date(2017, 3, 15))


def test_project_group_updates_only_milestones_of_its_own_activities(client, plan, project_member):
    person = factories.person(name="Prosjekt Demo", user=project_member)
    activity = plan.activities.get(code="HA04")  # MP3
    activity.responsible = person
    activity.save()
    client.force_login(project_member)
    data = {"status": "moved", "actual_date": "", "evidence": "", "version": 1}
    assert client.post(url("milestone_edit", "MP3"), data).status_code == 302
    assert client.post(url("milestone_edit", "MP2"), data).status_code == 403
    page = client.get(OVERVIEW).text
    assert url("milestone_edit", "MP3") in page and url("milestone_edit", "MP2") not in page
    assert "Registrer vedtak" not in page


def test_staff_cannot_see_decision_points_and_milestones(client, plan, staff):
    client.force_login(staff)
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(url("schedule")).status_code == 403


def test_overview_query_count_is_constant_for_10x_and_100x_data(client, plan, project_member):
    """Guards the activity and the edit check (working group) per milestone."""
    factories.person(name="Prosjekt Demo", user=project_member)
    client.force_login(project_member)
    for _ in range(10):
        factories.milestone(plan, activity=factories.activity(plan))
        factories.decision_point(plan)
    base = count_queries(client, OVERVIEW)
    for _ in range(90):
        factories.milestone(plan, activity=factories.activity(plan))
        factories.decision_point(plan)
    assert count_queries(client, OVERVIEW) == base


def test_postponing_beyond_the_programme_is_refused(client, plan, steering_member):
    client.force_login(steering_member)
    point = DecisionPoint.objects.get(programme=plan, code="BP3")
    refused = client.post(url("decision_postpone", "BP3"), {"new_date": "01.12.2019", "version": point.version})
    assert "Datoen må ligge innenfor programperioden 01.11.2016–01.11.2019." in refused.text
    point.refresh_from_db()
    assert (point.status, point.date) == ("planned", date(2017, 4, 15))
