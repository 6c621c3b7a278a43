"""Creating and editing plans and benefits: who may, and Norwegian errors that save nothing."""

import pytest
from django.urls import reverse

from benefits.models import Benefit, BenefitPlan
from portfolio.models import Person
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"

PLAN_DATA = {
    "code": "gp-ha05",
    "title": "Gevinster av nye nettsider",
    "description": "",
    "change_actions": "Opplæring av redaktører",
    "discount_rate": "4,0",
    "analysis_start_year": "2018",
    "analysis_years": "5",
}
BENEFIT_DATA = {
    "description": "Færre telefoner til sentralbordet",
    "kind": "time_saved",
    "indicator": "Telefoner til sentralbordet",
    "unit": "per uke",
    "baseline_value": "400",
    "baseline_date": "2018-01-01",
    "target_value": "300",
    "target_date": "2019-12-31",
    "frequency_months": "3",
    "status": "planned",
}


def member_of(user, plan, code) -> Person:
    person = factories.person(name=f"Person {user.username}", user=user)
    plan.activities.get(code=code).working_group.add(person)
    return person


def test_project_leader_creates_a_plan_for_an_activity(client, plan, project_leader):
    client.force_login(project_leader)
    activity = plan.activities.get(code="HA05")
    response = client.post(reverse("benefit_plan_create", args=[SLUG]), {**PLAN_DATA, "activity": activity.pk})
    assert response.status_code == 302
    created = BenefitPlan.objects.get(code="GP-HA05")
    assert created.activity == activity and created.discount_rate == 4
    assert response["Location"] == reverse("benefit_plan", args=[SLUG, "GP-HA05"])


def test_plan_needs_an_activity_or_measure_and_a_free_code(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.post(reverse("benefit_plan_create", args=[SLUG]), {**PLAN_DATA, "code": "GP-HA02"})
    assert response.status_code == 422
    assert "Koden GP-HA02 er allerede i bruk." in response.text
    assert "Velg en hovedaktivitet eller et vedtatt tiltak planen hører til." in response.text
    assert "Skjemaet har feil; ingenting er lagret." in response.text
    assert BenefitPlan.objects.count() == 2


def test_project_group_creates_plans_only_for_own_activities(client, plan, project_member):
    client.force_login(project_member)
    assert client.get(reverse("benefit_plan_create", args=[SLUG])).status_code == 403
    member_of(project_member, plan, "HA05")
    other = plan.activities.get(code="HA06")
    response = client.post(reverse("benefit_plan_create", args=[SLUG]), {**PLAN_DATA, "activity": other.pk})
    assert response.status_code == 422
    assert "Velg en aktivitet du kan redigere." in response.text
    own = plan.activities.get(code="HA05")
    assert (
        client.post(reverse("benefit_plan_create", args=[SLUG]), {**PLAN_DATA, "activity": own.pk}).status_code == 302
    )


def test_steering_group_cannot_edit_plans_or_benefits(client, plan, steering_member):
    client.force_login(steering_member)
    assert client.get(reverse("benefit_plan_edit", args=[SLUG, "GP-HA02"])).status_code == 403
    assert client.get(reverse("benefit_create", args=[SLUG, "GP-HA02"])).status_code == 403
    assert client.get(reverse("benefit_plan_create", args=[SLUG])).status_code == 403
    overview = client.get(reverse("benefit_overview", args=[SLUG]))
    assert "Ny gevinstrealiseringsplan" not in overview.text


def test_project_leader_adds_a_benefit_with_owner(client, plan, project_leader):
    owner = factories.person(name="Siri Servicetorg")
    client.force_login(project_leader)
    response = client.post(reverse("benefit_create", args=[SLUG, "GP-HA02"]), {**BENEFIT_DATA, "owner": owner.pk})
    benefit = Benefit.objects.get(indicator="Telefoner til sentralbordet")
    assert response["Location"] == reverse("benefit_detail", args=[SLUG, "GP-HA02", benefit.pk])
    assert benefit.owner == owner and benefit.is_reduction


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_value": "400"}, "Målet må være forskjellig fra nullpunktet."),
        ({"target_date": "2017-01-01"}, "Måldatoen må komme etter nullpunktdatoen."),
        ({"target_value": ""}, "Fyll ut både nullpunkt og mål, eller ingen av dem."),
        ({"indicator": ""}, "Feltet må fylles ut."),
        ({"frequency_months": "0"}, "Målefrekvensen må være minst 1 måned."),
    ],
)
def test_bad_benefit_is_refused_in_norwegian(client, plan, project_leader, changes, message):
    client.force_login(project_leader)
    response = client.post(reverse("benefit_create", args=[SLUG, "GP-HA02"]), {**BENEFIT_DATA, **changes})
    assert response.status_code == 422
    assert message in response.text
    assert not Benefit.objects.filter(description=BENEFIT_DATA["description"]).exists()


def test_project_group_edits_status_of_a_benefit_in_own_activity(client, plan, project_member):
    member_of(project_member, plan, "HA03")
    benefit = Benefit.objects.get(indicator="Hjemmeboende med trygghetspakke")
    client.force_login(project_member)
    url = reverse("benefit_edit", args=[SLUG, "GP-HA03", benefit.pk])
    data = {**BENEFIT_DATA, "indicator": benefit.indicator, "status": "realising", "version": benefit.version}
    assert client.post(url, data).status_code == 302
    benefit.refresh_from_db()
    assert benefit.status == Benefit.Status.REALISING
    porto = Benefit.objects.get(indicator="Portoutgifter for utgående post")
    assert client.get(reverse("benefit_edit", args=[SLUG, "GP-HA02", porto.pk])).status_code == 403
