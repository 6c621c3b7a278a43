"""A risk's page: history, htmx re-scoring (RF never typed), mitigations, editing, and who may do what."""

import re
from datetime import date

import pytest
from django.urls import reverse

from portfolio.models import Person
from risks.models import Mitigation, Risk, RiskAssessment
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    return reverse(name, args=[SLUG, *args])


@pytest.fixture
def own_activity(plan, project_member):
    """HA04, with the demo project-group user as its responsible person."""
    person = factories.person(name="Prosjekt Demo", user=project_member)
    activity = plan.activities.get(code="HA04")
    activity.responsible = person
    activity.save()
    return activity


def test_history_is_newest_first_in_the_table_and_oldest_first_in_the_chart(client, plan, project_leader):
    client.force_login(project_leader)
    risk = Risk.objects.get(programme=plan, code="R1")  # seed: 4 × 5 on 15.03.2017
    risk.rescore(3, 5, on=date(2017, 9, 1), note="Frikjøpt tid")
    risk.rescore(2, 3, on=date(2018, 3, 1), note="Ny prosjektleder på plass")
    page = client.get(url("risk_detail", "R1")).text
    table = page[page.index('id="risk-history"') :]
    assert re.findall(r"<td>(\d\d\.\d\d\.\d{4})</td>", table) == ["01.03.2018", "01.09.2017", "15.03.2017"]
    assert "Risikofaktor over tid: 15.03.2017: 20, 01.09.2017: 15, 01.03.2018: 6" in page
    assert "S 2 × K 3 = " in page and "6 · Lav" in page


def test_rescoring_with_htmx_adds_an_assessment_and_moves_the_risk_on_the_heat_map(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.post(
        url("risk_rescore", "R1"), {"probability": "2", "consequence": "2", "note": "Bedre", "rf": "25"}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="scoring"')
    risk = Risk.objects.get(programme=plan, code="R1")
    assert risk.assessments.count() == 2
    latest = risk.latest_assessment
    assert (latest.probability, latest.consequence, latest.rf) == (2, 2, 4)  # the posted "rf" is ignored
    assert latest.assessed_by.username == "leder"
    assert 'data-s="4" data-k="5" data-count="0"' in response.text
    assert 'data-s="2" data-k="2" data-count="1"' in response.text
    assert "4 · Lav" in response.text


def test_rescoring_without_htmx_redirects_to_the_risk(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.post(url("risk_rescore", "R2"), {"probability": "3", "consequence": "3"})
    assert response.status_code == 302
    assert response["Location"] == url("risk_detail", "R2")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"probability": "6", "consequence": "2"}, "Sannsynlighet må være et helt tall fra 1 til 5."),
        ({"probability": "2", "consequence": "0"}, "Konsekvens må være et helt tall fra 1 til 5."),
        ({"probability": "", "consequence": "2"}, "Velg sannsynlighet 1–5."),
    ],
)
def test_bad_scores_get_a_norwegian_error_and_save_nothing(client, plan, project_leader, data, message):
    client.force_login(project_leader)
    before = RiskAssessment.objects.count()
    response = client.post(url("risk_rescore", "R3"), data, **HTMX)
    assert response.status_code == 422
    assert message in response.text
    assert RiskAssessment.objects.count() == before


def test_mitigations_are_added_and_marked_done_with_htmx(client, plan, project_leader):
    client.force_login(project_leader)
    owner = Person.objects.get(name="Anne Marit Eng")
    response = client.post(
        url("mitigation_add", "R4"),
        {"description": "Kost/nytte-mal", "responsible": owner.pk, "due_on": "01.09.2017"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="mitigations"')
    mitigation = Mitigation.objects.get(description="Kost/nytte-mal")
    assert (mitigation.responsible, mitigation.due_on, mitigation.done) == (owner, date(2017, 9, 1), False)
    client.post(url("mitigation_toggle", "R4", mitigation.pk), {"version": mitigation.version}, **HTMX)
    mitigation.refresh_from_db()
    assert mitigation.done
    bad = client.post(url("mitigation_add", "R4"), {"description": "", "due_on": "31.02.2017"}, **HTMX)
    assert "Beskriv tiltaket." in bad.text
    assert "Skriv fristen som dd.mm.åååå." in bad.text


def test_steering_group_can_read_but_not_rescore(client, plan, steering_member):
    client.force_login(steering_member)
    assert client.get(url("risk_detail", "R1")).status_code == 200
    assert client.post(url("risk_rescore", "R1"), {"probability": "1", "consequence": "1"}).status_code == 403
    assert client.post(url("mitigation_add", "R1"), {"description": "x"}).status_code == 403
    assert client.get(url("risk_edit", "R1")).status_code == 403


def test_project_group_edits_only_risks_of_its_own_activities(client, plan, project_member, own_activity):
    client.force_login(project_member)
    own = factories.risk(plan, activity=own_activity)
    other = factories.risk(plan, activity=plan.activities.get(code="HA02"))
    assert client.post(url("risk_rescore", own.code), {"probability": "1", "consequence": "2"}).status_code == 302
    assert client.post(url("risk_rescore", other.code), {"probability": "1", "consequence": "2"}).status_code == 403
    # R1 is a programme-level risk (no activity): the project leader's alone.
    assert client.post(url("risk_rescore", "R1"), {"probability": "1", "consequence": "2"}).status_code == 403
    assert "Ny vurdering" in client.get(url("risk_detail", own.code)).text
    assert "Ny vurdering" not in client.get(url("risk_detail", other.code)).text


def test_project_group_creates_risks_only_on_its_own_activities(client, plan, project_member, own_activity):
    client.force_login(project_member)
    form = client.get(url("risk_create")).text
    assert "HA04" in form and "HA02" not in form
    refused = client.post(url("risk_create"), {"code": "P1", "title": "Programrisiko", "status": "open"})
    assert "Velg en hovedaktivitet du er ansvarlig for." in refused.text
    other = plan.activities.get(code="HA02")
    refused = client.post(url("risk_create"), {"code": "P1", "title": "Annen", "status": "open", "activity": other.pk})
    assert refused.status_code == 422
    assert not Risk.objects.filter(code="P1").exists()
    created = client.post(
        url("risk_create"), {"code": "P1", "title": "Skole", "status": "open", "activity": own_activity.pk}
    )
    assert created.status_code == 302
    assert Risk.objects.get(programme=plan, code="P1").activity == own_activity


def test_project_leader_edits_a_risk_and_duplicate_numbers_are_refused(client, plan, project_leader):
    client.force_login(project_leader)
    version = Risk.objects.get(programme=plan, code="R1").version
    data = {
        "code": "R2",
        "title": "Ny tittel",
        "status": "mitigated",
        "next_review_on": "01.10.2017",
        "version": version,
    }
    refused = client.post(url("risk_edit", "R1"), data)
    assert "Nummeret R2 er allerede i bruk i programmet." in refused.text
    data["code"] = "R1"
    assert client.post(url("risk_edit", "R1"), data).status_code == 302
    risk = Risk.objects.get(programme=plan, code="R1")
    assert (risk.title, risk.status, risk.next_review_on) == ("Ny tittel", "mitigated", date(2017, 10, 1))
    assert risk.assessments.count() == 1  # editing never touches the scores


def test_staff_cannot_open_or_change_a_risk(client, plan, staff):
    client.force_login(staff)
    assert client.get(url("risk_detail", "R1")).status_code == 403
    assert client.post(url("risk_rescore", "R1"), {"probability": "1", "consequence": "1"}).status_code == 403
    assert client.get(url("risk_create")).status_code == 403


def test_a_mitigation_due_after_the_programme_is_refused(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.post(
        url("mitigation_add", "R4"), {"description": "For sent tiltak", "due_on": "2020-01-15"}, **HTMX
    )
    assert "Datoen må ligge innenfor programperioden 01.11.2016–01.11.2019." in response.text
    assert not Mitigation.objects.filter(description="For sent tiltak").exists()
