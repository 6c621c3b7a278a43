"""The HTML edition in a real browser at a phone's width (360 px): nothing scrolls sideways but the wide tables
in their own focusable boxes, the charts fit, and every chart is an image with its figures in the alt text."""

from pathlib import Path

import pytest

from reports import revision_report as reports

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_html_edition_reads_at_phone_width(browser, plan):
    html = reports.render_html(reports.gather(plan, 2017), edition="html")
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="nb-NO")
    page.set_content(html)
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.get_by_role("heading", name="Sammendrag for politikerne").wait_for()
    images = page.evaluate(
        "[...document.images].map(i => ({alt: i.alt, loaded: i.naturalWidth > 0,"
        " width: i.getBoundingClientRect().width}))"
    )
    assert len(images) == 9
    for image in images:
        assert image["loaded"] and image["alt"] and image["width"] <= 360
    status = page.get_by_role("img", name="Status for 17 hovedaktiviteter:", exact=False)
    assert status.is_visible()
    # A table wider than the phone scrolls inside its box, which the keyboard can reach.
    wrap = page.locator("#beslutninger .table-wrap")
    assert wrap.get_attribute("tabindex") == "0"
    assert page.evaluate("getComputedStyle(document.querySelector('#beslutninger .table-wrap')).overflowX") == "auto"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "revision-report-phone.png", full_page=False)
    page.close()
