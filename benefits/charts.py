"""Planned trajectory (baseline → target, a straight line) against measured values, as SVG.

Used by the benefit page and reusable in the PDF: no JavaScript, no external styles, text labels on the
axes and on every measured point so the chart reads without colour.
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


def trajectory_svg(
    *,
    baseline: tuple[date, Decimal] | None,
    target: tuple[date, Decimal] | None,
    measurements: Sequence[tuple[date, Decimal]],
    unit: str = "",
    title: str = "",
) -> SafeString:
    """SVG of the planned line from baseline to target and the measured values over time.

    Returns a short text in a <p> when there is nothing to draw (no baseline/target and no measurements).
    """
    points = [p for p in (baseline, target) if p is not None and p[0] is not None and p[1] is not None]
    all_points = points + list(measurements)
    if not all_points:
        return format_html('<p class="muted">{}</p>', _("Ingen nullpunkt, mål eller målinger å vise ennå."))

    days = [p[0].toordinal() for p in all_points]
    values = [Decimal(p[1]) for p in all_points]
    d_min, d_max = min(days), max(days)
    if d_min == d_max:
        d_min, d_max = d_min - 15, d_max + 15
    v_min, v_max = min(values), max(values)
    # Value axis starts at zero for non-negative data so changes are not exaggerated.
    v_min = min(v_min, Decimal(0))
    if v_min == v_max:
        v_max = v_min + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + (day.toordinal() - d_min) / (d_max - d_min) * plot_w, 1)

    def y(value) -> float:
        return round(TOP + float((v_max - Decimal(value)) / (v_max - v_min)) * plot_h, 1)

    label = title or _("Planlagt utvikling og målte verdier")
    parts = [
        # Axes and their range labels.
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/><line x1="{l}" y1="{t}" x2="{l}" y2="{b}" '
            'stroke="#999"/>',
            l=LEFT,
            r=WIDTH - RIGHT,
            t=TOP,
            b=HEIGHT - BOTTOM,
        ),
        format_html(
            '<text x="{}" y="{}" text-anchor="end" fill="{ink}">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" fill="{ink}">{}</text>',
            LEFT - 6,
            y(v_max) + 4,
            _fmt(v_max),
            LEFT - 6,
            y(v_min) + 4,
            _fmt(v_min),
            ink=INK,
        ),
        format_html(
            '<text x="{}" y="{}" fill="{ink}">{}</text><text x="{}" y="{}" text-anchor="end" fill="{ink}">{}</text>',
            LEFT,
            HEIGHT - BOTTOM + 16,
            date.fromordinal(d_min).strftime("%m.%Y"),
            WIDTH - RIGHT,
            HEIGHT - BOTTOM + 16,
            date.fromordinal(d_max).strftime("%m.%Y"),
            ink=INK,
        ),
    ]
    if unit:
        parts.append(format_html('<text x="{}" y="{}" fill="{}">{}</text>', 4, TOP - 6, INK, unit))
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
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                x(d1),
                y(v1) - 8 if y(v1) > TOP + 12 else y(v1) + 16,
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
                '<circle class="measurement" cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                (
                    (
                        x(d),
                        y(v),
                        MEASURED_COLOUR,
                        d.strftime("%d.%m.%Y"),
                        _fmt(v),
                        x(d),
                        y(v) - 8 if y(v) > TOP + 12 else y(v) + 16,
                        MEASURED_COLOUR,
                        _fmt(v),
                    )
                    for d, v in measurements
                ),
            )
        )
    legend_y = HEIGHT - 8
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>'
            '<text x="{}" y="{}" fill="{ink}">{}</text>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>'
            '<text x="{}" y="{}" fill="{ink}">{}</text>',
            LEFT,
            legend_y - 4,
            LEFT + 24,
            legend_y - 4,
            PLANNED_COLOUR,
            LEFT + 30,
            legend_y,
            _("planlagt"),
            LEFT + 120,
            legend_y - 4,
            LEFT + 144,
            legend_y - 4,
            MEASURED_COLOUR,
            LEFT + 150,
            legend_y,
            _("målt"),
            ink=INK,
        )
    )
    body = mark_safe("".join(parts))  # noqa: S308 - every part is built with format_html
    # What the chart shows, with its figures, for screen readers (and the PDF's alternative text).
    sentences = []
    if len(points) == 2:
        sentences.append(
            _("Planlagt fra {baseline} til {target}.").format(baseline=_fmt(points[0][1]), target=_fmt(points[1][1]))
        )
    if measurements:
        measured = ", ".join(f"{d.strftime('%d.%m.%Y')}: {_fmt(v)}" for d, v in measurements)
        sentences.append(_("Målt: {values}.").format(values=measured))
    return svg(
        body,
        width=WIDTH,
        height=HEIGHT,
        title=label,
        desc=" ".join(sentences),
        css_class="chart trajectory",
        fluid=True,
        text_attributes=True,
    )
