"""WCAG 1.4.3 for the charts without a browser: every text of every chart names its fill, and that fill has at
least 4.5:1 against what is drawn behind it (3:1 for large text).

axe-core cannot tell the background of text in SVG (it reports such text as «needs review»), so the contrast of
chart text is measured here from the markup the chart functions return: the background of a text is the fill of
the topmost shape drawn before it that overlaps it, which must then hold the whole text, or else the white page.
The browser test (tests/across_apps/test_accessibility_browser.py) measures the same on the rendered pages.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from benefits import charts as benefit_charts
from common.svg import MIN_CONTRAST, MIN_CONTRAST_LARGE, WHITE, contrast_ratio, svg_message
from milestones import charts as gantt_charts
from milestones.charts import GanttRow, Marker
from risks import charts as risk_charts

SVG_NS = "{http://www.w3.org/2000/svg}"
SHAPES = {"rect", "polygon", "circle"}


def test_the_contrast_ratio_is_the_wcag_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    # The finding of issue #16: the old yellow of the heat map's labels.
    assert contrast_ratio("#8a6d00", "#fff4cc") == pytest.approx(4.47, abs=0.01)


@pytest.mark.parametrize("module", [risk_charts, gantt_charts, benefit_charts], ids=lambda m: m.__name__)
def test_every_declared_text_colour_has_enough_contrast(module):
    weak = [(fg, bg, round(contrast_ratio(fg, bg), 2)) for fg, bg in module.TEXT_ON if contrast_ratio(fg, bg) < 4.5]
    assert not weak, f"{module.__name__}: tekstfarge på bakgrunn under 4,5:1: {weak}"


@dataclass
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def holds(self, other: "Box") -> bool:
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


def shape_box(element) -> Box:
    tag = element.tag.removeprefix(SVG_NS)
    if tag == "rect":
        x, y = float(element.get("x", 0)), float(element.get("y", 0))
        return Box(x, y, x + float(element.get("width")), y + float(element.get("height")))
    if tag == "circle":
        cx, cy, r = (float(element.get(a)) for a in ("cx", "cy", "r"))
        return Box(cx - r, cy - r, cx + r, cy + r)
    xs, ys = [], []
    for pair in element.get("points").split():
        x, y = pair.split(",")
        xs.append(float(x))
        ys.append(float(y))
    return Box(min(xs), min(ys), max(xs), max(ys))


def text_box(element, font_size: float) -> Box:
    """The text's extent, estimated: 0.6 em per character (a sans-serif average), ascent 0.8 em, descent 0.2 em."""
    x, y = float(element.get("x")), float(element.get("y"))
    width = len("".join(element.itertext())) * font_size * 0.6
    left = {"middle": x - width / 2, "end": x - width}.get(element.get("text-anchor"), x)
    box = Box(left, y - 0.8 * font_size, left + width, y + 0.2 * font_size)
    rotation = re.fullmatch(r"rotate\((-?90) ([\d.]+) ([\d.]+)\)", element.get("transform", ""))
    if rotation:  # the heat map's vertical axis label: a quarter turn about (cx, cy)
        cx, cy = float(rotation[2]), float(rotation[3])
        corners = [(box.left, box.top), (box.right, box.bottom)]
        turned = [(cx - (py - cy), cy + (px - cx)) for px, py in corners]
        xs, ys = [p[0] for p in turned], [p[1] for p in turned]
        box = Box(min(xs), min(ys), max(xs), max(ys))
    return box


def measure(markup: str, default_font_size: float = 16) -> list[tuple[str, str, str, float, float]]:
    """(text, fill, background, ratio, required ratio) for every <text> of a chart; fails on text without a fill
    or on text that lies partly over a shape."""
    root = ET.fromstring(str(markup))
    font_size = float(root.get("font-size", default_font_size))
    drawn: list[tuple[Box, str]] = []  # shapes in painting order
    found = []
    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        if tag in SHAPES and element.get("fill", "none") != "none":
            drawn.append((shape_box(element), element.get("fill")))
        elif tag == "text":
            content = "".join(element.itertext())
            fill = element.get("fill")
            assert fill, f"tekst uten egen fyllfarge: «{content}»"
            size = float(element.get("font-size", font_size))
            box = text_box(element, size)
            behind = [(shape, colour) for shape, colour in drawn if shape.overlaps(box)]
            background = WHITE
            if behind:
                shape, background = behind[-1]
                assert shape.holds(box), f"«{content}» ligger delvis over en figur ({background})"
            large = size >= 24 or (size >= 18.66 and element.get("font-weight") in ("700", "bold"))
            required = MIN_CONTRAST_LARGE if large else MIN_CONTRAST
            found.append((content, fill, background, contrast_ratio(fill, background), required))
    return found


def heatmaps():
    every_band = {(5, 5): 3, (3, 3): 12, (1, 1): 1, (2, 4): 1, (4, 2): 2}
    yield risk_charts.heatmap(every_band)
    yield risk_charts.heatmap(every_band, cell_url=lambda s, k: f"/?s={s}&k={k}", selected=(3, 3), highlight=(5, 5))


def histories():
    yield risk_charts.risk_history([(date(2017, 1, 1), 20), (date(2017, 6, 1), 8), (date(2018, 1, 1), 4)])
    yield risk_charts.risk_history([(date(2017, 1, 1), 12)])
    yield risk_charts.risk_history([])


def gantts():
    rows = [
        GanttRow(
            "HA01",
            "HA01 Felles plattform",
            {1, 2, 3, 4, 5, 6},
            [Marker(date(2017, 3, 10), "MP1", "Første", overdue=True), Marker(date(2017, 5, 2), "MP12", "Andre")],
        ),
        GanttRow("HA02", "HA02 Velferd", {2, 3, 9, 10}, [Marker(date(2017, 9, 20), "MP3", "Tredje")]),
        GanttRow("HA03", "HA03 Skole", set(), [Marker(date(2017, 12, 1), "MP4", "Fjerde", overdue=True)]),
    ]
    points = [
        Marker(date(2017, 2, 1), "BP1", "Vedtak", overdue=True),
        Marker(date(2017, 2, 1), "BP2", "Samme dag"),
        Marker(date(2017, 11, 15), "BP3", "Senere"),
    ]
    yield gantt_charts.gantt(2017, rows, points, today=date(2017, 8, 15))
    yield gantt_charts.gantt(2017, rows, points, today=date(2020, 1, 1))
    yield gantt_charts.gantt(2017, [], [])


def trajectories():
    yield benefit_charts.trajectory_svg(
        baseline=(date(2017, 1, 1), Decimal(60)),
        target=(date(2019, 12, 31), Decimal(35)),
        measurements=[(date(2017, 10, 1), Decimal("58.5")), (date(2018, 10, 1), Decimal(47))],
        unit="timer per uke",
        title="Tid brukt på manuelle rutiner",
    )
    yield benefit_charts.trajectory_svg(
        baseline=None, target=None, measurements=[(date(2018, 1, 1), Decimal(-1780))], unit="kr"
    )


CHARTS = {
    "heatmap": heatmaps,
    "risk_history": histories,
    "gantt": gantts,
    "trajectory": trajectories,
    "empty": lambda: [svg_message("Ingen data.", width=200, height=40, title="Tom")],
}
DECLARED = {
    "heatmap": risk_charts.TEXT_ON,
    "risk_history": risk_charts.TEXT_ON,
    "gantt": gantt_charts.TEXT_ON,
    "trajectory": benefit_charts.TEXT_ON,
    "empty": [],
}


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_text_is_legible_against_what_is_behind_it(chart):
    measured = [m for markup in CHARTS[chart]() for m in measure(markup)]
    assert measured, chart
    weak = [f"«{t}» {fill} på {bg}: {ratio:.2f}:1" for t, fill, bg, ratio, need in measured if ratio < need]
    assert not weak, f"{chart}: for lav kontrast:\n" + "\n".join(weak)


@pytest.mark.parametrize("chart", [name for name in CHARTS if DECLARED[name]])
def test_every_colour_pair_a_chart_draws_is_declared(chart):
    """TEXT_ON lists what the chart module draws, so that the declared pairs above cover every real one."""
    drawn = {(fill.lower(), bg.lower()) for markup in CHARTS[chart]() for _t, fill, bg, _r, _n in measure(markup)}
    declared = {(fg.lower(), bg.lower()) for fg, bg in DECLARED[chart]}
    assert drawn <= declared, f"{chart}: ikke oppført i TEXT_ON: {sorted(drawn - declared)}"


def test_the_yellow_heat_map_labels_now_pass():
    measured = measure(risk_charts.heatmap({(2, 4): 1}))
    yellow = [m for m in measured if m[2] == risk_charts.BAND_COLOURS[risk_charts.Band.MEDIUM][0]]
    assert yellow and all(ratio >= 4.5 for *_rest, ratio, _need in yellow)


def test_every_chart_is_an_image_or_a_group_with_a_title_and_a_description():
    for chart, make in CHARTS.items():
        for markup in make():
            root = ET.fromstring(str(markup))
            assert root.get("role") in ("img", "group") and root.get("aria-label"), chart
            assert root.find(f"{SVG_NS}title") is not None, chart
            if chart != "empty" and "Ingen" not in root.get("aria-label"):
                desc = root.find(f"{SVG_NS}desc")
                assert desc is not None and desc.text, chart
