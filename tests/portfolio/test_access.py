"""Who may see what, per the roles table of docs/roles.md (the full URL matrix comes with the trust issue)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
PROGRAMME_PAGES = [
    "programme",
    "activity_list",
    "budget",
    "proposal_list",
    "risk_register",
    "milestone_overview",
    "benefit_overview",
]


def test_login_page_is_norwegian(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Logg inn" in response.text
    assert 'lang="nb"' in response.text


@pytest.mark.parametrize("username", ["leder", "styring", "prosjekt", "ansatt"])
def test_each_demo_user_logs_in_with_the_form_and_sees_home(client, plan, username):
    response = client.post("/accounts/login/", {"username": username, "password": "demo"}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user.username == username
    assert "Logg ut" in response.text


@pytest.mark.parametrize("user_fixture", ["project_leader", "steering_member", "project_member"])
def test_readers_land_on_the_programme(client, plan, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("programme", args=[SLUG])
    assert "Digitalisering i Nordre Land kommune" in response.text
    for code in ("HA01", "HA17", "BP5", "MP4"):
        assert code in response.text


def test_staff_see_their_own_proposals_not_the_programme(client, plan, staff):
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 200
    assert "Mine forslag" in response.text
    for name in PROGRAMME_PAGES:
        assert client.get(reverse(name, args=[SLUG])).status_code == 403


def test_outsider_without_role_is_refused(client, plan, outsider):
    # Not a member of the programme: it does not exist for them (404), as for another programme's users.
    client.force_login(outsider)
    assert client.get(reverse("risk_register", args=[SLUG])).status_code == 404


@pytest.mark.parametrize("name", ["home", *PROGRAMME_PAGES])
def test_anonymous_is_redirected_to_login(client, plan, name):
    url = reverse(name) if name == "home" else reverse(name, args=[SLUG])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", PROGRAMME_PAGES)
def test_project_leader_sees_every_overview_page(client, plan, project_leader, name):
    client.force_login(project_leader)
    assert client.get(reverse(name, args=[SLUG])).status_code == 200


def test_unknown_programme_and_activity_are_404(client, plan, project_leader):
    client.force_login(project_leader)
    assert client.get("/program/finnes-ikke/").status_code == 404
    assert client.get(reverse("activity_detail", args=[SLUG, "HA99"])).status_code == 404


def test_installation_administrator_can_edit_every_model_in_admin(client, plan):
    from django.apps import apps

    client.force_login(get_user_model().objects.create_superuser("rot", password="x"))
    for app_label in ("portfolio", "measures", "benefits", "risks", "milestones", "reports"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # audit-history tables are shown on each object's history page, not as their own list
            changelist = reverse(f"admin:{app_label}_{model._meta.model_name}_changelist")
            assert client.get(changelist).status_code == 200, changelist
    activity = plan.activities.get(code="HA03")
    change = reverse("admin:portfolio_activity_change", args=[activity.pk])
    assert client.get(change).status_code == 200


@pytest.mark.parametrize("role", ["project_leader", "steering_member", "project_member", "staff"])
def test_no_programme_role_opens_the_admin(client, plan, role, request):
    """/admin/ is for installation administrators: a project leader who is also `is_staff` cannot use it to
    raise their own rights."""
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/auth/user/").status_code == 302
    assert client.post(f"/admin/auth/user/{user.pk}/change/", {"is_superuser": "on"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_superuser


def test_steering_group_cannot_use_admin(client, plan, steering_member):
    client.force_login(steering_member)
    assert client.get("/admin/").status_code == 302
