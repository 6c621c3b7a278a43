"""Control, invisible and bidi characters in free text (issue #14): a right-to-left override must not reverse
text in the revision report, whether it came through a form or an import, and a title made only of invisible
characters is empty on every form.

What is stored has no bidi controls and no control characters other than line breaks and tabs in free text,
whatever the path: the forms, the import, or a plain save (common.validators.clean_stored_text).
"""

import html
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from measures.models import Proposal
from measures.resources import run_import as run_proposal_import
from milestones.models import DecisionPoint, MeetingSeries
from portfolio.models import Phase, StatusReport
from reports import revision_report
from reports.models import RevisionReport
from risks.models import Risk

from .test_input_properties import ENGLISH
from .test_input_properties_forms import ERROR_LIST, TAG, _fingerprint

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]] + ["\u200e", "\u200f", "\u061c"]


def _pdf_text(plan) -> str:
    pdf = revision_report.build_pdf(plan, 2017)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _clean(text: str) -> bool:
    return not any(ch in text for ch in BIDI) and not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)


def test_status_report_text_with_an_override_reads_in_order_in_the_pdf(client, plan, project_leader):
    client.force_login(project_leader)
    activity = plan.activities.order_by("code").first()
    data = {
        "period_end": "2017-06-30",
        **dict.fromkeys(["overall", "scope", "time", "cost", "risk"], "green"),
        "comment": "Leveransen \u202eer forsinket\u202c litt",
        "achievements": "Ferdig \u2067med\u2069 pilot\r\nNeste\rlinje\x00",
    }
    response = client.post(reverse("status_report_create", args=[SLUG, activity.code]), data)
    assert response.status_code == 302

    report = StatusReport.objects.get(activity=activity, period_end="2017-06-30")
    assert report.comment == "Leveransen er forsinket litt"
    assert report.achievements == "Ferdig med pilot\nNeste\nlinje"
    text = _pdf_text(plan)
    assert "Leveransen er forsinket litt" in text
    assert "tekrosrof" not in text  # what the override made of it before


def test_proposal_text_through_the_staff_form_is_stored_without_bidi_controls(client, plan, staff):
    client.force_login(staff)
    data = {
        "title": "Wifi \u202ei skolen\u202c",
        "description": "Alle \u202eskoler\u202c trenger\r\ndekning\u2066.\u2069",
        "problem": "\u202b\u200f",
        "unit": "",
        "expected_benefit": "",
        "area": str(plan.areas.get(number=1).pk),
    }
    assert client.post(reverse("proposal_create", args=[SLUG]), data).status_code == 302
    proposal = Proposal.objects.latest("pk")
    assert proposal.title == "Wifi i skolen"
    assert proposal.description == "Alle skoler trenger\ndekning."
    assert proposal.problem == ""
    assert "Wifi i skolen" in _pdf_text(plan)


def test_proposal_text_through_an_import_is_stored_without_bidi_controls_and_reads_in_order(plan, project_leader):
    sheet = (
        "Tittel;Beskrivelse;Hovedområde;Enhet\n"
        '"Digital \u202esøknad\u202c om plass";"Søknad \u2066på\u2069 nett\r\nfor alle\x07";1;"Skole\u202e"\n'
    ).encode()
    report = run_proposal_import(plan, sheet, "forslag.csv", user=project_leader, dry_run=False)
    assert report.saved, report.errors
    proposal = Proposal.objects.latest("pk")
    assert (proposal.title, proposal.description, proposal.unit) == (
        "Digital søknad om plass",
        "Søknad på nett\nfor alle",
        "Skole",
    )
    assert "Digital søknad om plass" in _pdf_text(plan)


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u2066\u2069", " \u200d\ufeff ", "\u202e"])
def test_an_import_refuses_a_title_made_only_of_invisible_characters(plan, title):
    before = Proposal.objects.count()
    report = run_proposal_import(plan, f"Tittel;Hovedområde\n{title};1\n".encode(), "forslag.csv", dry_run=False)
    assert not report.saved
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "Tittel", "Tittel må fylles ut.")]
    assert Proposal.objects.count() == before


def test_revision_report_recommendations_are_stored_clean(client, plan, project_leader):
    client.force_login(project_leader)
    data = {"year": "2017", "recommendations": "Fortsett \u202earbeidet\u202c.\r\nNeste punkt."}
    assert client.post(reverse("revision_reports", args=[SLUG]), data).status_code in (200, 302)
    assert RevisionReport.objects.latest("pk").recommendations == "Fortsett arbeidet.\nNeste punkt."


def test_a_plain_save_cleans_text_too(plan):
    """The admin, commands and any later API save through the model: the same cleaning applies."""
    risk = Risk.objects.get(programme=plan, code="R1")
    risk.title = "Nok \u202eressurser\u202c\nog tid"
    risk.description = "Linje 1\r\nLinje\t2\u2069\x1b"
    risk.save()
    risk.refresh_from_db()
    assert (risk.title, risk.description) == ("Nok ressurser og tid", "Linje 1\nLinje\t2")


def test_letters_of_every_script_and_joiners_are_kept(plan):
    risk = Risk.objects.get(programme=plan, code="R1")
    risk.description = "مرحبا שלום ÆØÅ 👩\u200d💻 می\u200cخواهم"
    risk.save()
    risk.refresh_from_db()
    assert risk.description == "مرحبا שלום ÆØÅ 👩\u200d💻 می\u200cخواهم"


# Every form with a required title or name: a value that shows nothing is refused in Norwegian, nothing saved.
def _title_forms(plan):
    area = str(plan.areas.get(number=1).pk)
    point = DecisionPoint.objects.filter(programme=plan, status=DecisionPoint.Status.PLANNED).order_by("pk").first()
    series = MeetingSeries.objects.filter(programme=plan).order_by("pk").first()
    benefit_plan = plan.benefit_plans.order_by("code").first()
    phase = Phase.objects.filter(programme=plan).order_by("number").first()
    return [
        ("proposal_create", [SLUG], "ansatt", {"area": area}, "title"),
        ("public_proposal_form", [SLUG], None, {"area": area}, "title"),
        ("risk_create", [SLUG], "leder", {"code": "R90", "status": "open"}, "title"),
        ("mitigation_add", [SLUG, "R1"], "leder", {}, "description"),
        ("decision_point_create", [SLUG], "leder", {"code": "BP90", "date": "2018-01-01"}, "title"),
        (
            "milestone_create",
            [SLUG],
            "leder",
            {"code": "MP90", "planned_date": "2018-01-01", "status": "planned"},
            "title",
        ),
        (
            "meeting_series_add",
            [SLUG],
            "leder",
            {"first_date": "2018-01-01", "interval_days": "14"},
            "name",
        ),
        (
            "decision_record",
            [SLUG, point.code],
            "leder",
            {"decided_on": "2018-01-01", "version": str(point.version)},
            "decision_text",
        ),
        ("meeting_add", [SLUG, series.pk], "leder", {f"s{series.pk}-held_on": "2018-01-01"}, f"s{series.pk}-minutes"),
        (
            "benefit_plan_create",
            [SLUG],
            "leder",
            {
                "code": "GP90",
                "activity": str(plan.activities.order_by("code").first().pk),
                "analysis_start_year": "2018",
                "analysis_years": "5",
                "discount_rate": "4",
            },
            "title",
        ),
        (
            "benefit_create",
            [SLUG, benefit_plan.code],
            "leder",
            {"kind": "time_saved", "indicator": "Timer", "status": "planned"},
            "description",
        ),
        ("activity_create", [SLUG], "leder", {"code": "HA90", "area": area}, "name"),
        ("area_create", [SLUG], "leder", {"number": "40"}, "name"),
        ("person_create", [SLUG], "leder", {}, "name"),
        ("phase_create", [SLUG], "leder", {"number": "9", "year": "2016"}, "name"),
        (
            "budget_line_create",
            [SLUG],
            "leder",
            {"phase": str(phase.pk), "kind": "cost", "category": "investment"},
            "description",
        ),
        ("member_invite", [SLUG], "leder", {"email": "ny@example.no", "role": "ansatt"}, "name"),
    ]


@pytest.mark.parametrize("blank", ["\u200b\u200b", "\u2066\u2069", " \u200d\u00a0\ufeff", "\u202e\u202c"])
def test_no_form_accepts_a_title_made_only_of_invisible_characters(client, plan, blank):
    for name, args, user, data, field in _title_forms(plan):
        client.logout()
        if user:
            client.force_login(get_user_model().objects.get(username=user))
        before = _fingerprint(None)
        response = client.post(reverse(name, args=args), {**data, field: blank})
        assert response.status_code in (200, 422), (name, response.status_code)
        assert _fingerprint(None) == before, name
        errors = " ".join(TAG.sub(" ", html.unescape(e)) for _tag, e in ERROR_LIST.findall(response.content.decode()))
        assert errors.strip(), name
        assert not ENGLISH.search(errors), (name, errors)
