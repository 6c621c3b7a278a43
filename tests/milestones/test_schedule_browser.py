"""In a real browser at phone width: the schedule's timeline scrolls inside its box, never the page, and the
activities' names stay in view while it scrolls."""

from pathlib import Path

import pytest
from django.urls import reverse

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def test_the_timeline_scrolls_in_its_box_with_the_names_in_view(browser, live_server, committed_plan):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{reverse('schedule', args=[committed_plan.slug])}")
    assert page.get_by_text("Rull sideveis for å se hele tidslinjen.").is_visible()
    # The page itself is no wider than the phone; the timeline is, inside its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".gantt-wrap")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth + 200")
    name = page.locator("tr.gantt-row th.gantt-name").first
    before = name.bounding_box()["x"]
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert name.bounding_box()["x"] == pytest.approx(before, abs=1)  # the name column stays put
    assert name.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "schedule-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    box.evaluate("el => { el.scrollLeft = 0; }")
    page.screenshot(path=ARTIFACTS / "schedule-desktop.png", full_page=True)
    page.close()
