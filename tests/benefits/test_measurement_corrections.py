"""A measurement is checked for slips of the keys, and can be corrected or deleted afterwards, with history."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from benefits.models import BenefitMeasurement
from portfolio.roles import PROJECT_GROUP
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"


@pytest.fixture
def benefit(plan):
    """Baseline 10, target 5 (factories.benefit_plan), on activity HA03."""
    return factories.benefit_plan(plan, plan.activities.get(code="HA03"), benefits=1).benefits.get()


@pytest.fixture
def measurement(benefit, project_leader):
    return BenefitMeasurement.objects.create(
        benefit=benefit, measured_on="2018-03-15", value=Decimal("7.5"), recorded_by=project_leader
    )


def url(name, benefit, measurement=None):
    args = [SLUG, benefit.plan.code, benefit.pk] + ([measurement.pk] if measurement else [])
    return reverse(name, args=args)


def test_a_value_far_outside_baseline_and_target_asks_for_confirmation(client, benefit, project_leader):
    client.force_login(project_leader)
    data = {"measured_on": "15.03.2018", "value": "75", "note": ""}  # 75 typed for 7,5
    response = client.post(url("benefit_measure", benefit), data)
    assert response.status_code == 422
    assert "ligger langt utenfor spennet" in response.text and "Verdien er riktig" in response.text
    assert not benefit.measurements.exists()
    response = client.post(url("benefit_measure", benefit), {**data, "confirmed": "on"})
    assert response.status_code == 302
    assert benefit.measurements.get().value == 75


def test_a_value_in_range_or_near_it_is_saved_without_asking(client, benefit, project_leader):
    client.force_login(project_leader)
    for value in ("7,5", "12", "4,5"):
        data = {"measured_on": "15.03.2018", "value": value}
        response = client.post(url("benefit_measure", benefit), data)
        assert response.status_code == 302, value
    assert benefit.measurements.count() == 3
    assert not benefit.is_implausible(Decimal("12")) and benefit.is_implausible(Decimal("-1"))
    assert benefit.is_implausible(Decimal("0.75"))  # ten times too small: 7,5 typed as 0,75


def test_a_measurement_is_corrected_with_its_history_kept(client, benefit, measurement, project_leader):
    client.force_login(project_leader)
    page = client.get(url("benefit_measurement_edit", benefit, measurement))
    assert page.status_code == 200 and 'value="7,5"' in page.text and 'type="number"' not in page.text
    data = {"measured_on": "2018-03-15", "value": "8,25", "note": "Rettet tastefeil", "version": measurement.version}
    response = client.post(url("benefit_measurement_edit", benefit, measurement), data, follow=True)
    assert "Målingen er rettet." in response.text
    measurement.refresh_from_db()
    assert measurement.value == Decimal("8.25") and measurement.version == 2
    detail = client.get(url("benefit_detail", benefit)).text
    assert "Måling rettet" in detail and "7,5" in detail and "8,25" in detail


def test_a_correction_over_another_users_newer_one_is_refused(client, benefit, measurement, project_leader):
    client.force_login(project_leader)
    data = {"measured_on": "2018-03-15", "value": "8", "version": measurement.version}
    assert client.post(url("benefit_measurement_edit", benefit, measurement), data).status_code == 302
    stale = client.post(url("benefit_measurement_edit", benefit, measurement), {**data, "value": "9"})
    assert stale.status_code == 409
    assert "Noen andre har endret dette" in stale.text
    measurement.refresh_from_db()
    assert measurement.value == 8


def test_deleting_asks_first_and_keeps_the_value_in_the_history(client, benefit, measurement, project_leader):
    client.force_login(project_leader)
    question = client.get(url("benefit_measurement_delete", benefit, measurement))
    assert question.status_code == 200 and "Slette målingen?" in question.text
    assert BenefitMeasurement.objects.filter(pk=measurement.pk).exists()  # a GET deletes nothing
    stale = client.post(url("benefit_measurement_delete", benefit, measurement), {"version": 99})
    assert stale.status_code == 409 and BenefitMeasurement.objects.filter(pk=measurement.pk).exists()
    done = client.post(
        url("benefit_measurement_delete", benefit, measurement), {"version": measurement.version}, follow=True
    )
    assert "Målingen er slettet." in done.text
    assert not BenefitMeasurement.objects.filter(pk=measurement.pk).exists()
    assert "Måling slettet" in done.text and "15.03.2018: 7,5" in done.text  # the benefit page's history


def test_the_benefits_owner_may_correct_others_may_not(client, plan, benefit, measurement, steering_member):
    owner_user = get_user_model().objects.create_user("eier", password="x")
    factories.grant(owner_user, plan, PROJECT_GROUP)
    benefit.owner = factories.person(name="Eier Eiersen", user=owner_user, organisation=plan.organisation)
    benefit.save()
    edit = url("benefit_measurement_edit", benefit, measurement)
    client.force_login(steering_member)
    assert client.get(edit).status_code == 403
    assert client.post(url("benefit_measurement_delete", benefit, measurement), {"version": 1}).status_code == 403
    client.force_login(owner_user)
    assert client.get(edit).status_code == 200
    data = {"measured_on": "2018-03-15", "value": "8", "version": measurement.version}
    assert client.post(edit, data).status_code == 302
