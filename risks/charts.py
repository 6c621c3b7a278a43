"""Risk charts: the 5×5 heat map (probability × consequence) and a risk's RF history.

On the pages every word and number of a chart is HTML, so that axe-core decides the contrast of each one (it
cannot tell the background of SVG text and reports it as «needs review», axe-core issue #1819): the heat map is a
table with coloured cells, and the history's SVG holds only lines and dots, with its dates and thresholds as text
beside it. The revision report shows the heat map as an image with alternative text (`heatmap_svg`, through
`reports.charts.as_image`): its labels are drawn inside that image and measured by
tests/accessibility/test_chart_contrast.py.
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.svg import BLUE, INK, RED, WHITE, svg
from risks.models import HIGH_FROM, MEDIUM_FROM, Band, band_for

# Fill and text colours per band, the same palette as the badges in app.css (--yellow is #6b5300: the darker
# yellow, since #8a6d00 on #fff4cc measured 4.47:1, under the 4.5:1 that WCAG 1.4.3 asks of small text).
BAND_COLOURS = {
    Band.LOW: ("#e3f4e7", "#1e7b34"),
    Band.MEDIUM: ("#fff4cc", "#6b5300"),
    Band.HIGH: ("#fde7e6", RED),
}
# Every text colour of the risk charts with what it is drawn on (tests/accessibility/test_chart_contrast.py):
# the heat map's cells (HTML on the page, SVG in the report's image) and the history's HTML labels.
TEXT_ON = [(ink, fill) for fill, ink in BAND_COLOURS.values()] + [(ink, WHITE) for _fill, ink in BAND_COLOURS.values()]
TEXT_ON += [(INK, WHITE)]

CELL = 56
LEFT = 44  # room for the probability axis label and numbers (the report's image)
TOP = 8
BOTTOM = 44  # room for the consequence axis (the report's image)


def _cells() -> Iterator[tuple[int, int, Band]]:
    """(S, K, band) row by row as the heat map shows them: S 5 at the top, K 1 on the left."""
    for s in range(5, 0, -1):
        for k in range(1, 6):
            yield s, k, band_for(s * k)


def _cell_label(s: int, k: int, band: Band, n: int) -> str:
    return _("S %(s)s × K %(k)s = RF %(rf)s (%(band)s): %(n)s risikoer") % {
        "s": s,
        "k": k,
        "rf": s * k,
        "band": band.label.lower(),
        "n": n,
    }


def _summary(counts: dict[tuple[int, int], int]) -> str:
    per_band = dict.fromkeys(BAND_COLOURS, 0)
    for (s, k), n in counts.items():
        per_band[band_for(s * k)] += n
    return _("%(total)s risikoer i alt: %(high)s høye, %(medium)s middels og %(low)s lave.") % {
        "total": sum(per_band.values()),
        "high": per_band[Band.HIGH],
        "medium": per_band[Band.MEDIUM],
        "low": per_band[Band.LOW],
    }


def heatmap(
    counts: dict[tuple[int, int], int],
    *,
    cell_url: Callable[[int, int], str] | None = None,
    hx_target: str = "",
    selected: tuple[int, int] | None = None,
    highlight: tuple[int, int] | None = None,
) -> SafeString:
    """The heat map as a table; `counts` maps (S, K) to the number of risks in that cell.

    A table, not SVG: screen readers announce each cell with its S and K headers, and axe-core can decide the
    contrast of every number (the band's colours come from app.css, `td[data-band]`). With `cell_url` every cell
    is a link (href and hx-get, so it works without JavaScript) to the list filtered on that cell. `selected`
    outlines the cell the list is filtered on; `highlight` marks one risk's own cell (on the risk page).
    """
    rows = []
    for s in range(5, 0, -1):
        cells = []
        for k in range(1, 6):
            n = counts.get((s, k), 0)
            band = band_for(s * k)
            # The visible RF and count, with the rest of the sentence for screen readers in between.
            content = format_html(
                '<span class="heat-rf">RF {}</span><span class="visually-hidden"> (S {} × K {}, {}):</span> '
                '<span class="heat-n">{}</span><span class="visually-hidden"> {}</span>',
                s * k,
                s,
                k,
                band.label.lower(),
                n,
                _("risikoer"),
            )
            if cell_url:
                url = cell_url(s, k)
                extra = format_html(' hx-target="{}" hx-push-url="true"', hx_target) if hx_target else ""
                content = format_html('<a href="{}" hx-get="{}"{}>{}</a>', url, url, extra, content)
            marks = [name for name, cell in (("selected", selected), ("highlight", highlight)) if cell == (s, k)]
            cells.append(
                format_html(
                    '<td class="heat-cell" data-s="{}" data-k="{}" data-count="{}" data-band="{}"{}>{}</td>',
                    s,
                    k,
                    n,
                    band.value,
                    format_html(' data-mark="{}"', " ".join(marks)) if marks else "",
                    content,
                )
            )
        rows.append(format_html('<tr><th scope="row">{}</th>{}</tr>', s, mark_safe("".join(cells))))  # noqa: S308
    head = format_html_join("", '<th scope="col">{}</th>', ((k,) for k in range(1, 6)))
    return format_html(
        '<table class="heatmap"><caption>{title} <span class="heat-summary">{summary}</span></caption>'
        '<thead><tr><td></td><th scope="colgroup" colspan="5">{k_label}</th></tr>'
        '<tr><th scope="col" class="heat-axis">{s_label}</th>{head}</tr></thead>'
        "<tbody>{rows}</tbody></table>",
        title=_("Risikokart: sannsynlighet (S) mot konsekvens (K), antall risikoer per rute."),
        summary=_summary(counts),
        k_label=_("Konsekvens (K)"),
        s_label=_("Sannsynlighet (S)"),
        head=head,
        rows=mark_safe("".join(rows)),  # noqa: S308 - every row is built with format_html above
    )


def heatmap_svg(counts: dict[tuple[int, int], int]) -> SafeString:
    """The heat map drawn as one picture, for the revision report: there it is an <img> whose alternative text
    (`reports.charts.heatmap_alt`) gives every figure, and a tagged PDF wants a figure, not a 5×5 table."""
    width = LEFT + 5 * CELL + 8
    height = TOP + 5 * CELL + BOTTOM
    cells = []
    for s, k, band in _cells():
        x = LEFT + (k - 1) * CELL
        y = TOP + (5 - s) * CELL
        n = counts.get((s, k), 0)
        fill, ink = BAND_COLOURS[band]
        cells.append(
            format_html(
                '<g class="heat-cell" data-s="{}" data-k="{}" data-count="{}"><title>{}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="{}" fill="{}">{}</text>'
                '<text x="{}" y="{}" text-anchor="end" font-size="9" fill="{}">{}</text></g>',
                s,
                k,
                n,
                _cell_label(s, k, band, n),
                x,
                y,
                CELL,
                CELL,
                fill,
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
        )
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
    title = _("Risikokart: sannsynlighet (S) mot konsekvens (K), antall risikoer per rute")
    return svg(body, width=width, height=height, title=title, desc=_summary(counts), css_class="heatmap")


def risk_history(points: Sequence[tuple[date, int]], *, width: int = 320, height: int = 104) -> SafeString:
    """A small line chart of RF over time, oldest first, with the band thresholds as dashed lines.

    The SVG holds only lines and dots (each dot's date and RF in its <title>); the dates and the thresholds are
    HTML under it, and the page lists every assessment in a table.
    """
    left, right, top, bottom = 6, 10, 8, 8
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(rf: float) -> float:
        return top + plot_h * (1 - (rf - 1) / 24)

    if not points:
        return format_html('<p class="muted">{}</p>', _("Ingen vurderinger ennå."))
    n = len(points)
    # x follows the calendar, so a long quiet spell between assessments shows as a long line.
    first, span = points[0][0].toordinal(), (points[-1][0] - points[0][0]).days
    xs = [left + (plot_w * (day.toordinal() - first) / span if span else plot_w / 2) for day, _rf in points]
    guides = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"/>',
        [
            (left, left + plot_w, y_of(rf), y_of(rf), ink)
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
    summary = ", ".join(f"{day.strftime('%d.%m.%Y')}: {rf}" for day, rf in points)
    body = format_html(
        '{guides}<polyline points="{path}" fill="none" stroke="{blue}" stroke-width="2"/>{dots}',
        guides=guides,
        path=path,
        blue=BLUE,
        dots=dots,
    )
    title = _("Risikofaktor over tid: %(summary)s") % {"summary": summary}
    desc = _("Stiplede linjer: høy risiko fra RF %(high)s, middels fra RF %(medium)s.") % {
        "high": HIGH_FROM,
        "medium": MEDIUM_FROM,
    }
    drawing = svg(body, width=width, height=height, title=title, desc=desc, css_class="risk-history")
    # First and last date under the line, at its two ends; one date in the middle for a single assessment.
    dates = [points[0][0]] + ([points[-1][0]] if n > 1 and span else [])
    return format_html(
        '<div class="chart-frame risk-history-frame">{drawing}<p class="chart-x-axis{single}">{dates}</p>'
        '<p class="chart-legend">{legend}</p></div>',
        drawing=drawing,
        single="" if len(dates) > 1 else " single",
        dates=format_html_join("", "<span>{}</span>", ((d.strftime("%d.%m.%Y"),) for d in dates)),
        legend=desc,
    )
