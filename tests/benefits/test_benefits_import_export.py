"""Benefits and measurements through spreadsheets: all rows or none, spreadsheet row numbers, round trip."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from benefits.models import Benefit, BenefitMeasurement
from benefits.resources import export_file, run_import
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def porto(plan):
    return Benefit.objects.get(indicator="Portoutgifter for utgående post")


def test_measurements_import_with_norwegian_numbers_and_dates(plan, porto, project_leader):
    content = csv_bytes(
        "Gevinst-ID;Dato;Verdi;Merknad",
        f"{porto.pk};31.12.2018;135 000;Regnskap 2018",
        f"{porto.pk};2019-06-30;112500,5;",
    )
    report = run_import("malinger", plan, content, "m.csv", user=project_leader, dry_run=False)
    assert report.errors == []
    assert report.saved and report.new == 2
    values = list(porto.measurements.order_by("measured_on").values_list("value", "measured_on", "recorded_by"))
    assert values == [
        (Decimal("135000"), date(2018, 12, 31), project_leader.pk),
        (Decimal("112500.50"), date(2019, 6, 30), project_leader.pk),
    ]


def test_one_bad_row_saves_nothing_and_names_the_spreadsheet_row(plan, porto):
    content = csv_bytes(
        "Gevinst-ID;Dato;Verdi",
        f"{porto.pk};31.12.2018;135000",
        "",  # blank lines keep their number in the spreadsheet
        f"{porto.pk};31.12.2016;1",
        f"{porto.pk};31.12.2018;mye",
        "99999;31.12.2018;1",
    )
    report = run_import("malinger", plan, content, "m.csv", dry_run=False)
    assert not report.saved
    assert not BenefitMeasurement.objects.exists()
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(4, "Dato"), (5, "Verdi"), (6, "Gevinst-ID")}
    messages = " ".join(e.message for e in report.errors)
    assert "fra før nullpunktet (31.12.2017)" in messages
    assert "«mye» er ikke et tall" in messages
    assert "Finner ingen gevinst med ID 99999" in messages


def test_missing_and_unknown_columns_are_reported_on_row_1(plan):
    report = run_import("malinger", plan, csv_bytes("Dato;Verdi;Farge", "31.12.2018;1;blå"), "m.csv", dry_run=False)
    assert {(e.row, e.column, e.message) for e in report.errors} == {
        (1, "Farge", "Ukjent kolonne."),
        (1, "Gevinst-ID", "Kolonnen mangler."),
    }


def test_dry_run_reports_but_saves_nothing(plan, porto):
    content = csv_bytes("Gevinst-ID;Dato;Verdi", f"{porto.pk};31.12.2018;1")
    report = run_import("malinger", plan, content, "m.csv", dry_run=True)
    assert report.errors == [] and report.new == 1 and not report.saved
    assert not BenefitMeasurement.objects.exists()


def test_benefits_import_creates_and_updates(plan, porto):
    factories.person(name="Kari Arkivleder")
    content = csv_bytes(
        "ID;Plan;Gevinst;Type;Budsjettfrigjørende;Indikator;Enhet;Nullpunkt;Nullpunkt dato;Mål;Måldato;"
        "Målemetode;Målefrekvens (måneder);Gevinsteier;Status",
        f"{porto.pk};GP-HA02;Lavere porto;Reduserte kostnader;ja;Portoutgifter for utgående post;kr per år;"
        "180 000;31.12.2017;80 000;31.12.2019;Regnskap;12;Kari Arkivleder;Under realisering",
        ";GP-HA03;Færre fall;Kvalitet for innbyggerne;nei;Fall med skade;fall per år;12;01.01.2018;6;31.12.2020;;6;;",
    )
    report = run_import("gevinster", plan, content, "g.csv", dry_run=False)
    assert report.errors == []
    assert (report.new, report.updated) == (1, 1)
    porto.refresh_from_db()
    assert porto.target_value == Decimal("80000")
    assert porto.owner.name == "Kari Arkivleder"
    assert porto.status == Benefit.Status.REALISING
    new = Benefit.objects.get(indicator="Fall med skade")
    assert new.plan.code == "GP-HA03" and new.status == Benefit.Status.PLANNED and new.frequency_months == 6


def test_bad_benefit_rows_are_refused_with_reasons(plan):
    content = csv_bytes(
        "Plan;Gevinst;Type;Indikator;Nullpunkt;Mål;Gevinsteier;Budsjettfrigjørende",
        "GP-XX;A;Annet;I;1;2;;",
        "GP-HA02;B;Magisk;I;1;2;;",
        "GP-HA02;C;Annet;I;5;5;;",
        "GP-HA02;D;Annet;I;1;2;Ukjent Person;kanskje",
        "GP-HA02;;Annet;;1;2;;",
    )
    count = Benefit.objects.count()
    report = run_import("gevinster", plan, content, "g.csv", dry_run=False)
    assert Benefit.objects.count() == count
    by_row = {}
    for e in report.errors:
        by_row.setdefault(e.row, []).append(e.message)
    assert "Finner ikke planen «GP-XX» i programmet." in by_row[2]
    assert "Ukjent type «Magisk»." in by_row[3]
    assert "Målet må være forskjellig fra nullpunktet." in by_row[4]
    assert "Finner ingen person som heter «Ukjent Person»." in by_row[5]
    assert "Skriv «ja» eller «nei», ikke «kanskje»." in by_row[5]
    assert set(by_row[6]) == {"Gevinst må fylles ut.", "Indikator må fylles ut."}


@pytest.mark.parametrize("kind", ["gevinster", "malinger"])
def test_xlsx_export_imports_back_unchanged(plan, porto, kind):
    porto.measurements.create(measured_on=date(2018, 12, 31), value=Decimal("135000.5"), note="=SUM(A1)")
    before_benefits = list(Benefit.objects.order_by("id").values())
    before_measurements = list(BenefitMeasurement.objects.order_by("id").values())
    content = export_file(kind, plan, "xlsx")
    report = run_import(kind, plan, content, "x.xlsx", dry_run=False)
    assert report.errors == []
    assert report.new == 0 and report.updated > 0
    assert list(Benefit.objects.order_by("id").values()) == before_benefits
    assert list(BenefitMeasurement.objects.order_by("id").values()) == before_measurements


def test_csv_export_has_norwegian_headers_and_formats(plan, porto):
    porto.measurements.create(measured_on=date(2018, 12, 31), value=Decimal("135000.5"))
    text = export_file("malinger", plan, "csv").decode("utf-8-sig")
    assert text.splitlines()[0] == "ID;Gevinst-ID;Dato;Verdi;Merknad"
    assert f";{porto.pk};31.12.2018;135000,5;" in text


def test_import_page_is_for_the_project_leader_only(client, plan, steering_member):
    client.force_login(steering_member)
    assert client.get(reverse("benefit_import", args=[SLUG])).status_code == 403


def test_import_page_reports_bad_rows_and_saves_nothing(client, plan, project_leader, porto):
    client.force_login(project_leader)
    upload = SimpleUploadedFile("m.csv", csv_bytes("Gevinst-ID;Dato;Verdi", f"{porto.pk};31.12.2018;1", "x;y;z"))
    response = client.post(reverse("benefit_import", args=[SLUG]), {"kind": "malinger", "file": upload})
    assert response.status_code == 422
    assert "Ingenting er lagret" in response.text
    assert '<td class="num">3</td><td>ID</td>' not in response.text
    assert '<td class="num">3</td>' in response.text
    assert not BenefitMeasurement.objects.exists()


def test_import_page_saves_an_xlsx_and_redirects(client, plan, project_leader, porto):
    book = Workbook()
    sheet = book.active
    sheet.append(["Gevinst-ID", "Dato", "Verdi"])
    sheet.append([porto.pk, date(2018, 12, 31), 120000])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(project_leader)
    upload = SimpleUploadedFile("m.xlsx", buffer.getvalue())
    response = client.post(reverse("benefit_import", args=[SLUG]), {"kind": "malinger", "file": upload}, follow=True)
    assert "Importert: 1 nye og 0 endrede rader." in response.text
    assert porto.measurements.get().value == Decimal("120000")


def test_readers_download_exports(client, plan, steering_member):
    client.force_login(steering_member)
    response = client.get(reverse("benefit_export", args=[SLUG, "gevinster", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["ID", "Plan", "Gevinst", "Type"]
    assert sheet.max_row == Benefit.objects.count() + 1
    assert client.get(reverse("benefit_export", args=[SLUG, "annet", "csv"])).status_code == 404


def test_empty_required_cells_are_named(plan, porto):
    content = csv_bytes("Gevinst-ID;Dato;Verdi", f"{porto.pk};;5", f"{porto.pk};31.12.2018;", ";31.12.2018;5")
    report = run_import("malinger", plan, content, "m.csv", dry_run=False)
    assert {(e.row, e.column, e.message) for e in report.errors} == {
        (2, "Dato", "Dato må fylles ut."),
        (3, "Verdi", "Verdi må fylles ut."),
        (4, "Gevinst-ID", "Gevinst-ID må fylles ut."),
    }
    assert not BenefitMeasurement.objects.exists()


# Negative values and hostile cells (common.parsing, common.spreadsheets).


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_negative_measurement_exports_as_a_number_and_imports_back_unchanged(plan, porto, file_format):
    porto.measurements.create(measured_on=date(2018, 12, 31), value=Decimal("-3"))
    porto.measurements.create(measured_on=date(2019, 12, 31), value=Decimal("-1500.5"))
    before = list(BenefitMeasurement.objects.order_by("id").values())
    content = export_file("malinger", plan, file_format)
    if file_format == "csv":
        text = content.decode("utf-8-sig")
        assert ";-3;" in text and ";-1500,5;" in text and "'-" not in text
    else:
        values = [row[3] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
        assert "-3" in values and "-1500,5" in values
    report = run_import("malinger", plan, content, f"m.{file_format}", dry_run=False)
    assert report.errors == [] and report.updated == 2
    assert list(BenefitMeasurement.objects.order_by("id").values()) == before


def test_an_older_export_with_apostrophe_before_a_minus_still_imports(plan, porto):
    report = run_import(
        "malinger", plan, csv_bytes("Gevinst-ID;Dato;Verdi", f"{porto.pk};31.12.2018;'-3"), "m.csv", dry_run=False
    )
    assert report.errors == []
    assert porto.measurements.get().value == Decimal("-3")


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ("31.12.2018;²", "Verdi"),
        ("31.12.2018;1e9", "Verdi"),
        ("31.12.2018;Infinity", "Verdi"),
        ("0001-01-01;1", "Dato"),
    ],
)
def test_odd_numbers_and_dates_are_row_errors(plan, porto, cells, column):
    report = run_import(
        "malinger", plan, csv_bytes("Gevinst-ID;Dato;Verdi", f"{porto.pk};{cells}"), "m.csv", dry_run=False
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert not BenefitMeasurement.objects.exists()


@pytest.mark.parametrize("frequency", ["²", "١٢", "0", "99999999999999999999999"])
def test_a_frequency_in_other_digits_is_a_row_error(plan, frequency):
    code = plan.benefit_plans.order_by("code").values_list("code", flat=True).first()
    content = csv_bytes("Plan;Gevinst;Type;Indikator;Målefrekvens (måneder)", f"{code};Ny;Kvalitativ;Noe;{frequency}")
    report = run_import("gevinster", plan, content, "g.csv", dry_run=False)
    assert ("Målefrekvens (måneder)", 2) in {(e.column, e.row) for e in report.errors}
    assert "er ikke et helt tall større enn 0" in " ".join(e.message for e in report.errors)
