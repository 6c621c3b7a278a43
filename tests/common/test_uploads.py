"""Uploaded spreadsheets are limited in size and type, by name and by content, on every import.

A refused file gets a Norwegian error, saves nothing and leaves no file under MEDIA_ROOT.
"""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from benefits.models import BenefitMeasurement
from measures.models import Proposal
from risks.models import Risk

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"

GOOD_CSV = "Tittel;Hovedområde\nElektronisk skjema;2\n".encode()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Tittel", "Hovedområde"])
    book.active.append(["Elektronisk skjema", 2])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_without_sheet() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return buffer.getvalue()


BAD_FILES = {
    "wrong extension": ("forslag.pdf", b"%PDF-1.4 ...", "Bruk en CSV- eller XLSX-fil"),
    "xlsx that is text": ("forslag.xlsx", GOOD_CSV, "er ikke et Excel-regneark"),
    "xlsx that is another zip": ("forslag.xlsx", _zip_without_sheet(), "er ikke et Excel-regneark"),
    "csv that is binary": ("forslag.csv", b"Tittel;Hoved\x00\x01\x02\xff\xfe", "inneholder ikke tekst"),
    "csv that is really xlsx": ("forslag.csv", _xlsx(), "inneholder ikke tekst"),
}

PAGES = {
    "proposals": ("proposal_import", {}, lambda: Proposal.objects.count()),
    "risks": ("risk_import", {}, lambda: Risk.objects.count()),
    "benefits": ("benefit_import", {"kind": "malinger"}, lambda: BenefitMeasurement.objects.count()),
}


def _media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def leader_client(client, project_leader):
    client.force_login(project_leader)
    return client


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_is_refused_with_a_norwegian_error_and_nothing_kept(leader_client, plan, page, case):
    url_name, extra, count = PAGES[page]
    name, content, message = BAD_FILES[case]
    before, files_before = count(), _media_files()
    response = leader_client.post(reverse(url_name, args=[SLUG]), {**extra, "file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 400, 422)
    assert message in response.content.decode()
    assert count() == before
    assert _media_files() == files_before


@pytest.mark.parametrize("page", PAGES)
def test_too_big_file_is_refused_on_every_import_page(leader_client, plan, page, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    url_name, extra, count = PAGES[page]
    before, files_before = count(), _media_files()
    big = GOOD_CSV.ljust(2048, b"\n")
    response = leader_client.post(reverse(url_name, args=[SLUG]), {**extra, "file": SimpleUploadedFile("f.csv", big)})
    assert "Filen er for stor (2,0\xa0KB). Største tillatte størrelse er 1000\xa0byte." in response.content.decode()
    assert count() == before
    assert _media_files() == files_before


def test_default_limit_is_five_megabytes(leader_client, plan):
    """The real default: a file one byte over 5 MB is refused before its content is read."""
    assert settings.UPLOAD_MAX_BYTES == 5 * 1024 * 1024
    big = GOOD_CSV + b"x" * (5 * 1024 * 1024 + 1 - len(GOOD_CSV))
    response = leader_client.post(
        reverse("proposal_import", args=[SLUG]), {"file": SimpleUploadedFile("stor.csv", big)}
    )
    assert "Største tillatte størrelse er 5,0\xa0MB." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [("forslag.csv", GOOD_CSV), ("forslag.csv", GOOD_CSV.decode().encode("cp1252")), ("forslag.xlsx", _xlsx())],
)
def test_good_csv_in_utf8_or_cp1252_and_real_xlsx_are_accepted(leader_client, plan, name, content):
    response = leader_client.post(reverse("proposal_import", args=[SLUG]), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert "Elektronisk skjema" in response.content.decode()
    # The accepted file waits for the confirmation under MEDIA_ROOT; confirming imports and removes it.
    token = response.context["token"]
    response = leader_client.post(reverse("proposal_import", args=[SLUG]), {"token": token})
    assert response.status_code == 302
    assert Proposal.objects.filter(title="Elektronisk skjema").exists()


@pytest.mark.parametrize("case", BAD_FILES)
def test_command_refuses_the_same_files_and_exits_non_zero(plan, tmp_path, case):
    name, content, message = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(content)
    before = Proposal.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_proposals", str(path))
    assert Proposal.objects.count() == before


def test_command_refuses_a_too_big_file(plan, tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 100
    path = tmp_path / "forslag.csv"
    path.write_bytes(GOOD_CSV * 10)
    with pytest.raises(CommandError, match="Filen er for stor"):
        call_command("import_proposals", str(path))
    assert not Proposal.objects.filter(title="Elektronisk skjema").exists()


def test_command_exits_non_zero_from_the_shell(plan, tmp_path):
    """CommandError is exit status 1 for scripts that run the import."""
    import subprocess
    import sys

    path = tmp_path / "forslag.xlsx"
    path.write_bytes(GOOD_CSV)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_proposals", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "er ikke et Excel-regneark" in result.stderr
