"""The schedule as one timeline for the whole programme period: activities as rows, months as columns.

An HTML table, not SVG: every name, month and mark is text that screen readers reach through the table's
headers and that axe-core can check for contrast (it cannot tell the background of SVG text, axe-core issue
#1819); WeasyPrint draws tables too. Consecutive planned months are one bar (a cell spanning them) carrying the
activity's code; milestones (◆) sit in their month on their activity's row, decision points (▼) and the
programme's own milestones on a row of their own at the top. Overdue marks are red and say «forfalt», so colour
is never the only carrier; `schedule_text` gives the same as a list.
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.svg import BLUE, INK, RED, WHITE
from portfolio.models import MONTH_NAMES

Month = tuple[int, int]  # (year, month)
BAR = BLUE  # app.css .gantt-chart td.bar: the bar, with its code in WHITE
RED_BG = "#fde7e6"  # an overdue mark: RED on this, with a red border
# Every text colour of the schedule with what it is drawn on (tests/accessibility/test_chart_contrast.py checks
# the ratios, and that app.css uses these colours).
TEXT_ON = [(INK, WHITE), (WHITE, BAR), (RED, RED_BG), (RED, WHITE)]


@dataclass
class Marker:
    day: date
    code: str
    title: str
    overdue: bool = False

    @property
    def month(self) -> Month:
        return (self.day.year, self.day.month)

    @property
    def description(self) -> str:
        state = _(" – forfalt") if self.overdue else ""
        return f"{self.code} {self.title} ({self.day:%d.%m.%Y}){state}"


@dataclass
class GanttRow:
    label: str  # the activity's code, on its bars
    title: str  # code and name, in the first column
    months: set[Month] = field(default_factory=set)
    markers: list[Marker] = field(default_factory=list)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from `first` to `last`, both included."""
    (y, m), out = first, []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline(start: date, end: date, rows: list[GanttRow], points: list[Marker]) -> list[Month]:
    """The months of the programme period, widened to any planned month or mark that falls outside it."""
    found = [m for row in rows for m in row.months] + [k.month for row in rows for k in row.markers]
    found += [p.month for p in points]
    return months_between(min([(start.year, start.month), *found]), max([(end.year, end.month), *found]))


def month_name(month: Month) -> str:
    return f"{MONTH_NAMES[month[1] - 1]} {month[0]}"


def period_text(months: set[Month]) -> str:
    """Planned months as periods, «jan 2017–mar 2017, jun 2017»; empty when none are planned."""
    ordered = sorted(months)
    runs: list[list[Month]] = []
    for month in ordered:
        if runs and months_between(runs[-1][-1], month)[1:] == [month]:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(
        month_name(run[0]) if len(run) == 1 else f"{month_name(run[0])}–{month_name(run[-1])}" for run in runs
    )


def _mark(marker: Marker, symbol: str) -> SafeString:
    # The code is visible; title, date and «forfalt» follow as text for screen readers (and in `schedule_text`).
    return format_html(
        '<span class="mark{}" data-code="{}" title="{}">{} {}<span class="visually-hidden">: {}</span></span>',
        " overdue" if marker.overdue else "",
        marker.code,
        marker.description,
        symbol,
        marker.code,
        marker.description,
    )


def _cells(months: list[Month], on: set[Month], marks: dict[Month, SafeString], today: Month | None, label: str):
    """A row's cells: a month with a mark, or today's month, gets a cell of its own; the months between are
    joined into one cell per run of planned (a bar) or unplanned months. The first bar cell of a run carries
    `label` (a table cell widens to its text, so the label never spills onto the white beside the bar)."""
    cells, previous_on = [], False

    def single(m: Month) -> bool:
        return m in marks or m == today

    for (is_single, is_on), group in groupby(months, key=lambda m: (single(m), m in on)):
        group = list(group)
        chunks = [[m] for m in group] if is_single else [group]
        for chunk in chunks:
            classes = (["bar"] if is_on else []) + (["today"] if chunk[0] == today else [])
            content = marks.get(chunk[0], "") if is_single else ""
            if is_on and not previous_on and not content and label:
                content = format_html('<span class="bar-label">{}</span>', label)
            cells.append(
                format_html(
                    "<td{}{}>{}</td>",
                    format_html(' class="{}"', " ".join(classes)) if classes else "",
                    format_html(' colspan="{}"', len(chunk)) if len(chunk) > 1 else "",
                    content,
                )
            )
            previous_on = is_on
    return mark_safe("".join(cells))  # noqa: S308 - every cell is built with format_html


def gantt(months: list[Month], rows: list[GanttRow], decision_points: list[Marker], today: date | None = None):
    """The schedule over `months` (consecutive, from `timeline`): `rows` are the activities, `decision_points`
    (and the programme's own milestones) go on the top row. Marks outside `months` are left out."""
    shown = set(months)
    current = (today.year, today.month) if today and (today.year, today.month) in shown else None
    years = format_html_join(
        "",
        '<th scope="colgroup" colspan="{}" class="gantt-year">{}</th>',
        ((len(list(group)), year) for year, group in groupby(months, key=lambda m: m[0])),
    )
    heads = format_html_join(
        "",
        '<th scope="col" class="gantt-month{}" abbr="{}">{}{}</th>',
        (
            (
                " today" if m == current else "",
                month_name(m),
                MONTH_NAMES[m[1] - 1],
                format_html('<span class="today-label">{}</span>', _("i dag")) if m == current else "",
            )
            for m in months
        ),
    )

    def marks(markers: list[Marker], symbol: str) -> dict[Month, SafeString]:
        by_month: dict[Month, list[Marker]] = {}
        for marker in sorted(markers, key=lambda k: (k.day, k.code)):
            if marker.month in shown:
                by_month.setdefault(marker.month, []).append(marker)
        return {m: mark_safe("".join(_mark(k, symbol) for k in ks)) for m, ks in by_month.items()}  # noqa: S308

    body = [
        format_html(
            '<tr class="gantt-points"><th scope="row" class="gantt-name">{}</th>{}</tr>',
            _("Beslutningspunkter"),
            _cells(months, set(), marks(decision_points, "▼"), current, ""),
        )
    ]
    for row in rows:
        body.append(
            format_html(
                '<tr class="gantt-row" data-label="{}" data-months="{}"><th scope="row" class="gantt-name">{}</th>'
                "{}</tr>",
                row.label,
                " ".join(f"{y}-{m:02d}" for y, m in sorted(row.months)),
                row.title,
                _cells(months, row.months, marks(row.markers, "◆"), current, row.label),
            )
        )
    # A short caption: the table is wider than a phone and its caption as wide, so a long one would be cut off
    # by the scrolling box (the figures are in `gantt_summary`, above the box).
    caption = _("Tidsplan %(first)s–%(last)s") % {"first": month_name(months[0]), "last": month_name(months[-1])}
    return format_html(
        '<table class="gantt-chart"><caption>{}</caption><thead><tr>'
        '<th scope="col" rowspan="2" class="gantt-name">{}</th>{}</tr><tr>{}</tr></thead><tbody>{}</tbody></table>',
        caption,
        _("Hovedaktivitet"),
        years,
        heads,
        mark_safe("".join(body)),  # noqa: S308 - every row is built with format_html
    )


def gantt_summary(months: list[Month], rows: list[GanttRow], decision_points: list[Marker]) -> str:
    """The timeline's figures in one sentence."""
    shown = set(months)
    markers = [k for row in rows for k in row.markers if k.month in shown]
    return _(
        "%(activities)s aktiviteter, %(milestones)s milepæler (%(overdue)s forfalt) og %(points)s beslutningspunkter "
        "fra %(first)s til %(last)s."
    ) % {
        "activities": len(rows),
        "milestones": len(markers),
        "overdue": sum(k.overdue for k in markers),
        "points": sum(p.month in shown for p in decision_points),
        "first": month_name(months[0]),
        "last": month_name(months[-1]),
    }


def schedule_text(rows: list[GanttRow], decision_points: list[Marker]) -> SafeString:
    """The schedule in words: each activity's planned periods and milestones, then the decision points."""
    items = []
    for row in rows:
        parts = [period_text(row.months) or _("ingen måneder planlagt")]
        parts += [k.description for k in sorted(row.markers, key=lambda k: k.day)]
        items.append(format_html("<li><strong>{}</strong>: {}</li>", row.title, "; ".join(parts)))
    points = "; ".join(p.description for p in sorted(decision_points, key=lambda p: (p.day, p.code)))
    if points:
        items.insert(0, format_html("<li><strong>{}</strong>: {}</li>", _("Beslutningspunkter"), points))
    return format_html('<ul class="schedule-text">{}</ul>', mark_safe("".join(items)))  # noqa: S308
