"""Risks in and out of CSV/XLSX: a round trip changes nothing, a bad row saves nothing, rows as a spreadsheet counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from risks.models import Risk, RiskAssessment
from risks.resources import export_file, run_import

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
HEADER = "Nr.;Risikofaktor;Beskrivelse;Hovedaktivitet;Eier;Status;Neste gjennomgang;S;K;RF"


def snapshot(plan):
    risks = Risk.objects.filter(programme=plan).with_latest().order_by("code")
    return [
        (r.code, r.title, r.activity_id, r.owner_id, r.status, r.next_review_on, r.latest_rf) for r in risks
    ], RiskAssessment.objects.count()


def test_export_has_norwegian_headers_and_the_derived_rf(plan):
    text = export_file(plan, "csv").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == HEADER
    assert "R1;Nok ressurser til å drive prosessen;;;;Åpen;;4;5;20" in lines


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(plan, file_format):
    before = snapshot(plan)
    report = run_import(plan, export_file(plan, file_format), f"risikoer.{file_format}", dry_run=False)
    assert report.errors == []
    assert report.saved
    assert report.updated == 8
    assert snapshot(plan) == before


def test_changed_score_becomes_a_new_assessment_and_rf_column_is_ignored(plan, project_leader):
    csv = HEADER + "\nR7;For lite kunnskap;;HA07;Anne Marit Eng;Redusert;01.10.2017;2;2;25\nN1;Ny risiko;;;;;;3;5;1\n"
    report = run_import(plan, csv.encode(), "r.csv", user=project_leader, dry_run=False)
    assert report.errors == []
    assert (report.new, report.updated) == (1, 1)
    r7 = Risk.objects.with_latest().get(programme=plan, code="R7")
    assert (r7.latest_rf, r7.status, r7.activity.code, r7.owner.name) == (4, "mitigated", "HA07", "Anne Marit Eng")
    assert r7.assessments.count() == 2
    assert Risk.objects.with_latest().get(programme=plan, code="N1").latest_rf == 15


def test_one_bad_row_saves_nothing_and_errors_carry_spreadsheet_row_numbers(plan):
    before = snapshot(plan)
    csv = (
        HEADER + "\n"
        "R1;Endret tittel;;;;;;4;5;\n"  # row 2: fine on its own
        "N2;;;;;;;1;1;\n"  # row 3: no title
        "\n"  # row 4: empty, skipped but still counted
        "N3;Ukjent aktivitet;;HA99;;;;6;1;\n"  # row 5: unknown activity, S out of range
        "N4;Halv;;;;;;3;;\n"  # row 6: S without K
        "n3;Dobbel;;;;;;;;\n"  # row 7: same number as row 5
    )
    report = run_import(plan, csv.encode(), "r.csv", dry_run=False)
    assert not report.saved
    found = {(e.row, e.column) for e in report.errors}
    assert (3, "Risikofaktor") in found
    assert (5, "Hovedaktivitet") in found
    assert (5, "S") in found
    assert (6, "") in found
    assert (7, "Nr.") in found
    assert all(e.row != 2 for e in report.errors)
    messages = " ".join(e.message for e in report.errors)
    assert "Finner ikke hovedaktiviteten «HA99»." in messages
    assert "Nummeret står også i rad 5." in messages
    assert snapshot(plan) == before


def test_unknown_and_missing_columns_are_reported_on_row_1(plan):
    report = run_import(plan, b"Nr.;Farge\nR1;bl\xc3\xa5\n", "r.csv", dry_run=False)
    assert {(e.row, e.column, e.message) for e in report.errors} == {
        (1, "Farge", "Ukjent kolonne."),
        (1, "Risikofaktor", "Kolonnen mangler."),
    }


def test_dry_run_reports_but_saves_nothing(plan):
    before = snapshot(plan)
    report = run_import(plan, (HEADER + "\nN9;Prøve;;;;;;2;2;\n").encode(), "r.csv", dry_run=True)
    assert report.errors == [] and report.new == 1 and not report.saved
    assert snapshot(plan) == before


def test_import_page_is_for_the_project_leader_and_export_for_readers(client, plan, project_leader, steering_member):
    client.force_login(steering_member)
    assert client.get(reverse("risk_import", args=[SLUG])).status_code == 403
    xlsx = client.get(reverse("risk_export", args=[SLUG, "xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["Nr.", "Risikofaktor"]
    client.force_login(project_leader)
    upload = SimpleUploadedFile("r.csv", (HEADER + "\nN5;Fra nettsiden;;;;;;1;2;\n").encode())
    response = client.post(reverse("risk_import", args=[SLUG]), {"file": upload})
    assert "Lagret: 1 nye og 0 endrede risikoer." in response.text
    bad = SimpleUploadedFile("r.csv", (HEADER + "\nN6;;;;;;;1;2;\n").encode())
    response = client.post(reverse("risk_import", args=[SLUG]), {"file": bad})
    assert "Ingenting ble lagret" in response.text
    assert "<td>2</td>" in response.text


# Hostile and broken sheets (common.spreadsheets): the same reader and rules as every import.


def test_cr_only_line_endings_and_values_beyond_the_header(plan):
    good = "\r".join(["Nr.;Risikofaktor;S;K", "N5;Gammel Mac;2;3", ""]).encode()
    report = run_import(plan, good, "r.csv", dry_run=False)
    assert report.errors == [] and report.new == 1
    before = snapshot(plan)
    extra = "\r".join(["Nr.;Risikofaktor;S;K", "N6;Ekstra;2;3;4", ""]).encode()
    report = run_import(plan, extra, "r.csv", dry_run=False)
    assert [e.row for e in report.errors] == [2] and "kolonner uten overskrift" in report.errors[0].message
    assert snapshot(plan) == before


@pytest.mark.parametrize("score", ["²", "٣", "3,0", "1e0"])
def test_a_score_in_other_digits_is_a_row_error(plan, score):
    report = run_import(plan, f"Nr.;Risikofaktor;S;K\nN7;Rar;{score};3\n".encode(), "r.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "S")]
    assert "er ikke et helt tall fra 1 til 5" in report.errors[0].message


def test_a_review_date_outside_1900_2100_is_a_row_error(plan):
    report = run_import(plan, b"Nr.;Risikofaktor;Neste gjennomgang\nN8;Gammel;0001-01-01\n", "r.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Neste gjennomgang")]
