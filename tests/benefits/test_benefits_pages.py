"""The benefit pages: plan with cost–benefit, benefit with measurements and chart, programme roll-up."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine
from portfolio.models import Person
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


@pytest.fixture
def examples(plan):
    """The plan with its example cash-flow lines (loaded by setup_demo)."""
    assert plan.benefit_plans.filter(cash_flow_lines__isnull=False).exists()
    return plan


@pytest.fixture
def porto(plan) -> Benefit:
    return Benefit.objects.get(indicator="Portoutgifter for utgående post")  # 180 000 → 90 000, HA02


def benefit_url(benefit, name="benefit_detail"):
    return reverse(name, args=[SLUG, benefit.plan.code, benefit.pk])


def link_person(user, activity, *, responsible=False) -> Person:
    person = factories.person(name=f"Person {user.username}", user=user)
    if responsible:
        activity.responsible = person
        activity.save()
    else:
        activity.working_group.add(person)
    return person


# --- plan page and cost–benefit -------------------------------------------------------------------------


def test_plan_page_shows_npv_payback_and_yearly_table(client, examples, steering_member):
    client.force_login(steering_member)
    response = client.get(reverse("benefit_plan", args=[SLUG, "GP-HA03"]))
    assert response.status_code == 200
    text = response.text
    assert "345\xa0427\xa0kr" in text  # NPV, hand-computed in test_benefits_economics
    assert '<div class="figure" id="payback">2022</div>' in text
    for year in range(2018, 2023):
        assert f"<td>{year}</td>" in text
    # Non-quantified benefits are listed beside the table, not in NOK.
    assert "Hjemmeboende med trygghetspakke" in text
    assert "Lagre år" not in text  # the steering group reads only


@pytest.fixture
def empty_ha02_cash_flow(plan):
    """GP-HA02 without its example cash-flow lines, so a test's own year is the only one."""
    CashFlowLine.objects.filter(plan__code="GP-HA02").delete()


@pytest.mark.usefixtures("empty_ha02_cash_flow")
def test_project_leader_adds_a_year_and_npv_changes(client, plan, project_leader):
    client.force_login(project_leader)
    url = reverse("benefit_cash_flow", args=[SLUG, "GP-HA02"])
    data = {"year": "2019", "investment": "0", "operating_cost": "0", "benefit_value": "104000"}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "100\xa0000\xa0kr" in response.text  # 104 000 / 1.04 = NPV
    assert '<section id="cost-benefit">' in response.text
    # Saving the same year again replaces it instead of adding a second row.
    client.post(url, {**data, "benefit_value": "208000", "version": 1})
    line = CashFlowLine.objects.get(plan__code="GP-HA02")
    assert line.benefit_value == 208000
    assert BenefitPlan.objects.get(code="GP-HA02").cost_benefit().npv == 200000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", "2030", "Året må ligge i analyseperioden 2018–2022."),
        ("investment", "-5", "Beløpet kan ikke være negativt."),
        ("benefit_value", "mye", "Skriv et tall"),
    ],
)
@pytest.mark.usefixtures("empty_ha02_cash_flow")
def test_bad_cash_flow_is_refused_in_norwegian_and_nothing_is_saved(
    client, plan, project_leader, field, value, message
):
    client.force_login(project_leader)
    data = {"year": "2019", "investment": "0", "operating_cost": "0", "benefit_value": "1", field: value}
    response = client.post(reverse("benefit_cash_flow", args=[SLUG, "GP-HA02"]), data)
    assert response.status_code == 422
    assert message in response.text
    assert not CashFlowLine.objects.filter(plan__code="GP-HA02").exists()


# --- benefit page and measurements ----------------------------------------------------------------------


def test_benefit_page_shows_chart_and_empty_realisation_without_measurement(client, plan, steering_member, porto):
    client.force_login(steering_member)
    response = client.get(benefit_url(porto))
    assert response.status_code == 200
    assert '<div class="figure" id="realisation">–</div>' in response.text
    assert "<svg" in response.text and 'class="planned"' in response.text
    assert "Lagre måling" not in response.text


def test_recording_a_measurement_with_htmx_updates_realisation_and_chart(client, plan, project_leader, porto):
    client.force_login(project_leader)
    response = client.post(
        benefit_url(porto, "benefit_measure"),
        {"measured_on": "2018-12-31", "value": "135000", "note": "Regnskap 2018"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="measurements">')
    # 180 000 → 90 000; measured 135 000 = half-way.
    assert '<div class="figure" id="realisation">50\u00a0%</div>' in response.text
    assert 'class="measurement"' in response.text
    m = BenefitMeasurement.objects.get(benefit=porto)
    assert m.recorded_by == project_leader and m.value == Decimal("135000")


def test_a_normal_post_redirects_to_the_benefit(client, plan, project_leader, porto):
    client.force_login(project_leader)
    response = client.post(benefit_url(porto, "benefit_measure"), {"measured_on": "31.12.2018", "value": "100000"})
    assert response.status_code == 302
    assert response["Location"] == benefit_url(porto)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"measured_on": "2018-12-31", "value": ""}, "Feltet må fylles ut."),
        ({"measured_on": "2018-12-31", "value": "mange"}, "Skriv et tall"),
        ({"measured_on": "2017-01-01", "value": "5"}, "Målingen kan ikke være fra før nullpunktet (31.12.2017)."),
        ({"measured_on": "i går", "value": "5"}, "Skriv en gyldig dato"),
    ],
)
def test_bad_measurement_is_refused_in_norwegian(client, plan, project_leader, porto, data, message):
    client.force_login(project_leader)
    response = client.post(benefit_url(porto, "benefit_measure"), data, HTTP_HX_REQUEST="true")
    assert message in response.text
    assert not BenefitMeasurement.objects.exists()


def test_reduce_target_shows_progress_downwards(client, plan, steering_member):
    benefit = Benefit.objects.get(indicator="Utrykninger til alarmer uten behov for hjelp")  # 45 → 25
    benefit.measurements.create(measured_on=date(2018, 3, 31), value=Decimal(40))
    benefit.measurements.create(measured_on=date(2018, 6, 30), value=Decimal(30))
    client.force_login(steering_member)
    response = client.get(benefit_url(benefit))
    assert '<div class="figure" id="realisation">75\u00a0%</div>' in response.text
    assert "Målet er en reduksjon fra nullpunktet." in response.text


# --- access ---------------------------------------------------------------------------------------------


def test_staff_get_403_on_every_benefit_page(client, plan, staff, porto):
    client.force_login(staff)
    assert client.get(reverse("benefit_overview", args=[SLUG])).status_code == 403
    assert client.get(reverse("benefit_plan", args=[SLUG, "GP-HA02"])).status_code == 403
    assert client.get(benefit_url(porto)).status_code == 403
    assert client.post(benefit_url(porto, "benefit_measure"), {"value": "1"}).status_code == 403


def test_steering_group_reads_but_cannot_record(client, plan, steering_member, porto):
    client.force_login(steering_member)
    assert client.get(benefit_url(porto)).status_code == 200
    response = client.post(benefit_url(porto, "benefit_measure"), {"measured_on": "2018-12-31", "value": "1"})
    assert response.status_code == 403
    data = {"year": "2019", "investment": "0", "operating_cost": "0", "benefit_value": "1"}
    assert client.post(reverse("benefit_cash_flow", args=[SLUG, "GP-HA02"]), data).status_code == 403
    assert not BenefitMeasurement.objects.exists()


def test_project_group_edits_benefits_of_its_own_activity_only(client, plan, project_member, porto):
    link_person(project_member, plan.activities.get(code="HA02"))
    client.force_login(project_member)
    own = client.post(benefit_url(porto, "benefit_measure"), {"measured_on": "2018-12-31", "value": "1"})
    assert own.status_code == 302
    other = Benefit.objects.get(indicator="Hjemmeboende med trygghetspakke")  # HA03
    assert client.get(benefit_url(other)).status_code == 200
    refused = client.post(benefit_url(other, "benefit_measure"), {"measured_on": "2018-12-31", "value": "1"})
    assert refused.status_code == 403
    assert BenefitMeasurement.objects.count() == 1


def test_project_group_member_without_person_cannot_edit(client, plan, project_member, porto):
    client.force_login(project_member)
    response = client.post(benefit_url(porto, "benefit_measure"), {"measured_on": "2018-12-31", "value": "1"})
    assert response.status_code == 403


def test_unknown_plan_or_benefit_of_another_plan_is_404(client, plan, project_leader, porto):
    client.force_login(project_leader)
    assert client.get(reverse("benefit_plan", args=[SLUG, "GP-XX"])).status_code == 404
    assert client.get(reverse("benefit_detail", args=[SLUG, "GP-HA03", porto.pk])).status_code == 404


# --- programme roll-up ----------------------------------------------------------------------------------


def test_overview_lists_owner_target_latest_measurement_and_realisation(client, examples, steering_member, porto):
    owner = factories.person(name="Kari Arkivleder", email="kari@example.no")
    porto.owner = owner
    porto.save()
    porto.measurements.create(measured_on=date(2018, 12, 31), value=Decimal(126000))  # 60 %
    client.force_login(steering_member)
    response = client.get(reverse("benefit_overview", args=[SLUG]))
    text = response.text
    assert "Kari Arkivleder" in text
    assert "126\xa0000" in text and "60\xa0%" in text and "31.12.2018" in text
    # Expected vs realised per year: 60 000 + 100 000 expected, 40 000 + 80 000 realised in 2018.
    assert '<td>2018</td><td class="num">160\xa0000\xa0kr</td><td class="num">120\xa0000\xa0kr</td>' in text
    assert '<td>2019</td><td class="num">650\xa0000\xa0kr</td><td class="num">–</td>' in text


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"aktivitet": "HA03"}, "Hjemmeboende med trygghetspakke", "Portoutgifter for utgående post"),
        ({"type": "cost_reduced"}, "Portoutgifter for utgående post", "Hjemmeboende med trygghetspakke"),
        ({"status": "realised"}, "Ingen gevinster passer til filteret.", "Portoutgifter for utgående post"),
    ],
)
def test_overview_filters_with_htmx_return_the_table_only(client, examples, steering_member, params, shown, hidden):
    client.force_login(steering_member)
    response = client.get(reverse("benefit_overview", args=[SLUG]), params, HTTP_HX_REQUEST="true")
    assert response.text.lstrip().startswith('<div id="benefit-table">')
    assert shown in response.text
    assert hidden not in response.text


def test_overview_filters_by_owner_and_activity_filter_limits_yearly_totals(client, examples, steering_member, porto):
    owner = factories.person(name="Ola Eier")
    porto.owner = owner
    porto.save()
    client.force_login(steering_member)
    response = client.get(reverse("benefit_overview", args=[SLUG]), {"eier": owner.pk})
    assert "Portoutgifter for utgående post" in response.text
    assert "Andel utgående brev sendt digitalt" not in response.text
    assert f'<option value="{owner.pk}" selected>Ola Eier</option>' in response.text
    ha03 = client.get(reverse("benefit_overview", args=[SLUG]), {"aktivitet": "HA03"})
    assert '<td>2018</td><td class="num">100\xa0000\xa0kr</td>' in ha03.text


def _grow(plan, times):
    owner = factories.person(name=f"Eier {Person.objects.count()}")
    for _ in range(times):
        activity = factories.activity(plan)
        bp = factories.benefit_plan(plan, activity, benefits=3)
        for b in bp.benefits.all():
            b.owner = owner
            b.save()
            b.measurements.create(measured_on=date(2018, 1, 1), value=Decimal(8))
            b.measurements.create(measured_on=date(2018, 6, 1), value=Decimal(7))
        CashFlowLine.objects.create(plan=bp, year=2018, investment=1, benefit_value=2, realised_benefit_value=1)


def test_overview_query_count_is_constant_at_10x_and_100x(client, examples, project_leader):
    """Guards N+1 on owner, plan/activity and the latest measurement per benefit (a Subquery, not a query)."""
    client.force_login(project_leader)
    url = reverse("benefit_overview", args=[SLUG])
    _grow(examples, 1)
    base = count_queries(client, url)
    _grow(examples, 9)
    assert count_queries(client, url) == base
    _grow(examples, 90)
    assert count_queries(client, url) == base
    assert count_queries(client, url, HTTP_HX_REQUEST="true") <= base


def test_plan_page_query_count_is_constant(client, examples, project_leader):
    client.force_login(project_leader)
    url = reverse("benefit_plan", args=[SLUG, "GP-HA02"])
    base = count_queries(client, url)
    bp = BenefitPlan.objects.get(code="GP-HA02")
    for i in range(20):
        b = Benefit.objects.create(
            plan=bp, description="x", kind="other", indicator=f"I{i}", owner=factories.person(name=f"P{i}")
        )
        b.measurements.create(value=1)
    assert count_queries(client, url) == base


def test_benefit_page_query_count_is_constant(client, plan, project_leader, porto):
    client.force_login(project_leader)
    url = benefit_url(porto)
    porto.measurements.create(measured_on=date(2018, 1, 1), value=1, recorded_by=project_leader)
    base = count_queries(client, url)
    for day in range(2, 30):
        porto.measurements.create(measured_on=date(2018, 1, day), value=day, recorded_by=project_leader)
    assert count_queries(client, url) == base
