"""WCAG 1.4.3 for the charts without a browser.

The pages' charts draw no text in SVG (axe-core cannot tell the background of SVG text and reports it as «needs
review», axe-core issue #1819): their words are HTML, coloured by app.css, and the browser test
(tests/across_apps/test_accessibility_browser.py) has axe-core decide each one. Here: no page chart has an SVG
<text>, every colour pair app.css paints on the charts is declared in a chart module's TEXT_ON, and every declared
pair has at least 4.5:1.

The revision report shows its charts as images with alternative text, which draw their labels inside the SVG.
Those are measured from the markup: every text names its fill, and the background of a text is the fill of the
topmost shape drawn before it that overlaps it, which must then hold the whole text, or else the white page.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from benefits import charts as benefit_charts
from common.svg import MIN_CONTRAST, MIN_CONTRAST_LARGE, WHITE, contrast_ratio
from milestones import charts as gantt_charts
from milestones.charts import GanttRow, Marker, months_between
from reports import charts as report_charts
from risks import charts as risk_charts

APP_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"

SVG_NS = "{http://www.w3.org/2000/svg}"
SHAPES = {"rect", "polygon", "circle"}


def test_the_contrast_ratio_is_the_wcag_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    # The finding of issue #16: the old yellow of the heat map's labels.
    assert contrast_ratio("#8a6d00", "#fff4cc") == pytest.approx(4.47, abs=0.01)


@pytest.mark.parametrize("module", [risk_charts, gantt_charts, benefit_charts, report_charts], ids=lambda m: m.__name__)
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


# The pages' charts: HTML, or an SVG drawing with its words in HTML around it.


def trajectory_data():
    return {
        "baseline": (date(2017, 1, 1), Decimal(60)),
        "target": (date(2019, 12, 31), Decimal(35)),
        "measurements": [(date(2017, 10, 1), Decimal("58.5")), (date(2018, 10, 1), Decimal(47))],
        "unit": "timer per uke",
        "title": "Tid brukt på manuelle rutiner",
    }


def gantt_rows():
    rows = [
        GanttRow(
            "HA01",
            "HA01 Felles plattform",
            {(2017, m) for m in range(1, 7)},
            [Marker(date(2017, 3, 10), "MP1", "Første", overdue=True), Marker(date(2017, 5, 2), "MP12", "Andre")],
        ),
        GanttRow("HA02", "HA02 Velferd", {(2017, m) for m in (2, 3, 9, 10)}, [Marker(date(2017, 9, 20), "MP3", "x")]),
    ]
    points = [Marker(date(2016, 12, 20), "BP1", "Vedtak", overdue=True), Marker(date(2017, 2, 1), "BP2", "Samme")]
    return rows, points


def page_charts():
    every_band = {(5, 5): 3, (3, 3): 12, (1, 1): 1, (2, 4): 1, (4, 2): 2}
    rows, points = gantt_rows()
    return {
        "heatmap": risk_charts.heatmap(every_band, cell_url=lambda s, k: f"/?s={s}&k={k}", selected=(3, 3)),
        "risk_history": risk_charts.risk_history([(date(2017, 1, 1), 20), (date(2018, 1, 1), 4)]),
        "trajectory": benefit_charts.trajectory_figure(**trajectory_data()),
        "gantt": gantt_charts.gantt(months_between((2016, 11), (2017, 12)), rows, points, today=date(2017, 3, 1)),
    }


@pytest.mark.parametrize("chart", ["heatmap", "risk_history", "trajectory", "gantt"])
def test_no_page_chart_draws_text_in_svg(chart):
    markup = str(page_charts()[chart])
    assert "<text" not in markup, chart
    for drawing in re.findall(r"<svg.*?</svg>", markup, flags=re.S):
        root = ET.fromstring(drawing)
        assert root.get("role") == "img" and root.get("aria-label"), chart
        assert root.find(f"{SVG_NS}title") is not None and root.find(f"{SVG_NS}desc") is not None, chart
    # The words are there, as HTML.
    words = {"heatmap": "Konsekvens (K)", "risk_history": "01.01.2018", "trajectory": "timer per uke", "gantt": "BP1"}
    assert words[chart] in markup


def chart_css_pairs() -> set[tuple[str, str]]:
    """(text colour, background) of every rule of app.css's chart section that sets a colour; a rule without a
    background of its own sits on the white page or on a cell whose rule is listed too."""
    css = APP_CSS.read_text(encoding="utf-8")
    section = css[css.index("/* Charts (") : css.index("/* End of the charts. */")]
    pairs = set()
    for _selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", section):
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        if not colour:
            continue
        background = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})", body)
        pairs.add((colour[1].lower(), background[1].lower() if background else WHITE))
    return pairs


def test_every_colour_pair_app_css_paints_on_the_charts_is_declared_and_legible():
    declared = {
        (fg.lower(), bg.lower()) for module in (risk_charts, gantt_charts, benefit_charts) for fg, bg in module.TEXT_ON
    }
    painted = chart_css_pairs()
    assert len(painted) >= 5
    assert painted <= declared, f"ikke oppført i TEXT_ON: {sorted(painted - declared)}"
    weak = [(fg, bg, round(contrast_ratio(fg, bg), 2)) for fg, bg in painted if contrast_ratio(fg, bg) < MIN_CONTRAST]
    assert not weak


# The report's images: SVG with its labels inside, measured from the markup.


def heatmaps():
    every_band = {(5, 5): 3, (3, 3): 12, (1, 1): 1, (2, 4): 1, (4, 2): 2}
    yield risk_charts.heatmap_svg(every_band)
    yield risk_charts.heatmap_svg({})


def trajectories():
    yield benefit_charts.trajectory_svg(**trajectory_data())
    yield benefit_charts.trajectory_svg(
        baseline=None, target=None, measurements=[(date(2018, 1, 1), Decimal(-1780))], unit="kr"
    )


def summaries():
    yield report_charts.status_chart(
        [("green", "Grønn", 3), ("red", "Rød", 1), ("none", "Uten statusrapport", 13)], 17
    )[0]
    yield report_charts.budget_chart([{"label": "Fase 1", "planned": Decimal(2960000), "actual": None}])[0]
    yield report_charts.benefits_chart([{"label": "Tid", "percent": Decimal(40)}, {"label": "Kr", "percent": None}])[0]


CHARTS = {"heatmap": heatmaps, "trajectory": trajectories, "summary": summaries}
DECLARED = {
    "heatmap": risk_charts.TEXT_ON,
    "trajectory": benefit_charts.TEXT_ON,
    "summary": report_charts.TEXT_ON,
}


@pytest.mark.parametrize("chart", CHARTS)
def test_every_report_chart_text_is_legible_against_what_is_behind_it(chart):
    measured = [m for markup in CHARTS[chart]() for m in measure(markup)]
    assert measured, chart
    weak = [f"«{t}» {fill} på {bg}: {ratio:.2f}:1" for t, fill, bg, ratio, need in measured if ratio < need]
    assert not weak, f"{chart}: for lav kontrast:\n" + "\n".join(weak)


@pytest.mark.parametrize("chart", CHARTS)
def test_every_colour_pair_a_report_chart_draws_is_declared(chart):
    """TEXT_ON lists what the chart module draws, so that the declared pairs above cover every real one."""
    drawn = {(fill.lower(), bg.lower()) for markup in CHARTS[chart]() for _t, fill, bg, _r, _n in measure(markup)}
    declared = {(fg.lower(), bg.lower()) for fg, bg in DECLARED[chart]}
    assert drawn <= declared, f"{chart}: ikke oppført i TEXT_ON: {sorted(drawn - declared)}"


def test_the_yellow_heat_map_labels_now_pass():
    measured = measure(risk_charts.heatmap_svg({(2, 4): 1}))
    yellow = [m for m in measured if m[2] == risk_charts.BAND_COLOURS[risk_charts.Band.MEDIUM][0]]
    assert yellow and all(ratio >= 4.5 for *_rest, ratio, _need in yellow)


def test_every_report_chart_is_an_image_with_a_title():
    for chart, make in CHARTS.items():
        for markup in make():
            root = ET.fromstring(str(markup))
            assert root.get("role") == "img" and root.get("aria-label"), chart
            assert root.find(f"{SVG_NS}title") is not None, chart
