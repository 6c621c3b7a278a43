"""Dates people type and links an import makes.

Every date field of the forms is `common.fields.DateField`: it reads what the spreadsheet imports read and refuses
dates outside 1900–2100 (9999-12-15 once broke the benefit page and the daily reminders for everyone). The imports
check dates against the programme period where the forms do, and the proposal import links only accepted measures
and never touches a citizen's proposal that is not yet approved for showing.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits import resources as benefit_resources
from benefits.models import Benefit, BenefitMeasurement
from benefits.services import send_measurement_reminders
from common.fields import DateField
from measures import resources as proposal_resources
from measures.models import Proposal
from milestones.models import DecisionPoint, Milestone
from portfolio.models import StatusReport
from risks import resources as risk_resources
from risks.models import Mitigation, Risk
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
HTMX = {"HTTP_HX_REQUEST": "true"}
BAD_DATES = ["9999-12-15", "0001-01-01", "31.02.2017"]
INVALID_MESSAGES = (
    "Skriv datoen som dd.mm.åååå.",
    "Skriv fristen som dd.mm.åååå.",
    "Skriv en gyldig dato, for eksempel 15.03.2018.",
)


def url(name: str, *args) -> str:
    return reverse(name, args=[SLUG, *args])


def porto() -> Benefit:
    return Benefit.objects.get(indicator="Portoutgifter for utgående post")


def benefit_case(plan, field):
    data = {
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
    return url("benefit_create", "GP-HA02"), data, field, lambda: Benefit.objects.filter(unit="per uke").count()


CASES = {
    "benefit baseline": lambda plan: benefit_case(plan, "baseline_date"),
    "benefit target": lambda plan: benefit_case(plan, "target_date"),
    "measurement": lambda plan: (
        reverse("benefit_measure", args=[SLUG, porto().plan.code, porto().pk]),
        {"measured_on": "2018-12-31", "value": "135000"},
        "measured_on",
        BenefitMeasurement.objects.count,
    ),
    "status report": lambda plan: (
        url("status_report_create", "HA01"),
        {
            "period_end": "2017-03-01",
            **dict.fromkeys(("overall", "scope", "time", "cost", "risk"), "green"),
            "achievements": "Kravspesifikasjon ferdig",
            "next_steps": "Kontraktsmøte",
        },
        "period_end",
        StatusReport.objects.count,
    ),
    "risk": lambda plan: (
        url("risk_create"),
        {"code": "P9", "title": "Programrisiko", "status": "open", "next_review_on": "01.10.2017"},
        "next_review_on",
        Risk.objects.count,
    ),
    "mitigation": lambda plan: (
        url("mitigation_add", "R4"),
        {"description": "Kost/nytte-mal", "due_on": "01.09.2017"},
        "due_on",
        Mitigation.objects.count,
    ),
    "milestone": lambda plan: (
        url("milestone_create"),
        {
            "code": "MP10",
            "title": "Nytt sak- og arkivsystem i drift",
            "activity": plan.activities.get(code="HA05").pk,
            "planned_date": "2018-09-01",
            "criteria": "Alle nye saker journalføres",
            "status": "planned",
        },
        "planned_date",
        Milestone.objects.count,
    ),
    "decision point": lambda plan: (
        url("decision_point_create"),
        {"code": "BP6", "title": "Godkjenne planen", "date": "15.03.2018", "forum": "Formannskapet", "basis": "x"},
        "date",
        DecisionPoint.objects.count,
    ),
}


@pytest.mark.parametrize("typed", BAD_DATES)
@pytest.mark.parametrize("case", CASES)
def test_every_date_form_refuses_impossible_dates_in_norwegian(client, plan, project_leader, case, typed):
    client.force_login(project_leader)
    target, data, field, count = CASES[case](plan)
    before = count()
    response = client.post(target, {**data, field: typed}, **HTMX)
    assert response.status_code == 422, response.content[:300]
    text = response.content.decode()
    if typed == "31.02.2017":  # no date at all: the form's own message
        assert any(message in text for message in INVALID_MESSAGES), text
    else:
        assert "er utenfor det tillatte tidsrommet (01.01.1900–31.12.2100)." in text, text
    assert "Enter a valid date" not in text
    assert count() == before


@pytest.mark.parametrize("case", CASES)
def test_every_date_form_still_saves_a_good_date(client, plan, project_leader, case):
    client.force_login(project_leader)
    target, data, _field, count = CASES[case](plan)
    before = count()
    response = client.post(target, data, **HTMX)
    assert response.status_code in (200, 302), response.content[:500]
    assert count() == before + 1


def test_the_date_field_reads_norwegian_forms_and_draws_a_date_input():
    field = DateField(required=False)
    assert field.clean("15.03.2017") == date(2017, 3, 15)
    assert field.clean("15.03.17") == date(2017, 3, 15)
    assert field.clean("2017-03-15") == date(2017, 3, 15)
    assert field.clean("") is None
    assert 'type="date"' in field.widget.render("d", date(2017, 3, 15))
    assert 'value="2017-03-15"' in field.widget.render("d", date(2017, 3, 15))
    with pytest.raises(Exception, match="utenfor det tillatte tidsrommet"):
        field.clean("9999-12-15")


def test_benefit_page_and_reminders_work_for_existing_data(client, plan, project_leader):
    benefit = porto()
    client.force_login(project_leader)
    response = client.get(reverse("benefit_detail", args=[SLUG, benefit.plan.code, benefit.pk]))
    assert response.status_code == 200
    assert send_measurement_reminders() >= 0


# --- imports: the programme period and the forms' other date rules -------------------------------------------

RISK_HEADER = "Nr.;Risikofaktor;Beskrivelse;Hovedaktivitet;Eier;Status;Neste gjennomgang;S;K"


def test_risk_import_refuses_a_next_review_outside_the_programme(plan):
    after = (plan.end_date + timedelta(days=1)).strftime("%d.%m.%Y")
    inside = plan.start_date.strftime("%d.%m.%Y")
    csv = f"{RISK_HEADER}\nN1;Ny risiko;;;;;{inside};3;3\nN2;Annen risiko;;;;;{after};3;3\n"
    before = Risk.objects.count()
    report = risk_resources.run_import(plan, csv.encode(), "r.csv", dry_run=False)
    assert not report.saved
    assert [(e.row, e.column) for e in report.errors] == [(3, "Neste gjennomgang")]
    assert "programperioden" in report.errors[0].message
    assert Risk.objects.count() == before


def test_measurement_import_refuses_a_future_date(plan):
    future = (timezone.localdate() + timedelta(days=10)).strftime("%d.%m.%Y")
    content = f"Gevinst-ID;Dato;Verdi\n{porto().pk};31.12.2018;1\n{porto().pk};{future};2\n".encode()
    report = benefit_resources.run_import("malinger", plan, content, "m.csv", dry_run=False)
    assert not report.saved
    assert [(e.row, e.column) for e in report.errors] == [(3, "Dato")]
    assert report.errors[0].message == "Målingen kan ikke være fra en dato fram i tid."
    assert not BenefitMeasurement.objects.filter(benefit=porto(), value__in=[1, 2]).exists()


PROPOSAL_HEADER = "ID;Tittel;Hovedområde;Hovedaktivitet;Status;Innsendt"
PRIORITISED = Proposal.Status.PRIORITISED.label


def test_proposal_import_refuses_a_future_submission_date(plan):
    future = (timezone.localdate() + timedelta(days=10)).strftime("%d.%m.%Y")
    content = f"{PROPOSAL_HEADER}\n;Nytt forslag;1;;;{future}\n".encode()
    before = Proposal.objects.count()
    report = proposal_resources.run_import(plan, content, "f.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Innsendt")]
    assert Proposal.objects.count() == before


# --- imports: linking proposals to activities ------------------------------------------------------------------


def test_import_links_only_accepted_measures_to_an_activity(plan):
    activity = plan.activities.get(code="HA05")
    submitted = factories.proposal(plan, status=Proposal.Status.SUBMITTED)
    accepted = factories.proposal(plan, status=Proposal.Status.PRIORITISED)
    content = (
        f"{PROPOSAL_HEADER}\n{accepted.pk};{accepted.title};1;HA05;{PRIORITISED};\n"
        f"{submitted.pk};{submitted.title};1;HA05;Innsendt;\n"
    ).encode()
    report = proposal_resources.run_import(plan, content, "f.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Hovedaktivitet")]
    assert report.errors[0].message == "Bare forslag som er tatt inn i planen kan knyttes til en aktivitet."
    accepted.refresh_from_db()
    submitted.refresh_from_db()
    assert accepted.activity is None and submitted.activity is None  # nothing is saved

    only_accepted = f"{PROPOSAL_HEADER}\n{accepted.pk};{accepted.title};1;HA05;{PRIORITISED};\n".encode()
    ok = proposal_resources.run_import(plan, only_accepted, "f.csv", dry_run=False)
    assert ok.errors == [] and ok.saved
    accepted.refresh_from_db()
    assert accepted.activity == activity


def test_import_never_links_or_publishes_a_hidden_citizen_proposal(plan):
    hidden = factories.proposal(
        plan, status=Proposal.Status.PRIORITISED, published=False, submitter_type=Proposal.SubmitterType.CITIZEN
    )
    content = f"{PROPOSAL_HEADER}\n{hidden.pk};{hidden.title};1;HA05;{PRIORITISED};\n".encode()
    report = proposal_resources.run_import(plan, content, "f.csv", dry_run=False)
    assert not report.saved
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "ID", "Forslaget er ikke godkjent for visning ennå.")
    ]
    hidden.refresh_from_db()
    assert hidden.published is False and hidden.activity is None
