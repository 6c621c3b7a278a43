"""A token sees what its user sees on the pages, in every programme and municipality, and not one row more.

The installation of the permission matrix (tests/across_apps/test_permission_matrix.py): Nordre Land with the
plan and a second programme, and Søndre Land with one programme, each with one of everything.
"""

import pytest
from django.contrib.auth import get_user_model

from api.scope import roles_by_programme
from measures.models import Proposal
from portfolio.access import roles_in
from portfolio.models import OrganisationMember, Programme
from tests import factories
from tests.across_apps.test_permission_matrix import make_other

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
LISTS = [
    "activities",
    "proposals",
    "risks",
    "milestones",
    "decision-points",
    "budget-lines",
    "status-reports",
    "benefits",
]


@pytest.fixture
def others(plan):
    sondre = factories.organisation(name="Søndre Land kommune", slug="sondre-land")
    return [
        make_other(plan.organisation, "nordre-land-velferd", "NORDRE-VELFERD-HEMMELIG", same_organisation=True),
        make_other(sondre, "sondre-land-digitalisering", "SONDRE-LAND-HEMMELIG", same_organisation=False),
    ]


def everything(api_get, token, path, **params) -> list[dict]:
    """Every row of a list, page by page, following `next`."""
    rows, offset = [], 0
    while True:
        response = api_get(path, token, offset=offset, limit=500, **params)
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        rows += body["items"]
        if body["next"] is None:
            return rows
        offset += 500


def programmes_in(rows) -> set[str]:
    return {row["programme"] for row in rows}


@pytest.mark.parametrize("user", ["project_leader", "steering_member", "project_member"])
def test_a_reader_of_the_plan_sees_the_plan_and_nothing_of_the_other_programmes(
    request, api_get, token_for, others, user
):
    token = token_for(request.getfixturevalue(user))
    assert [p["slug"] for p in api_get("programmes", token).json()["items"]] == [SLUG]
    for path in LISTS:
        rows = everything(api_get, token, path)
        assert programmes_in(rows) <= {SLUG}, path
        text = str(rows)
        for other in others:
            assert other.marker not in text, path
            assert api_get(path, token, programme=other.programme.slug).status_code == 404
    for other in others:
        assert api_get(f"programmes/{other.programme.slug}", token).status_code == 404
        assert api_get("programmes", token, programme=other.programme.slug).status_code == 404


def test_other_programmes_project_leaders_see_only_their_own(api_get, token_for, others):
    for other in others:
        token = token_for(other.leader)
        slugs = [p["slug"] for p in api_get("programmes", token).json()["items"]]
        assert slugs == [other.programme.slug]
        for path in LISTS:
            rows = everything(api_get, token, path)
            assert programmes_in(rows) <= {other.programme.slug}, path
            assert api_get(path, token, programme=SLUG).status_code == 404, path
        assert api_get(f"programmes/{SLUG}", token).status_code == 404
    # Each of them sees the rows of their own programme (the matrix's samples are there).
    token = token_for(others[1].leader)
    assert any(others[1].marker in row["title"] for row in everything(api_get, token, "risks"))


def test_a_user_with_no_role_sees_no_programme(api_get, token_for, outsider, others):
    token = token_for(outsider)
    assert api_get("programmes", token).json() == {"count": 0, "limit": 100, "offset": 0, "next": None, "items": []}
    for path in LISTS:
        assert api_get(path, token).json()["count"] == 0
        assert api_get(path, token, programme=SLUG).status_code == 404
    response = api_get(f"programmes/{SLUG}", token)
    assert response.status_code == 404 and response.json()["detail"] == "Fant ikke programmet."
    assert api_get("activities", token, programme="finnes-ikke").status_code == 404


def test_a_user_leading_two_programmes_sees_both_and_can_narrow_to_one(api_get, token_for, project_leader, others):
    factories.grant(project_leader, others[1].programme, "prosjektleder")
    token = token_for(project_leader)
    slugs = {p["slug"] for p in api_get("programmes", token).json()["items"]}
    assert slugs == {SLUG, "sondre-land-digitalisering"}
    assert programmes_in(everything(api_get, token, "risks")) == slugs
    assert programmes_in(everything(api_get, token, "risks", programme=SLUG)) == {SLUG}
    # …and still nothing of the programme they hold no role in.
    assert api_get("risks", token, programme="nordre-land-velferd").status_code == 404


def test_staff_see_the_programme_and_their_own_proposals_only(api_get, token_for, plan, staff, project_leader):
    mine = factories.proposal(plan, submitted_by=staff, title="Mitt eget forslag")
    factories.proposal(plan, submitted_by=project_leader, title="Naboens forslag")
    token = token_for(staff)
    programmes = api_get("programmes", token).json()["items"]
    assert [(p["slug"], p["can_read"]) for p in programmes] == [(SLUG, False)]
    assert [row["id"] for row in everything(api_get, token, "proposals")] == [mine.pk]
    for path in LISTS:
        if path != "proposals":
            assert api_get(path, token).json()["count"] == 0, path
            # The pages answer 403 for a role that does not read them; so does the API.
            response = api_get(path, token, programme=SLUG)
            assert response.status_code == 403, path
            assert "Rollen din" in response.json()["detail"]


def test_an_employee_of_the_organisation_is_staff_in_its_programmes(api_get, token_for, plan, others):
    employee = get_user_model().objects.create_user("tilsatt", password="x")
    OrganisationMember.objects.create(user=employee, organisation=plan.organisation)
    own = factories.proposal(plan, submitted_by=employee)
    token = token_for(employee)
    slugs = {p["slug"] for p in api_get("programmes", token).json()["items"]}
    assert slugs == {SLUG, "nordre-land-velferd"}  # both of Nordre Land's, none of Søndre Land's
    assert [row["id"] for row in everything(api_get, token, "proposals")] == [own.pk]


def test_unmoderated_citizen_proposals_are_for_the_project_leader_only(
    api_get, token_for, plan, project_leader, steering_member, project_member
):
    hidden = factories.proposal(plan, submitter_type=Proposal.SubmitterType.CITIZEN, published=False)
    assert hidden.pk in {row["id"] for row in everything(api_get, token_for(project_leader), "proposals")}
    for user in (steering_member, project_member):
        assert hidden.pk not in {row["id"] for row in everything(api_get, token_for(user), "proposals")}


def test_the_scope_has_the_same_roles_as_the_pages(plan, others, project_leader, staff):
    """api.scope reads all programmes' roles at once; they must be the access layer's `roles_in`."""
    employee = get_user_model().objects.create_user("tilsatt", password="x")
    OrganisationMember.objects.create(user=employee, organisation=plan.organisation)
    factories.grant(employee, others[1].programme, "styringsgruppe")
    for user in [project_leader, staff, employee, others[0].leader, others[1].leader]:
        bulk = roles_by_programme(user)
        for programme in Programme.objects.all():
            fresh = get_user_model().objects.get(pk=user.pk)  # roles_in caches on the user object
            assert bulk.get(programme.pk, frozenset()) == roles_in(fresh, programme), (user, programme)
