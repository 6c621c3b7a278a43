"""Planned trajectory (baseline → target, a straight line) against measured values.

`trajectory_figure` is the benefit page's chart: an SVG of lines and dots only, with its axis range, dates and
legend as HTML around it, so that axe-core decides the contrast of every word (it cannot tell the background of
SVG text, axe-core issue #1819); the page's table lists every measurement. `trajectory_svg` draws the same with
its labels inside the picture, for the revision report, which shows it as an image with alternative text.
No JavaScript, no external styles; the chart reads without colour (dashed planned line, legend in words).
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.formatting import number
from common.svg import BLUE, INK, MUTED, WHITE, svg

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 40
PLANNED_COLOUR = MUTED
MEASURED_COLOUR = BLUE
# Every text colour of the chart with what it is drawn on (tests/accessibility/test_chart_contrast.py).
TEXT_ON = [(INK, WHITE), (PLANNED_COLOUR, WHITE), (MEASURED_COLOUR, WHITE)]


def _fmt(value) -> str:
    # The one number format of pages, charts and the report (true minus, no-break thousands).
    return number(value)


def _ranges(all_points) -> tuple[int, int, Decimal, Decimal]:
    """The chart's date range (as ordinals) and value range of `all_points`."""
    days = [p[0].toordinal() for p in all_points]
    values = [Decimal(p[1]) for p in all_points]
    d_min, d_max = min(days), max(days)
    if d_min == d_max:
        d_min, d_max = d_min - 15, d_max + 15
    # Value axis starts at zero for non-negative data so changes are not exaggerated.
    v_min, v_max = min(min(values), Decimal(0)), max(values)
    if v_min == v_max:
        v_max = v_min + 1
    return d_min, d_max, v_min, v_max


def _planned(baseline, target) -> list:
    return [p for p in (baseline, target) if p is not None and p[0] is not None and p[1] is not None]


def trajectory_svg(
    *,
    baseline: tuple[date, Decimal] | None,
    target: tuple[date, Decimal] | None,
    measurements: Sequence[tuple[date, Decimal]],
    unit: str = "",
    title: str = "",
    labels: bool = True,
) -> SafeString:
    """SVG of the planned line from baseline to target and the measured values over time.

    Without `labels` the SVG holds no text at all (`trajectory_figure` sets it around the drawing as HTML).
    Returns a short text in a <p> when there is nothing to draw (no baseline/target and no measurements).
    """
    points = _planned(baseline, target)
    all_points = points + list(measurements)
    if not all_points:
        return format_html('<p class="muted">{}</p>', _("Ingen nullpunkt, mål eller målinger å vise ennå."))
    d_min, d_max, v_min, v_max = _ranges(all_points)
    left, right, top, bottom = (LEFT, RIGHT, TOP, BOTTOM) if labels else (2, 8, 8, 8)
    height = HEIGHT if labels else 220
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    def x(day: date) -> float:
        return round(left + (day.toordinal() - d_min) / (d_max - d_min) * plot_w, 1)

    def y(value) -> float:
        return round(top + float((v_max - Decimal(value)) / (v_max - v_min)) * plot_h, 1)

    def above(value) -> float:
        return y(value) - 8 if y(value) > top + 12 else y(value) + 16

    label = title or _("Planlagt utvikling og målte verdier")
    parts = [
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/><line x1="{l}" y1="{t}" x2="{l}" y2="{b}" '
            'stroke="#999"/>',
            l=left,
            r=WIDTH - right,
            t=top,
            b=height - bottom,
        )
    ]
    if labels:
        # The axes' range, the unit and the legend (on the page: HTML, see trajectory_figure).
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{ink}">{}</text>'
                '<text x="{}" y="{}" text-anchor="end" fill="{ink}">{}</text>'
                '<text x="{}" y="{}" fill="{ink}">{}</text>'
                '<text x="{}" y="{}" text-anchor="end" fill="{ink}">{}</text>',
                left - 6,
                y(v_max) + 4,
                _fmt(v_max),
                left - 6,
                y(v_min) + 4,
                _fmt(v_min),
                left,
                height - bottom + 16,
                date.fromordinal(d_min).strftime("%m.%Y"),
                WIDTH - right,
                height - bottom + 16,
                date.fromordinal(d_max).strftime("%m.%Y"),
                ink=INK,
            )
        )
        if unit:
            parts.append(format_html('<text x="{}" y="{}" fill="{}">{}</text>', 4, top - 6, INK, unit))
        legend_y = height - 8
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>'
                '<text x="{}" y="{}" fill="{ink}">{}</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>'
                '<text x="{}" y="{}" fill="{ink}">{}</text>',
                left,
                legend_y - 4,
                left + 24,
                legend_y - 4,
                PLANNED_COLOUR,
                left + 30,
                legend_y,
                _("planlagt"),
                left + 120,
                legend_y - 4,
                left + 144,
                legend_y - 4,
                MEASURED_COLOUR,
                left + 150,
                legend_y,
                _("målt"),
                ink=INK,
            )
        )
    if len(points) == 2:
        (d0, v0), (d1, v1) = points
        parts.append(
            format_html(
                '<line class="planned" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="6 4"><title>{}</title></line>',
                x(d0),
                y(v0),
                x(d1),
                y(v1),
                PLANNED_COLOUR,
                _("Planlagt: fra {baseline} til {target}").format(baseline=_fmt(v0), target=_fmt(v1)),
            )
        )
        if labels:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                    x(d1),
                    above(v1),
                    PLANNED_COLOUR,
                    _("Mål {value}").format(value=_fmt(v1)),
                )
            )
    if measurements:
        coords = " ".join(f"{x(d)},{y(v)}" for d, v in measurements)
        parts.append(
            format_html(
                '<polyline class="measured" points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                coords,
                MEASURED_COLOUR,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle class="measurement" cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>',
                ((x(d), y(v), MEASURED_COLOUR, d.strftime("%d.%m.%Y"), _fmt(v)) for d, v in measurements),
            )
        )
        if labels:
            parts.append(
                format_html_join(
                    "",
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    ((x(d), above(v), MEASURED_COLOUR, _fmt(v)) for d, v in measurements),
                )
            )
    body = mark_safe("".join(parts))  # noqa: S308 - every part is built with format_html
    return svg(
        body,
        width=WIDTH,
        height=height,
        title=label,
        desc=_describe(points, measurements),
        css_class="chart trajectory",
        fluid=True,
        text_attributes=labels,
    )


def _describe(points, measurements) -> str:
    """What the chart shows, with its figures, for screen readers."""
    sentences = []
    if len(points) == 2:
        sentences.append(
            _("Planlagt fra {baseline} til {target}.").format(baseline=_fmt(points[0][1]), target=_fmt(points[1][1]))
        )
    if measurements:
        measured = ", ".join(f"{d.strftime('%d.%m.%Y')}: {_fmt(v)}" for d, v in measurements)
        sentences.append(_("Målt: {values}.").format(values=measured))
    return " ".join(sentences)


def trajectory_figure(
    *,
    baseline: tuple[date, Decimal] | None,
    target: tuple[date, Decimal] | None,
    measurements: Sequence[tuple[date, Decimal]],
    unit: str = "",
    title: str = "",
) -> SafeString:
    """The benefit page's chart: the drawing without text, and its unit, value range, dates and legend in HTML
    around it (top value at the top, bottom value at the bottom, first and last date under the ends)."""
    drawing = trajectory_svg(
        baseline=baseline, target=target, measurements=measurements, unit=unit, title=title, labels=False
    )
    points = _planned(baseline, target)
    all_points = points + list(measurements)
    if not all_points:
        return drawing  # the short text saying there is nothing to draw
    d_min, d_max, v_min, v_max = _ranges(all_points)
    legend = [format_html('<span class="key planned">{}</span>', _("planlagt"))] if len(points) == 2 else []
    if len(points) == 2:
        legend[0] = format_html("{} ({})", legend[0], _("mål {value}").format(value=_fmt(points[1][1])))
    if measurements:
        legend.append(format_html('<span class="key measured">{}</span>', _("målt")))
    return format_html(
        '<div class="chart-frame trajectory-frame">{unit}'
        # A grid: the value axis left of the drawing, the dates under it (the empty cell keeps them aligned).
        '<div class="chart-plot"><p class="chart-y-axis"><span>{top}</span><span>{bottom}</span></p>{drawing}'
        '<span></span><p class="chart-x-axis"><span>{first}</span><span>{last}</span></p></div>'
        '<p class="chart-legend">{legend}</p></div>',
        unit=format_html('<p class="chart-unit">{}</p>', unit) if unit else "",
        top=_fmt(v_max),
        bottom=_fmt(v_min),
        drawing=drawing,
        first=date.fromordinal(d_min).strftime("%m.%Y"),
        last=date.fromordinal(d_max).strftime("%m.%Y"),
        legend=mark_safe(" ".join(legend)),  # noqa: S308 - each key is built with format_html
    )
