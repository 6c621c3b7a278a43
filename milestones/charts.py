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

from common.svg import BLUE, INK, RED, svg
from portfolio.models import MONTH_NAMES

LABEL_W = 150
COL = 44
ROW = 22
HEAD = 24
BAR = BLUE
MARK = INK


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
    return format_html(
        '<g class="marker{}" data-code="{}"><title>{}</title><polygon points="{}" fill="{}" stroke="#fff"/>'
        '<text x="{}" y="{}" font-size="9" fill="{}">{}</text></g>',
        " overdue" if marker.overdue else "",
        marker.code,
        title,
        points,
        colour,
        f"{x + 8:.1f}",
        f"{cy - 3 + 9 * stack:.1f}",
        colour,
        marker.code,
    )


def gantt(year: int, rows: list[GanttRow], decision_points: list[Marker], today: date | None = None) -> SafeString:
    """Render one phase's schedule. `rows` are the activities; `decision_points` go on the top row."""
    width = LABEL_W + 12 * COL + 40
    body_top = HEAD + ROW  # the first row holds the decision points
    height = body_top + ROW * len(rows) + 8
    head = format_html_join(
        "",
        '<text x="{}" y="16" text-anchor="middle" font-size="11">{}</text>',
        [(LABEL_W + (m - 0.5) * COL, MONTH_NAMES[m - 1]) for m in range(1, 13)],
    )
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e3e3e3"/>',
        [(LABEL_W + m * COL, LABEL_W + m * COL, HEAD, height - 8) for m in range(13)],
    )
    parts = [
        format_html(
            '<text x="4" y="{}" font-size="11" font-style="italic">{}</text>',
            HEAD + ROW - 7,
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
                '<text x="4" y="{}" font-size="11">{}</text>{}</g>',
                row.label,
                months,
                row.title,
                width,
                y + ROW,
                y + ROW,
                y + ROW - 7,
                row.label,
                bars,
            )
        )
        parts += [_marker(m, y + ROW / 2, "diamond") for m in row.markers if m.day.year == year]
    if today and today.year == year:
        x = f"{x_of(today):.1f}"
        parts.append(
            format_html(
                '<g class="today"><title>{}</title><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-width="2" stroke-dasharray="5 3"/><text x="{}" y="{}" font-size="10" fill="{}">{}</text></g>',
                _("I dag %(date)s") % {"date": today.strftime("%d.%m.%Y")},
                x,
                x,
                HEAD - 4,
                height - 8,
                RED,
                x,
                HEAD - 6,
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
    return svg(body, width=width, height=height, title=title, css_class="gantt-chart")
