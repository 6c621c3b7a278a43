"""Risk charts: the 5×5 heat map (probability × consequence) and a risk's RF history.

Both return SVG markup with text labels and a <title>, so the same markup serves the page and the PDF.
"""

from collections.abc import Callable, Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.svg import BLUE, INK, RED, WHITE, svg, svg_message
from risks.models import HIGH_FROM, MEDIUM_FROM, Band, band_for

# Fill and text colours per band, the same palette as the badges in app.css (--yellow is #6b5300: the darker
# yellow, since #8a6d00 on #fff4cc measured 4.47:1, under the 4.5:1 that WCAG 1.4.3 asks of small text).
BAND_COLOURS = {
    Band.LOW: ("#e3f4e7", "#1e7b34"),
    Band.MEDIUM: ("#fff4cc", "#6b5300"),
    Band.HIGH: ("#fde7e6", RED),
}
# Every text colour of the risk charts with what it is drawn on (tests/accessibility/test_chart_contrast.py).
TEXT_ON = [(ink, fill) for fill, ink in BAND_COLOURS.values()] + [(ink, WHITE) for _fill, ink in BAND_COLOURS.values()]
TEXT_ON += [(INK, WHITE)]

CELL = 56
LEFT = 44  # room for the probability axis label and numbers
TOP = 8
BOTTOM = 44  # room for the consequence axis


def heatmap(
    counts: dict[tuple[int, int], int],
    *,
    cell_url: Callable[[int, int], str] | None = None,
    hx_target: str = "",
    selected: tuple[int, int] | None = None,
    highlight: tuple[int, int] | None = None,
) -> SafeString:
    """Render the heat map; `counts` maps (S, K) to the number of risks in that cell.

    With `cell_url` every cell is a link (href and hx-get, so it works without JavaScript) to the list
    filtered on that cell. `selected` outlines the cell the list is filtered on; `highlight` marks one
    risk's own cell (on the risk page).
    """
    width = LEFT + 5 * CELL + 8
    height = TOP + 5 * CELL + BOTTOM
    cells = []
    for s in range(5, 0, -1):
        for k in range(1, 6):
            x = LEFT + (k - 1) * CELL
            y = TOP + (5 - s) * CELL
            n = counts.get((s, k), 0)
            band = band_for(s * k)
            fill, ink = BAND_COLOURS[band]
            outline = (s, k) in {selected, highlight}
            label = _("S %(s)s × K %(k)s = RF %(rf)s (%(band)s): %(n)s risikoer") % {
                "s": s,
                "k": k,
                "rf": s * k,
                "band": band.label.lower(),
                "n": n,
            }
            cell = format_html(
                '<g class="heat-cell" data-s="{}" data-k="{}" data-count="{}"><title>{}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="{}" fill="{}">{}</text>'
                '<text x="{}" y="{}" text-anchor="end" font-size="9" fill="{}">{}</text></g>',
                s,
                k,
                n,
                label,
                x,
                y,
                CELL,
                CELL,
                fill,
                INK if outline else "#ffffff",
                3 if outline else 1,
                x + CELL / 2,
                y + CELL / 2 + 7,
                20 if n else 14,
                700 if n else 400,
                ink,
                n if n else "·",
                x + CELL - 4,
                y + 12,
                ink,
                s * k,
            )
            if cell_url:
                url = cell_url(s, k)
                extra = format_html(' hx-target="{}" hx-push-url="true"', hx_target) if hx_target else ""
                cell = format_html('<a href="{}" hx-get="{}"{}>{}</a>', url, url, extra, cell)
            cells.append(cell)
    axis = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
        [(LEFT + (k - 0.5) * CELL, TOP + 5 * CELL + 16, INK, k) for k in range(1, 6)],
    ) + format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
        [(LEFT - 6, TOP + (5.5 - s) * CELL + 4, INK, s) for s in range(1, 6)],
    )
    body = format_html(
        "{cells}{axis}"
        '<text x="{cx}" y="{h_label}" text-anchor="middle" font-size="12" fill="{ink}">{k_label}</text>'
        '<text x="12" y="{cy}" text-anchor="middle" font-size="12" fill="{ink}" transform="rotate(-90 12 {cy})">'
        "{s_label}</text>",
        cells=mark_safe("".join(cells)),  # noqa: S308 - every cell is built with format_html above
        axis=axis,
        ink=INK,
        cx=LEFT + 2.5 * CELL,
        h_label=TOP + 5 * CELL + 36,
        k_label=_("Konsekvens (K)"),
        cy=TOP + 2.5 * CELL,
        s_label=_("Sannsynlighet (S)"),
    )
    # A group, not an image: each cell is a link of its own (role="img" would hide the links from screen readers).
    title = _("Risikokart: sannsynlighet (S) mot konsekvens (K), antall risikoer per rute")
    per_band = dict.fromkeys(BAND_COLOURS, 0)
    for (s, k), n in counts.items():
        per_band[band_for(s * k)] += n
    desc = _("%(total)s risikoer i alt: %(high)s høye, %(medium)s middels og %(low)s lave.") % {
        "total": sum(per_band.values()),
        "high": per_band[Band.HIGH],
        "medium": per_band[Band.MEDIUM],
        "low": per_band[Band.LOW],
    }
    return svg(body, width=width, height=height, title=title, desc=desc, css_class="heatmap", role="group")


def risk_history(points: Sequence[tuple[date, int]], *, width: int = 320, height: int = 120) -> SafeString:
    """A small line chart of RF over time, oldest first; band thresholds drawn as dashed lines."""
    left, right, top, bottom = 28, 10, 8, 22
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(rf: float) -> float:
        return top + plot_h * (1 - (rf - 1) / 24)

    if not points:
        return svg_message(_("Ingen vurderinger ennå."), width=width, height=height, title=_("Ingen vurderinger"))
    n = len(points)
    # x follows the calendar, so a long quiet spell between assessments shows as a long line.
    first, span = points[0][0].toordinal(), (points[-1][0] - points[0][0]).days
    xs = [left + (plot_w * (day.toordinal() - first) / span if span else plot_w / 2) for day, _rf in points]
    guides = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"/>'
        '<text x="{}" y="{}" font-size="9" text-anchor="end" fill="{}">{}</text>',
        [
            (left, left + plot_w, y_of(rf), y_of(rf), ink, left - 3, y_of(rf) + 3, ink, rf)
            for rf, ink in ((HIGH_FROM, BAND_COLOURS[Band.HIGH][1]), (MEDIUM_FROM, BAND_COLOURS[Band.MEDIUM][1]))
        ],
    )
    path = " ".join(f"{x:.1f},{y_of(rf):.1f}" for x, (_day, rf) in zip(xs, points, strict=True))
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: RF {}</title></circle>',
        [
            (f"{x:.1f}", f"{y_of(rf):.1f}", BAND_COLOURS[band_for(rf)][1], day.strftime("%d.%m.%Y"), rf)
            for x, (day, rf) in zip(xs, points, strict=True)
        ],
    )
    # First and last date under the axis, anchored inwards so that neither is cut off at the edge.
    ends = [(0, "start" if span else "middle")] + ([(n - 1, "end")] if span else [])
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="9" text-anchor="{}" fill="{}">{}</text>',
        [(f"{xs[i]:.1f}", height - 6, anchor, INK, points[i][0].strftime("%d.%m.%y")) for i, anchor in ends],
    )
    summary = ", ".join(f"{day.strftime('%d.%m.%Y')}: {rf}" for day, rf in points)
    body = format_html(
        '{guides}<polyline points="{path}" fill="none" stroke="{blue}" stroke-width="2"/>{dots}{labels}',
        guides=guides,
        path=path,
        blue=BLUE,
        dots=dots,
        labels=labels,
    )
    title = _("Risikofaktor over tid: %(summary)s") % {"summary": summary}
    desc = _("Stiplede linjer: høy risiko fra RF %(high)s, middels fra RF %(medium)s.") % {
        "high": HIGH_FROM,
        "medium": MEDIUM_FROM,
    }
    return svg(body, width=width, height=height, title=title, desc=desc, css_class="risk-history")
