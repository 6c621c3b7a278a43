"""The Nordre Land report is a tagged PDF (PDF/UA-1) a screen reader can use and an archive can describe.

The PDF is opened with pikepdf, a PDF library independent of WeasyPrint, and read as an assistive technology
would: the structure tree, the marked flag, the language, the title, the alternative text of every figure,
table headers, and the bookmarks.
"""

import io
import logging
import re

import pikepdf
import pytest
from django.utils import translation

from portfolio.models import Programme
from reports import revision_report as reports
from tests.conftest import PLAN_SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    """The 2017 report of the loaded plan, built once for the module (a PDF takes seconds); with its HTML and the
    WeasyPrint messages logged while rendering."""
    records = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        with django_db_blocker.unblock(), translation.override("nb"):
            data = reports.gather(Programme.objects.get(slug=PLAN_SLUG), 2017, recommendations="Fortsett arbeidet.")
            html = reports.render_html(data)
            pdf = reports.render_pdf(html)
    finally:
        logger.removeHandler(handler)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        yield {"pdf": document, "html": html, "log": [r.getMessage() for r in records]}


def structure_elements(document):
    """Every structure element of the tree, in reading order (depth first)."""
    found = []

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        found.append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    for top in document.Root.StructTreeRoot.K:
        walk(top)
    return found


def test_the_pdf_is_tagged_and_marked(report):
    root = report["pdf"].Root
    assert "/StructTreeRoot" in root
    assert root.MarkInfo.Marked is True
    elements = structure_elements(report["pdf"])
    assert elements[0].S == "/Document"
    kinds = {str(e.S) for e in elements}
    assert {"/H1", "/H2", "/H3", "/P", "/Table", "/TH", "/TD", "/Figure", "/L", "/LI"} <= kinds


def test_the_pdf_declares_pdf_ua_language_and_title(report):
    document = report["pdf"]
    assert str(document.Root.Lang) in ("nb", "nb-NO")
    assert str(document.docinfo.Title) == "Rulleringsrapport 2017 – Digitalisering i Nordre Land kommune"
    assert document.Root.ViewerPreferences.DisplayDocTitle is True  # the title, not the file name, in the window
    with document.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert xmp.get("dc:title") == "Rulleringsrapport 2017 – Digitalisering i Nordre Land kommune"


def test_every_figure_has_alternative_text_with_its_figures(report):
    figures = [e for e in structure_elements(report["pdf"]) if e.S == "/Figure"]
    # Summary: status and budget (no benefit is measured in the plan: no realisation chart); the heat map; six
    # benefit charts. The fixture's organisation has no logo.
    assert len(figures) == 9
    for figure in figures:
        alt = str(figure.get("/Alt", ""))
        assert alt.strip(), "a figure without /Alt"
        assert re.search(r"[0-9]", alt), f"no figures in the alternative text: {alt}"
    alts = [str(f.Alt) for f in figures]
    assert any(a.startswith("Status for 17 hovedaktiviteter:") and "uten statusrapport 17" in a for a in alts)
    assert any("Fase 1 (2017): planlagt 2\u00a0960\u00a0000\u00a0kr" in a for a in alts)
    assert any(a.startswith("Risikokart") and "S 4 × K 5 (RF 20): 1" in a for a in alts)
    assert any("nullpunkt 180\u00a0000 kr per år" in a for a in alts)


def test_table_headers_are_marked_as_headers(report):
    elements = structure_elements(report["pdf"])
    tables = [e for e in elements if e.S == "/Table"]
    assert tables
    header_ids = {str(e.ID) for e in elements if e.S == "/TH" and "/ID" in e}
    cells = [e for e in elements if e.S == "/TD" and "/A" in e]
    # Data cells point at their headers (column headers from <th scope="col">, row headers from scope="row").
    assert sum(1 for c in cells if len(c.A.get("/Headers", [])) > 0) > len(cells) * 0.9
    assert all(str(h) in header_ids for c in cells for h in c.A.get("/Headers", []))


def test_bookmarks_list_every_section_heading(report):
    with report["pdf"].open_outline() as outline:
        titles = []

        def collect(items):
            for item in items:
                titles.append(item.title)
                collect(item.children)

        collect(outline.root)
    sections = re.findall(r'<section id="[^"]+">\s*<h2>([^<]+)</h2>', report["html"])
    assert len(sections) == 9
    for heading in sections:
        assert heading.strip() in titles
    assert "Sammendrag for politikerne" in titles and "Saker formannskapet bes ta stilling til" in titles


def test_reading_order_follows_the_pages(report):
    """Read depth first, the tree never goes back a page, and the headings come in the printed order."""
    document = report["pdf"]
    page_of = {page.objgen: number for number, page in enumerate(document.pages)}
    elements = structure_elements(document)
    content = [e for e in elements if "/Pg" in e and any(isinstance(k, int) for k in _kids(e))]
    pages = [page_of[e.Pg.objgen] for e in content]
    assert pages == sorted(pages)
    assert pages[-1] == len(document.pages) - 1  # the last page's content is in the tree too
    headings = [page_of[e.Pg.objgen] for e in elements if e.S == "/H2"]
    assert len(headings) == 10 and headings == sorted(headings)  # «Innhold» and the nine sections


def _kids(element):
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def test_weasyprint_reported_nothing_missing(report):
    """WeasyPrint logs a missing alt, a missing lang or an image it could not load: none of them."""
    assert report["log"] == []
