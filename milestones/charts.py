"""The schedule as a Gantt chart for one phase (a calendar year): activities as rows, months as columns.

Milestones (diamonds) sit on their activity's row, decision points (triangles) on a row of their own at the
top, and a dashed line marks today when it falls in the year. Every mark carries a <title> and a code
label, and overdue marks are red with "forfalt" in the title, so colour is never the only carrier.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.svg import BLUE, INK, RED, WHITE, svg
from portfolio.models import MONTH_NAMES

LABEL_W = 150
COL = 44
ROW = 22
HEAD = 24
BAR = BLUE
MARK = INK
LABEL_H = 11  # the white box behind a marker's code label (font-size 9), so the label never sits on a bar
# Every text colour of the Gantt chart with what it is drawn on (tests/accessibility/test_chart_contrast.py).
TEXT_ON = [(INK, WHITE), (RED, WHITE)]


@dataclass
class Marker:
    day: date
    code: str
    title: str
    overdue: bool = False


@dataclass
class GanttRow:
    label: str
    title: str
    months: set[int] = field(default_factory=set)
    markers: list[Marker] = field(default_factory=list)


def x_of(day: date) -> float:
    """Horizontal position of a day within its year: month column plus the fraction of the month."""
    days = calendar.monthrange(day.year, day.month)[1]
    return LABEL_W + (day.month - 1 + (day.day - 1) / days) * COL


def _bars(months: set[int], y: float) -> list[tuple]:
    """Consecutive months drawn as one bar each (fewer shapes, and a run reads as a run)."""
    runs, start = [], None
    for m in range(1, 14):
        if m in months and start is None:
            start = m
        elif m not in months and start is not None:
            runs.append((start, m - 1))
            start = None
    return [(LABEL_W + (a - 1) * COL + 1, y + 5, (b - a + 1) * COL - 2, ROW - 10) for a, b in runs]


def _marker(marker: Marker, cy: float, shape: str, stack: int = 0) -> SafeString:
    """One marker; `stack` > 0 lifts the code label of a marker that shares its day with earlier ones."""
    x = x_of(marker.day)
    colour = RED if marker.overdue else MARK
    state = _(" – forfalt") if marker.overdue else ""
    title = f"{marker.code} {marker.title} ({marker.day:%d.%m.%Y}){state}"
    if shape == "diamond":
        points = f"{x:.1f},{cy - 7:.1f} {x + 7:.1f},{cy:.1f} {x:.1f},{cy + 7:.1f} {x - 7:.1f},{cy:.1f}"
    else:
        points = f"{x - 7:.1f},{cy - 6:.1f} {x + 7:.1f},{cy - 6:.1f} {x:.1f},{cy + 7:.1f}"
    baseline = cy - 3 + 9 * stack
    return format_html(
        '<g class="marker{}" data-code="{}"><title>{}</title><polygon points="{}" fill="{}" stroke="#fff"/>'
        '<rect class="label-box" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" font-size="9" fill="{}">{}</text></g>',
        " overdue" if marker.overdue else "",
        marker.code,
        title,
        points,
        colour,
        f"{x + 7.5:.1f}",
        f"{baseline - 8.5:.1f}",
        f"{label_width(marker.code, 9) + 1:.1f}",
        LABEL_H,
        WHITE,
        f"{x + 8:.1f}",
        f"{baseline:.1f}",
        colour,
        marker.code,
    )


def label_width(text: str, font_size: float) -> float:
    """A generous width of `text` in a sans-serif font: 0.75 em per character covers digits and most capitals
    (DejaVu Sans: digits 0.64 em, "M" 0.86 em), so the white box lies under the whole label."""
    return len(text) * font_size * 0.75


def gantt(year: int, rows: list[GanttRow], decision_points: list[Marker], today: date | None = None) -> SafeString:
    """Render one phase's schedule. `rows` are the activities; `decision_points` go on the top row."""
    width = LABEL_W + 12 * COL + 40
    body_top = HEAD + ROW  # the first row holds the decision points
    today_in_year = bool(today and today.year == year)
    bottom = height = body_top + ROW * len(rows) + 8
    if today_in_year:
        height += 14  # the "today" label goes under the chart, clear of the month names
    head = format_html_join(
        "",
        '<text x="{}" y="16" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        [(LABEL_W + (m - 0.5) * COL, INK, MONTH_NAMES[m - 1]) for m in range(1, 13)],
    )
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e3e3e3"/>',
        [(LABEL_W + m * COL, LABEL_W + m * COL, HEAD, bottom - 8) for m in range(13)],
    )
    parts = [
        format_html(
            '<text x="4" y="{}" font-size="11" font-style="italic" fill="{}">{}</text>',
            HEAD + ROW - 7,
            INK,
            _("Beslutningspunkter"),
        )
    ]
    seen: dict[date, int] = {}
    for point in sorted((m for m in decision_points if m.day.year == year), key=lambda m: (m.day, m.code)):
        parts.append(_marker(point, HEAD + ROW / 2, "triangle", seen.get(point.day, 0)))
        seen[point.day] = seen.get(point.day, 0) + 1
    for i, row in enumerate(rows):
        y = body_top + i * ROW
        bars = format_html_join(
            "",
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}" rx="2" fill="' + BAR + '"/>',
            _bars(row.months, y),
        )
        months = " ".join(str(m) for m in sorted(row.months))
        parts.append(
            format_html(
                '<g class="gantt-row" data-label="{}" data-months="{}"><title>{}</title>'
                '<line x1="0" x2="{}" y1="{}" y2="{}" stroke="#f0f0f0"/>'
                '<text x="4" y="{}" font-size="11" fill="{}">{}</text>{}</g>',
                row.label,
                months,
                row.title,
                width,
                y + ROW,
                y + ROW,
                y + ROW - 7,
                INK,
                row.label,
                bars,
            )
        )
        parts += [_marker(m, y + ROW / 2, "diamond") for m in row.markers if m.day.year == year]
    if today_in_year:
        x = f"{x_of(today):.1f}"
        parts.append(
            format_html(
                '<g class="today"><title>{}</title><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-width="2" stroke-dasharray="5 3"/>'
                '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text></g>',
                _("I dag %(date)s") % {"date": today.strftime("%d.%m.%Y")},
                x,
                x,
                HEAD - 4,
                bottom - 8,
                RED,
                x,
                height - 4,
                RED,
                _("i dag"),
            )
        )
    body = format_html(
        "{head}{grid}{parts}",
        head=head,
        grid=grid,
        parts=mark_safe("".join(parts)),  # noqa: S308 - each part is built with format_html
    )
    title = _("Tidsplan %(year)s: aktiviteter per måned med milepæler og beslutningspunkter") % {"year": year}
    markers = [m for row in rows for m in row.markers if m.day.year == year]
    points = [m for m in decision_points if m.day.year == year]
    desc = _(
        "%(activities)s aktiviteter, %(milestones)s milepæler (%(overdue)s forfalt) og %(points)s beslutningspunkter."
    ) % {
        "activities": len(rows),
        "milestones": len(markers),
        "overdue": sum(m.overdue for m in markers),
        "points": len(points),
    }
    return svg(body, width=width, height=height, title=title, desc=desc, css_class="gantt-chart")
