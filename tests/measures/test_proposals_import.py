"""Spreadsheets in and out: Norwegian headers, numbers and dates, all-or-nothing, formula neutralising."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from measures.models import Proposal
from measures.resources import AmountWidget, export_file, run_import
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
S = Proposal.Status

HEADER = (
    "ID;Tittel;Beskrivelse;Hovedområde;Hovedaktivitet;Enhet;Innsender;Innsendertype;Status;Runde;Behov;Nytte;"
    "Teknisk gjennomførbarhet;Økonomisk gjennomførbarhet;Kostnadsestimat;Innsendt"
)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


GOOD = [
    ";Elektronisk timebestilling;Bestill time på nett;Velferdsteknologi;HA05;Helse/Omsorg;Kari;ansatt;"
    "Prioritert i årets plan;2017;4;5;3;2;1 500 000,-;15.03.2017",
    ";Skjema for byggesak;;2;;Teknisk;;innbygger;;;;;;;250000;2017-04-01",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 500 000", "1500000"),
        ("1500000", "1500000"),
        ("1 500 000,-", "1500000"),
        ("1.500.000", "1500000"),
        ("12 345,50", "12345.50"),
        ("", None),
    ],
)
def test_norwegian_amounts_are_read(text, expected):
    value = AmountWidget().clean(text)
    assert value == (None if expected is None else Decimal(expected))


def test_amount_in_words_is_refused_clearly():
    with pytest.raises(ValueError, match="«kr 1,5 mill.» er ikke et beløp i kroner"):
        AmountWidget().clean("kr 1,5 mill.")


def test_good_sheet_creates_proposals_with_norwegian_formats(plan, project_leader):
    report = run_import(plan, _csv(*GOOD), "forslag.csv", user=project_leader, dry_run=False)
    assert report.errors == [] and report.saved and report.new == 2
    first = Proposal.objects.get(title="Elektronisk timebestilling")
    assert first.area.name == "Velferdsteknologi" and first.activity.code == "HA05"
    assert (first.status, first.need, first.estimated_cost, first.submitted_on) == (
        S.PRIORITISED,
        4,
        Decimal("1500000"),
        date(2017, 3, 15),
    )
    second = Proposal.objects.get(title="Skjema for byggesak")
    assert (second.area.number, second.submitter_type, second.status, second.revision_round.year) == (
        2,
        "innbygger",
        S.SUBMITTED,
        2017,
    )


def test_one_bad_row_saves_nothing_and_names_the_row_and_column(plan):
    before = Proposal.objects.count()
    bad = ";Ugyldig;;Velferdsteknologi;;;;;;;7;;;;kr 1,5 mill.;31.02.2017"
    report = run_import(plan, _csv(GOOD[0], bad, GOOD[1]), "forslag.csv", dry_run=False)
    assert not report.saved and Proposal.objects.count() == before
    assert {(e.row, e.column) for e in report.errors} == {(3, "Behov"), (3, "Kostnadsestimat"), (3, "Innsendt")}
    messages = " ".join(e.message for e in report.errors)
    assert "«7» er ikke et helt tall fra 1 til 5." in messages and "«31.02.2017» er ikke en dato" in messages


def test_missing_required_values_and_unknown_lookups_are_reported(plan):
    rows = [";;;Velferdsteknologi", ";Uten område;;;", ";Feil område;;Månebase;HA99;;;robot;Ferdig;1999"]
    report = run_import(plan, _csv(*rows), "forslag.csv", dry_run=False)
    found = {(e.row, e.column) for e in report.errors}
    assert {
        (2, "Tittel"),
        (3, "Hovedområde"),
        (4, "Hovedområde"),
        (4, "Hovedaktivitet"),
        (4, "Innsendertype"),
        (4, "Status"),
        (4, "Runde"),
    } <= found


def test_missing_or_unknown_headers_are_refused(plan):
    report = run_import(plan, _csv("Noe;Annet", header="Tittel;Farge"), "forslag.csv", dry_run=False)
    assert {(e.row, e.column) for e in report.errors} == {(1, "Farge"), (1, "Hovedområde")}


def test_headers_match_case_insensitively_with_spaces(plan):
    report = run_import(plan, _csv("Med små bokstaver;3", header="  tittel ; HOVEDOMRÅDE "), "f.csv", dry_run=False)
    assert report.saved and Proposal.objects.get(title="Med små bokstaver").area.number == 3


def test_dry_run_reports_but_saves_nothing(plan):
    before = Proposal.objects.count()
    report = run_import(plan, _csv(*GOOD), "forslag.csv", dry_run=True)
    assert report.errors == [] and not report.saved
    assert [(row, kind) for row, kind, _title in report.rows] == [(2, "new"), (3, "new")]
    assert Proposal.objects.count() == before


def test_update_by_id_records_a_legal_status_change_and_refuses_an_illegal_one(plan, project_leader):
    proposal = factories.proposal(plan, title="Gammel tittel", area=plan.areas.get(number=1))
    ok = run_import(
        plan,
        _csv(f"{proposal.pk};Ny tittel;;1;;;;;Under vurdering", header=HEADER),
        "f.csv",
        user=project_leader,
        dry_run=False,
    )
    assert ok.saved and ok.updated == 1
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Ny tittel", S.SCREENING)
    (t,) = proposal.transitions.all()
    assert (t.from_status, t.to_status, t.by) == (S.SUBMITTED, S.SCREENING, project_leader)
    illegal = run_import(plan, _csv(f"{proposal.pk};Ny tittel;;1;;;;;Gjennomført"), "f.csv", dry_run=False)
    assert [(e.row, e.column) for e in illegal.errors] == [(2, "Status")]
    assert "Kan ikke endre status fra «Under vurdering» til «Gjennomført»." in illegal.errors[0].message
    unknown = run_import(plan, _csv("999999;X;;1", header=HEADER), "f.csv", dry_run=False)
    assert [(e.row, e.column) for e in unknown.errors] == [(2, "ID")]


def test_csv_export_round_trip_changes_nothing_and_neutralises_formulas(plan):
    proposal = factories.proposal(
        plan,
        title='=HYPERLINK("http://x")',
        description="@SUM(A1)",
        unit="-Skole",
        need=2,
        estimated_cost=Decimal("1234567.50"),
        submitted_on=date(2017, 1, 9),
    )
    queryset = Proposal.objects.filter(pk=proposal.pk)
    content = export_file(plan, queryset, "csv")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'-Skole" in text
    assert "1 234 567,50" in text and "09.01.2017" in text
    before = Proposal.objects.filter(pk=proposal.pk).values().get()
    report = run_import(plan, content, "eksport.csv", dry_run=False)
    assert report.errors == [] and report.updated == 1
    assert Proposal.objects.filter(pk=proposal.pk).values().get() == before
    assert not proposal.transitions.exists()


def test_xlsx_export_imports_back_unchanged(plan):
    proposal = factories.proposal(
        plan,
        title="+47 SMS-varsling",
        status=S.QUICK_WIN,
        need=5,
        benefit=4,
        feasibility_technical=3,
        feasibility_economic=2,
        activity=plan.activities.first(),
    )
    content = export_file(plan, Proposal.objects.filter(pk=proposal.pk), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["B2"].value == "'+47 SMS-varsling"
    before = Proposal.objects.filter(pk=proposal.pk).values().get()
    report = run_import(plan, content, "eksport.xlsx", dry_run=False)
    assert report.errors == [] and report.updated == 1
    assert Proposal.objects.filter(pk=proposal.pk).values().get() == before


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_typed_cells_and_blank_rows_keeps_spreadsheet_row_numbers(plan):
    content = _xlsx(
        [
            ["Tittel", "Hovedområde", "Behov", "Innsendt", "Kostnadsestimat"],
            ["God rad", 4, 3, date(2017, 5, 1), 150000],
            [None, None, None, None, None],
            ["Dårlig rad", 99, 3, None, None],
        ]
    )
    report = run_import(plan, content, "ark.xlsx", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(4, "Hovedområde")]


def test_command_imports_and_with_a_bad_row_exits_non_zero(plan, tmp_path, capsys):
    good = tmp_path / "forslag.csv"
    good.write_bytes(_csv(*GOOD))
    call_command("import_proposals", str(good), "--dry-run")
    assert "Ville importert 2 nye og 0 endrede forslag." in capsys.readouterr().out
    assert not Proposal.objects.filter(title="Skjema for byggesak").exists()
    call_command("import_proposals", str(good))
    assert Proposal.objects.filter(title="Skjema for byggesak").exists()
    bad = tmp_path / "feil.csv"
    bad.write_bytes(_csv(";Uten område;;", ";OK;;3"))
    before = Proposal.objects.count()
    with pytest.raises(CommandError, match="1 feil; ingenting er lagret"):
        call_command("import_proposals", str(bad))
    assert "Rad 2 (Hovedområde): Hovedområde må fylles ut." in capsys.readouterr().err
    assert Proposal.objects.count() == before


def test_leader_previews_then_confirms_an_import_in_the_browser(client, plan, project_leader):
    client.force_login(project_leader)
    url = reverse("proposal_import", args=[SLUG])
    upload = SimpleUploadedFile("forslag.csv", _csv(*GOOD), content_type="text/csv")
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert "2 nye og 0 endrede forslag" in preview.text and "Bekreft import" in preview.text
    assert not Proposal.objects.filter(title="Skjema for byggesak").exists()
    done = client.post(url, {"token": preview.context["token"]}, follow=True)
    assert "Importert: 2 nye og 0 endrede forslag." in done.text
    assert Proposal.objects.filter(title="Skjema for byggesak").exists()


def test_bad_rows_are_listed_in_the_browser_and_nothing_can_be_confirmed(client, plan, project_leader):
    client.force_login(project_leader)
    upload = SimpleUploadedFile("forslag.csv", _csv(GOOD[0], ";;;3"), content_type="text/csv")
    response = client.post(reverse("proposal_import", args=[SLUG]), {"file": upload})
    assert response.status_code == 422
    assert "ingenting er lagret" in response.text and "Tittel må fylles ut." in response.text
    assert "Bekreft import" not in response.text


def test_export_download_follows_the_list_filters(client, plan, project_leader, steering_member):
    factories.proposal(plan, title="Eksportert", status=S.DEFERRED)
    client.force_login(project_leader)
    response = client.get(reverse("proposal_export", args=[SLUG]), {"format": "csv", "status": "deferred"})
    assert response["Content-Disposition"].startswith('attachment; filename="forslag-')
    body = response.content.decode("utf-8-sig")
    assert "Eksportert" in body and all("Vurderes i neste runde" in line for line in body.splitlines()[1:])
    xlsx = client.get(reverse("proposal_export", args=[SLUG]), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    client.force_login(steering_member)
    assert client.get(reverse("proposal_export", args=[SLUG])).status_code == 403


def test_admin_exports_with_the_spreadsheet_headers(client, plan, admin_user):
    factories.proposal(plan, title="=Formel i admin")
    client.force_login(admin_user)
    url = reverse("admin:measures_proposal_export")
    assert client.get(url).status_code == 200
    fields = {"format": "0", "resource": "0"}
    fields |= {f"proposalresource_{name}": "on" for name in ("id", "title", "area", "status", "estimated_cost")}
    response = client.post(url, fields)
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200, body[:500]
    assert body.splitlines()[0].startswith("ID,Tittel")
    assert "'=Formel i admin" in body


def test_admin_changelist_offers_import_and_export(client, plan, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:measures_proposal_changelist")).text
    assert reverse("proposal_import", args=[plan.slug]) in page
    assert "Importer til «Digitalisering i Nordre Land kommune»" in page
    assert reverse("admin:measures_proposal_export") in page


# Hostile and broken sheets (common.spreadsheets): rows are never lost, every problem is a Norwegian row error.


def _xlsx_declaring(content: bytes, ref: str) -> bytes:
    """`content` whose sheet states the dimension `ref`, whatever its real size."""
    import re
    import zipfile

    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), data)
            target.writestr(entry.filename, data)
    return buffer.getvalue()


@pytest.mark.parametrize("ref", ["A1:B2", "A1:XFD1048576"])
def test_xlsx_stating_a_wrong_size_imports_every_row(plan, ref):
    rows = [["Tittel", "Hovedområde"], *[[f"Dimensjon {n}", n] for n in range(1, 6)]]
    report = run_import(plan, _xlsx_declaring(_xlsx(rows), ref), "ark.xlsx", dry_run=False)
    assert report.errors == [] and report.new == 5
    assert Proposal.objects.filter(title__startswith="Dimensjon ").count() == 5


def test_csv_with_cr_only_line_endings_imports_every_row(plan):
    content = "\r".join(["Tittel;Hovedområde", "Gammel Mac 1;1", "Gammel Mac 2;2", ""]).encode("cp1252")
    report = run_import(plan, content, "mac.csv", dry_run=False)
    assert report.errors == [] and report.new == 2


def test_values_beyond_the_header_are_an_error_and_nothing_is_saved(plan):
    before = Proposal.objects.count()
    report = run_import(plan, _csv(";Ok;;1", ";Med ekstra;;1;;;;;;;;;;;;;glemt", header=HEADER), "f.csv", dry_run=False)
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "Rad 3 har verdier i kolonner uten overskrift. Gi kolonnene en overskrift eller fjern verdiene.")
    ]
    assert Proposal.objects.count() == before


@pytest.mark.parametrize("bad_id", ["²", "١٢", "99999999999999999999", "0", "-1", "1e3"])
def test_an_id_that_is_no_database_id_is_a_row_error(plan, bad_id):
    report = run_import(plan, _csv(f"{bad_id};Tittel;;1"), "f.csv", dry_run=False)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "ID", "ID må være et helt tall.")]


@pytest.mark.parametrize(
    ("cost", "submitted", "column"),
    [
        ("1 500 000", "0001-01-01", "Innsendt"),
        ("1 500 000", "31.12.9999", "Innsendt"),
        ("²", "15.03.2017", "Kostnadsestimat"),
        ("NaN", "15.03.2017", "Kostnadsestimat"),
        ("-3", "15.03.2017", "Kostnadsestimat"),
    ],
)
def test_numbers_and_dates_outside_the_norwegian_formats_are_row_errors(plan, cost, submitted, column):
    report = run_import(plan, _csv(f";Tittel;;1;;;;;;;;;;;{cost};{submitted}"), "f.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]


def test_xlsx_number_cells_that_are_not_finite_are_row_errors(plan):
    import zipfile

    content = _xlsx([["Tittel", "Hovedområde", "Kostnadsestimat"], ["Uendelig", 1, 777]])
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry.filename, data.replace(b"<v>777</v>", b"<v>1E+999</v>"))  # a float overflow: inf
    report = run_import(plan, buffer.getvalue(), "f.xlsx", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Kostnadsestimat")]


def test_a_new_row_may_link_an_activity_only_to_an_accepted_measure(plan, project_leader):
    """The web form's rule holds for new rows too: a proposal under assessment is not tied to an activity."""
    row = ";Ny sak;;Velferdsteknologi;HA05;;;ansatt;Under vurdering;2017;;;;;;15.03.2017"
    report = run_import(plan, _csv(row), "forslag.csv", user=project_leader, dry_run=False)
    assert not report.saved and not Proposal.objects.filter(title="Ny sak").exists()
    assert "Bare forslag som er tatt inn i planen kan knyttes til en aktivitet." in report.errors[0].message
