"""The project leader sets up the plan in the app: creates and edits decision points and milestones (no admin)."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from common.versioning import STALE_MESSAGE
from milestones.forms import PlanItemForm
from milestones.models import DecisionPoint, Milestone
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
OVERVIEW = reverse("milestone_overview", args=[SLUG])
SCHEDULE = reverse("schedule", args=[SLUG])
HTMX = {"HTTP_HX_REQUEST": "true"}
STALE_TEXT = str(STALE_MESSAGE)[:40]


def url(name: str, *args) -> str:
    return reverse(name, args=[SLUG, *args])


def chart(page: str, year: int) -> str:
    """The schedule's timeline (one for the whole programme period, `year` among its years)."""
    timeline = page.split('class="gantt-chart"')[1].split("</table>")[0]
    assert f'class="gantt-year">{year}<' in timeline
    return timeline


def state() -> tuple:
    """Everything these views may change, to show that a refused request changed nothing."""
    return (
        sorted(DecisionPoint.objects.values_list("pk", "code", "title", "date", "forum", "basis", "version")),
        sorted(Milestone.objects.values_list("pk", "code", "title", "activity", "planned_date", "criteria", "version")),
    )


def point_data(**changes) -> dict:
    return {
        "code": "BP6",
        "title": "Godkjenne gevinstrealiseringsplanen",
        "date": "15.03.2018",
        "forum": "Formannskapet",
        "basis": "Gevinstrealiseringsplan 2018",
        **changes,
    }


def milestone_data(plan, **changes) -> dict:
    return {
        "code": "MP10",
        "title": "Nytt sak- og arkivsystem i drift",
        "activity": plan.activities.get(code="HA05").pk,
        "planned_date": "2018-09-01",
        "criteria": "Alle nye saker journalføres i det nye systemet",
        "status": "planned",
        "actual_date": "",
        "evidence": "",
        **changes,
    }


# --- creating -----------------------------------------------------------------------------------------------


def test_project_leader_creates_a_decision_point_in_the_editor_area(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(OVERVIEW).text
    create = url("decision_point_create")
    assert f'<a href="{create}" hx-get="{create}" hx-target="#editor">Nytt beslutningspunkt</a>' in page
    form = client.get(create, **HTMX)
    assert form.status_code == 200
    assert (form["HX-Retarget"], form["HX-Reswap"]) == ("#editor", "innerHTML")
    assert form.text.lstrip().startswith('<section id="decision-point-editor"')
    assert f'hx-post="{create}" hx-target="#decision-points" hx-swap="outerHTML"' in form.text

    response = client.post(create, point_data(), **HTMX)

    assert response.status_code == 200
    assert response.text.startswith('<div id="decision-points">')
    assert '<div id="editor" aria-live="polite" hx-swap-oob="true"></div>' in response.text
    assert 'id="bp-BP6"' in response.text and "Godkjenne gevinstrealiseringsplanen" in response.text
    point = DecisionPoint.objects.get(programme=plan, code="BP6")
    assert (point.date, point.forum, point.basis) == (
        date(2018, 3, 15),
        "Formannskapet",
        "Gevinstrealiseringsplan 2018",
    )
    assert (point.status, point.version) == ("planned", 1)
    assert 'id="bp-BP6"' in client.get(OVERVIEW).text
    # The schedule marks it in 2018, on the decision points' row.
    schedule = client.get(SCHEDULE).text
    assert 'data-code="BP6"' in chart(schedule, 2018).split('class="gantt-row"')[0]
    assert 'data-code="BP6"' not in chart(client.get(SCHEDULE + "?til=2017-12").text, 2017)
    assert "BP6 Godkjenne gevinstrealiseringsplanen (15.03.2018)" in schedule


def test_project_leader_creates_a_milestone_without_javascript(client, plan, project_leader):
    client.force_login(project_leader)
    create = url("milestone_create")
    assert f'<a href="{create}" hx-get="{create}" hx-target="#editor">Ny milepæl</a>' in client.get(OVERVIEW).text
    page = client.get(create)
    assert page.status_code == 200
    assert "<h2>Ny milepæl</h2>" in page.text and f'<form method="post" action="{create}">' in page.text
    assert "hx-post" not in page.text.split('id="milestone-editor"')[1]  # a plain form on its own page
    # Only the programme's activities can be chosen, and "the whole programme".
    other = factories.activity(factories.programme())
    assert "Hele programmet" in page.text and f'value="{other.pk}"' not in page.text

    response = client.post(create, milestone_data(plan), follow=True)

    assert response.redirect_chain == [(OVERVIEW, 302)]
    assert "Milepælen MP10 er opprettet." in response.text
    assert 'id="mp-MP10"' in response.text
    milestone = Milestone.objects.get(programme=plan, code="MP10")
    assert (milestone.activity.code, milestone.planned_date) == ("HA05", date(2018, 9, 1))
    assert milestone.criteria == "Alle nye saker journalføres i det nye systemet"
    # The Gantt chart puts the diamond on its activity's row in 2018.
    row = chart(client.get(SCHEDULE).text, 2018).split('data-label="HA05"')[1].split('class="gantt-row"')[0]
    assert 'data-code="MP10"' in row


def test_a_milestone_for_the_whole_programme_joins_the_top_row_of_the_schedule(client, plan, project_leader):
    client.force_login(project_leader)
    data = milestone_data(plan, code="MP-0.1", activity="", planned_date="01.02.2019")
    assert client.post(url("milestone_create"), data).status_code == 302
    assert Milestone.objects.get(programme=plan, code="MP-0.1").activity is None
    top = chart(client.get(SCHEDULE).text, 2019).split('class="gantt-row"')[0]
    assert 'data-code="MP-0.1"' in top


# --- editing ------------------------------------------------------------------------------------------------


def test_project_leader_edits_a_decision_points_plan(client, plan, project_leader):
    client.force_login(project_leader)
    edit = url("decision_point_edit", "BP5")
    overview = client.get(OVERVIEW).text
    assert f'<a href="{edit}" hx-get="{edit}" hx-target="#editor">Endre<span class="visually-hidden"> BP5</span>' in (
        overview
    )
    form = client.get(edit, **HTMX)
    assert form["HX-Retarget"] == "#editor" and "Endre beslutningspunkt BP5" in form.text
    point = DecisionPoint.objects.get(programme=plan, code="BP5")
    assert f'name="version" value="{point.version}"' in form.text

    data = point_data(code="BP5b", title="Ny tittel", date="2017-09-01", forum="Kommunestyret", basis="Notat")
    response = client.post(edit, {**data, "version": point.version}, follow=True)

    assert response.redirect_chain == [(OVERVIEW, 302)]
    assert "Beslutningspunktet BP5b er lagret." in response.text
    point.refresh_from_db()
    assert (point.code, point.title, point.date, point.forum) == (
        "BP5b",
        "Ny tittel",
        date(2017, 9, 1),
        "Kommunestyret",
    )
    assert point.status == "planned"  # the plan changed, not the decision
    assert client.get(edit).status_code == 404  # the old code is gone
    assert client.get(url("decision_point_edit", "BP5b")).status_code == 200


def test_project_leader_sets_every_plan_field_of_a_milestone(client, plan, project_leader):
    client.force_login(project_leader)
    edit = url("milestone_edit", "MP3")
    form = client.get(edit, **HTMX).text
    for name in ("code", "title", "activity", "planned_date", "criteria", "status", "actual_date", "evidence"):
        assert f'name="{name}"' in form, name
    milestone = Milestone.objects.get(programme=plan, code="MP3")
    data = milestone_data(plan, code="MP3a", title="Flyttet milepæl", planned_date="01.03.2018")
    response = client.post(edit, {**data, "version": milestone.version}, **HTMX)
    assert response.status_code == 200 and response.text.startswith('<div id="milestones">')
    milestone.refresh_from_db()
    assert (milestone.code, milestone.title, milestone.activity.code) == ("MP3a", "Flyttet milepæl", "HA05")
    assert (milestone.planned_date, milestone.version) == (date(2018, 3, 1), 2)


def test_project_group_still_changes_only_the_status_of_its_own_milestones(client, plan, project_member):
    person = factories.person(name="Prosjekt Demo", user=project_member)
    activity = plan.activities.get(code="HA04")  # MP3
    activity.responsible = person
    activity.save()
    client.force_login(project_member)
    edit = url("milestone_edit", "MP3")
    form = client.get(edit).text
    assert 'name="status"' in form and 'name="code"' not in form and 'name="planned_date"' not in form
    before = Milestone.objects.get(programme=plan, code="MP3")
    data = milestone_data(plan, code="MP9", title="Endret", status="moved", version=before.version)
    assert client.post(edit, data).status_code == 302
    after = Milestone.objects.get(pk=before.pk)
    assert (after.code, after.title, after.activity_id, after.planned_date) == (
        before.code,
        before.title,
        before.activity_id,
        before.planned_date,
    )
    assert after.status == "moved"  # the status, which is theirs to set, is saved
    page = client.get(OVERVIEW).text
    assert "Nytt beslutningspunkt" not in page and "Ny milepæl" not in page


# --- validation ---------------------------------------------------------------------------------------------

POINT_ERRORS = [
    ({"code": "bp1"}, "Koden «bp1» er allerede i bruk i programmet"),
    (
        {"code": "BP/6"},
        "Koden kan bare ha bokstaver fra A til Z (ikke æ, ø eller å), sifre, bindestrek (-), understrek (_) "
        "og punktum (.), og må begynne med en bokstav eller et siffer.",
    ),
    ({"code": ".."}, "må begynne med en bokstav eller et siffer"),
    ({"code": "NY"}, "Koden «NY» er reservert."),
    ({"code": "BP12345678901"}, "Koden kan være høyst 10 tegn."),
    ({"code": ""}, "Skriv en kode for beslutningspunktet."),
    ({"title": ""}, "Skriv hva som skal besluttes."),
    ({"date": ""}, "Skriv datoen beslutningen skal tas."),
    ({"date": "31.02.2018"}, "Skriv datoen som dd.mm.åååå."),
    ({"date": "01.12.2019"}, "Datoen må ligge innenfor programperioden 01.11.2016–01.11.2019."),
]


@pytest.mark.parametrize(("changes", "message"), POINT_ERRORS)
def test_an_invalid_new_decision_point_is_refused_with_422(client, plan, project_leader, changes, message):
    client.force_login(project_leader)
    before = state()
    response = client.post(url("decision_point_create"), point_data(**changes), **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#editor"
    assert message in response.text
    assert state() == before


MILESTONE_ERRORS = [
    ({"code": "Mp2"}, "Koden «Mp2» er allerede i bruk i programmet"),
    ({"code": "MP 4"}, "Koden kan bare ha bokstaver fra A til Z"),
    ({"code": "MP/4"}, "Koden kan bare ha bokstaver fra A til Z"),
    ({"code": "MPÅ"}, "Koden kan bare ha bokstaver fra A til Z"),
    ({"title": ""}, "Skriv milepælen."),
    ({"planned_date": ""}, "Skriv den planlagte datoen."),
    ({"planned_date": "2016-10-31"}, "Datoen må ligge innenfor programperioden 01.11.2016–01.11.2019."),
    ({"status": "achieved"}, "En nådd milepæl må ha faktisk dato."),
]


@pytest.mark.parametrize(("changes", "message"), MILESTONE_ERRORS)
def test_an_invalid_new_milestone_is_refused_with_422(client, plan, project_leader, changes, message):
    client.force_login(project_leader)
    before = state()
    response = client.post(url("milestone_create"), milestone_data(plan, **changes))
    assert response.status_code == 422
    assert message in response.text
    assert state() == before


def test_an_activity_of_another_programme_is_refused(client, plan, project_leader):
    client.force_login(project_leader)
    foreign = factories.activity(factories.programme())
    version = Milestone.objects.get(programme=plan, code="MP1").version
    before = state()
    for target, code in ((url("milestone_create"), "MP10"), (url("milestone_edit", "MP1"), "MP1")):
        response = client.post(target, milestone_data(plan, code=code, activity=foreign.pk, version=version))
        assert response.status_code == 422, target
        assert "Velg en aktivitet fra listen." in response.text
        assert "er allerede i bruk" not in response.text
    assert state() == before


def test_an_invalid_edit_saves_nothing_and_keeps_the_stored_code_in_the_form(client, plan, project_leader):
    client.force_login(project_leader)
    edit = url("decision_point_edit", "BP4")
    point = DecisionPoint.objects.get(programme=plan, code="BP4")
    before = state()
    data = point_data(code="BP2", date="01.01.2020", version=point.version)
    response = client.post(edit, data, **HTMX)
    assert response.status_code == 422
    assert "Koden «BP2» er allerede i bruk i programmet" in response.text
    assert "Datoen må ligge innenfor programperioden" in response.text
    assert f'action="{edit}"' in response.text and "Endre beslutningspunkt BP4" in response.text
    assert state() == before
    # A valid code with another field wrong: the form still posts to the stored code's address.
    response = client.post(edit, point_data(code="BP4x", title="", version=point.version), **HTMX)
    assert response.status_code == 422 and f'action="{edit}"' in response.text
    assert state() == before


def test_two_leaders_creating_the_same_code_at_once_get_a_form_error_not_a_crash(
    client, plan, project_leader, monkeypatch
):
    """The form's check passes for both; the database's unique constraint refuses the second."""
    client.force_login(project_leader)
    monkeypatch.setattr(PlanItemForm, "clean_code", lambda form: form.cleaned_data["code"])
    before = state()
    response = client.post(url("decision_point_create"), point_data(code="BP1"), **HTMX)
    assert response.status_code == 422
    assert "Koden «BP1» er allerede i bruk i programmet" in response.text
    milestone = Milestone.objects.get(programme=plan, code="MP2")
    data = milestone_data(plan, code="MP1", version=milestone.version)
    response = client.post(url("milestone_edit", "MP2"), data, **HTMX)
    assert response.status_code == 422
    assert "Koden «MP1» er allerede i bruk i programmet" in response.text
    assert state() == before


# --- access -------------------------------------------------------------------------------------------------


def _targets(plan) -> list[tuple[str, dict]]:
    point = DecisionPoint.objects.get(programme=plan, code="BP3")
    return [
        (url("decision_point_create"), point_data()),
        (url("decision_point_edit", "BP3"), point_data(code="BP3", title="Endret", version=point.version)),
        (url("milestone_create"), milestone_data(plan)),
    ]


@pytest.mark.parametrize("user_fixture", ["steering_member", "project_member", "staff"])
def test_only_the_project_leader_creates_and_edits_the_plan(client, plan, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    before = state()
    for target, data in _targets(plan):
        assert client.get(target).status_code == 403, target
        assert client.get(target, **HTMX).status_code == 403, target
        assert client.post(target, data).status_code == 403, target
        assert client.post(target, data, **HTMX).status_code == 403, target
    assert state() == before
    if user_fixture != "staff":  # staff do not see the overview at all (403)
        page = client.get(OVERVIEW).text
        assert url("decision_point_create") not in page and url("milestone_create") not in page
        assert url("decision_point_edit", "BP3") not in page


def test_steering_group_cannot_change_a_milestones_plan(client, plan, steering_member):
    client.force_login(steering_member)
    milestone = Milestone.objects.get(programme=plan, code="MP1")
    before = state()
    data = milestone_data(plan, code="MP1", title="Endret", version=milestone.version)
    assert client.post(url("milestone_edit", "MP1"), data).status_code == 403
    assert 'name="code"' not in client.get(url("milestone_edit", "MP1")).text
    assert state() == before


def test_outsiders_and_leaders_of_another_programme_get_404(client, plan, outsider):
    other_leader = get_user_model().objects.create_user("annenleder", password="x")
    factories.grant(other_leader, factories.programme(), "prosjektleder")
    before = state()
    for user in (outsider, other_leader):
        client.force_login(user)
        for target, data in _targets(plan):
            assert client.get(target).status_code == 404, (user, target)
            assert client.post(target, data).status_code == 404, (user, target)
            assert client.post(target, data, **HTMX).status_code == 404, (user, target)
    assert state() == before


def test_anonymous_users_are_sent_to_the_login(client, plan):
    before = state()
    for target, data in _targets(plan):
        for response in (client.get(target), client.post(target, data)):
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), target
    assert state() == before


def test_unknown_code_is_404_for_the_project_leader(client, plan, project_leader):
    client.force_login(project_leader)
    assert client.get(url("decision_point_edit", "BP999")).status_code == 404


def test_ny_is_the_create_page_not_a_code(client, plan, project_leader):
    client.force_login(project_leader)
    assert reverse("decision_point_create", args=[SLUG]).endswith("/beslutning/ny/")
    assert reverse("milestone_create", args=[SLUG]).endswith("/milepael/ny/")
    assert "Nytt beslutningspunkt" in client.get(url("decision_point_create")).text
    assert "Ny milepæl" in client.get(url("milestone_create")).text


# --- no lost updates ----------------------------------------------------------------------------------------


@pytest.fixture
def second_leader(plan):
    user = get_user_model().objects.create_user("leder2", password="x")
    factories.grant(user, plan, "prosjektleder")
    return user


def _form_values(html: str) -> dict[str, str]:
    """The version a form was drawn with (what a browser would send back unchanged)."""
    return {"version": re.search(r'name="version" value="(\d+)"', html).group(1)}


def test_the_second_of_two_editors_gets_409_and_the_first_save_is_kept(client, plan, project_leader, second_leader):
    first, second = client, Client()
    first.force_login(project_leader)
    second.force_login(second_leader)
    edit = url("decision_point_edit", "BP3")
    form_a = _form_values(first.get(edit).text)
    form_b = _form_values(second.get(edit, **HTMX).text)
    before = DecisionPoint.objects.get(programme=plan, code="BP3")
    assert form_a == form_b == {"version": str(before.version)}

    saved = first.post(edit, point_data(code="BP3", title="Første leders tittel", **form_a))
    assert saved.status_code == 302
    refused = second.post(edit, point_data(code="BP3", title="Andre leders tittel", **form_b), **HTMX)

    assert refused.status_code == 409
    assert refused["HX-Retarget"] == "#editor"
    assert STALE_TEXT in refused.text
    # Both versions side by side, and the form starts again from the stored one.
    assert "Første leders tittel" in refused.text and "Andre leders tittel" in refused.text
    assert f'name="version" value="{before.version + 1}"' in refused.text
    stored = DecisionPoint.objects.get(pk=before.pk)
    assert (stored.title, stored.version) == ("Første leders tittel", before.version + 1)


def test_an_edit_opened_before_another_leader_changed_the_code_finds_nothing_and_saves_nothing(
    client, plan, project_leader, second_leader
):
    """The address is the code: once the other leader's save renamed BP4, the old form's save is a 404."""
    other = Client()
    other.force_login(second_leader)
    client.force_login(project_leader)
    edit = url("decision_point_edit", "BP4")
    version = DecisionPoint.objects.get(programme=plan, code="BP4").version
    assert other.post(edit, point_data(code="BP4n", version=version)).status_code == 302
    before = state()
    assert client.post(edit, point_data(code="BP4", title="Min", version=version), **HTMX).status_code == 404
    assert state() == before
