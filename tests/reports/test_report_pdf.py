"""The revision report renders a real PDF whose text carries the plan's content."""

import io

import pytest
from pypdf import PdfReader

from reports import revision_report as reports

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def report_text(plan):
    pdf = reports.build_pdf(plan, 2017, recommendations="Fortsett arbeidet med velferdsteknologi.")
    assert pdf.startswith(b"%PDF")
    return pdf_text(pdf)


def test_report_has_heading_municipality_and_several_pages(report_text):
    pages, text = report_text
    assert pages > 1
    assert "Rulleringsrapport 2017" in text
    assert "Nordre Land kommune" in text
    assert "Side 2 av" in text


def test_report_lists_every_main_activity(report_text):
    _pages, text = report_text
    for number in range(1, 18):
        assert f"HA{number:02d}" in text


def test_report_shows_the_risk_register_with_latest_rf(report_text):
    _pages, text = report_text
    # R1 "Nok ressurser til å drive prosessen" is scored S 4 × K 5 = RF 20 in the plan.
    row = next(line for line in text.splitlines() if line.startswith("R1 "))
    assert "Nok ressurser" in row
    assert "20" in row


def test_report_has_recommendations_and_sections(report_text):
    _pages, text = report_text
    for heading in ("Sammendrag for politikerne", "Beslutningspunkter", "Gevinster", "Budsjett", "Anbefalinger"):
        assert heading in text
    assert "Fortsett arbeidet med velferdsteknologi." in text
