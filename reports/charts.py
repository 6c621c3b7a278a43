"""The charts of the report's summary, and the alternative text of every chart the report shows.

The summary's three charts (the activities' status, the budget per phase, the benefits' realisation) are plain
horizontal bars drawn with `common.svg`, each labelled with its figures, so the chart reads without colour. The
chart's title is a sentence with all its figures: it is the alternative text in the PDF and the HTML edition, and
the template shows the same figures as text next to the chart.

`as_image` puts any chart (also the heat map and the benefit charts of the feature apps) in an <img> with the
report's alternative text: WeasyPrint tags an image as a /Figure whose /Alt is the image's alt attribute, and a
browser reads the same alt; so the report decides what a screen reader hears, whatever the chart's own title says.
These images are the only charts that draw their labels as SVG text (the pages' charts keep every word in HTML, see
common/svg.py); tests/accessibility/test_chart_contrast.py measures those labels against what lies behind them.
"""

import base64
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.formatting import day, nok, number, percent
from common.svg import BLUE, INK, RED, WHITE, svg

# Fills of the status bars: the colours of the RAG badges of the pages and the report, each ≥ 3:1 on white.
RAG_COLOURS = {"green": "#1e7b34", "yellow": "#8a6d00", "red": RED, "none": "#5c5c5c"}
ACTUAL_COLOUR = "#4d4d4d"
# Every text colour of the summary's charts with what it is drawn on: labels and figures sit beside the bars, on
# the page (tests/accessibility/test_chart_contrast.py).
TEXT_ON = [(INK, WHITE)]

# Narrow on purpose: the chart is scaled down to a phone's width in the HTML edition, and its text must stay legible.
WIDTH = 400
VALUE_W = 130  # room for the figure after the longest bar
FONT = 14
LABEL_H = 18  # the row's label sits on its own line above the bar, so long names need not be cut short
BAR = 14
GAP = 10
TOP = 4


def _short(text: str, limit: int = 46) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Bar:
    label: str  # the line above the bar
    value: float | None  # the bar's length in the chart's unit; None draws no bar
    text: str  # the figure printed after the bar
    colour: str = BLUE


def _bars(bars: list[Bar], *, maximum: float, title: str) -> SafeString:
    """Horizontal bars, each under its label with its figure after it, scaled to `maximum` (cut at 0 and 1)."""
    plot_w = WIDTH - VALUE_W
    rows, y = [], TOP
    for bar in bars:
        length = 0 if not bar.value or maximum <= 0 else max(0.0, min(1.0, bar.value / maximum)) * plot_w
        rows.append(
            format_html(
                '<text x="0" y="{ly}" font-size="{size}" fill="{ink}">{label}</text>'
                '<rect x="0" y="{by}" width="{w}" height="{h}" fill="{fill}"/>'
                '<text x="{vx}" y="{vy}" font-size="{size}" fill="{ink}">{value}</text>',
                ly=y + FONT,
                size=FONT,
                ink=INK,
                label=_short(bar.label),
                by=y + LABEL_H + 2,
                w=round(length, 1),
                h=BAR,
                fill=bar.colour,
                vx=round(length + 6, 1),
                vy=y + LABEL_H + BAR,
                value=bar.text,
            )
        )
        y += LABEL_H + BAR + 2 + GAP
    body = mark_safe("".join(rows))  # noqa: S308 - every part is built with format_html
    return svg(body, width=WIDTH, height=y, title=title, css_class="chart report-chart", text_attributes=True)


def status_chart(counts: list[tuple[str, str, int]], total: int) -> tuple[SafeString, str]:
    """The activities by their latest status: `counts` holds (RAG value or "none", label, count)."""
    parts = [f"{label.lower()} {count}" for _value, label, count in counts]
    title = _("Status for %(total)s hovedaktiviteter: %(parts)s.") % {"total": total, "parts": ", ".join(parts)}
    bars = [
        Bar(label, count, number(count), RAG_COLOURS.get(value, RAG_COLOURS["none"])) for value, label, count in counts
    ]
    return _bars(bars, maximum=max([total, 1]), title=title), title


def budget_chart(rows: list[dict]) -> tuple[SafeString, str]:
    """Planned against actual costs per phase; `rows` hold "label", "planned" and "actual" (None: not known)."""
    known = [v for row in rows for v in (row["planned"], row["actual"]) if v is not None]
    maximum = float(max(known)) if known else 0.0
    bars, sentences = [], []
    for row in rows:
        planned, actual = row["planned"], row["actual"]
        actual_text = nok(actual) if actual is not None else _("ikke registrert")
        bars.append(Bar(_("%(phase)s, planlagt") % {"phase": row["label"]}, _float(planned), nok(planned), BLUE))
        bars.append(Bar(_("%(phase)s, faktisk") % {"phase": row["label"]}, _float(actual), actual_text, ACTUAL_COLOUR))
        sentences.append(
            _("%(phase)s: planlagt %(planned)s, faktisk %(actual)s")
            % {"phase": row["label"], "planned": nok(planned), "actual": actual_text}
        )
    title = _("Kostnader per fase, planlagt og faktisk: %(rows)s.") % {"rows": "; ".join(sentences)}
    return _bars(bars, maximum=maximum, title=title), title


def _float(value) -> float | None:
    return None if value is None else float(value)


def benefits_chart(rows: list[dict]) -> tuple[SafeString, str]:
    """How far each quantified benefit has come from its baseline to its target, in per cent (bars cut at 0–100)."""
    bars, sentences = [], []
    for row in rows:
        shown = percent(row["percent"]) if row["percent"] is not None else _("ingen måling")
        bars.append(Bar(row["label"], _float(row["percent"]), shown, BLUE))
        sentences.append(f"{row['label']}: {shown}")
    title = _("Realisert andel av gevinstmålene, fra nullpunkt (0 %%) til mål (100 %%): %(rows)s.") % {
        "rows": "; ".join(sentences)
    }
    return _bars(bars, maximum=100.0, title=title), title


def heatmap_alt(cells: dict[tuple[int, int], int]) -> str:
    """The heat map in words: the number of assessed risks and how many sit in each non-empty cell."""
    total = sum(cells.values())
    filled = sorted(((s, k, n) for (s, k), n in cells.items() if n), key=lambda c: (-(c[0] * c[1]), -c[0]))
    parts = "; ".join(
        _("S %(s)s × K %(k)s (RF %(rf)s): %(n)s") % {"s": s, "k": k, "rf": s * k, "n": n} for s, k, n in filled
    )
    if not total:
        return _("Risikokart, sannsynlighet (S) mot konsekvens (K): ingen vurderte risikoer.")
    return _("Risikokart, sannsynlighet (S) mot konsekvens (K), %(total)s vurderte risikoer: %(parts)s.") % {
        "total": total,
        "parts": parts,
    }


def benefit_alt(benefit, measurements) -> str:
    """One benefit's trajectory chart in words: baseline and target, every measurement, the realisation."""
    unit = f" {benefit.unit}" if benefit.unit else ""
    parts = [
        _("nullpunkt %(value)s%(unit)s (%(date)s)")
        % {"value": number(benefit.baseline_value), "unit": unit, "date": day(benefit.baseline_date)},
        _("mål %(value)s%(unit)s (%(date)s)")
        % {"value": number(benefit.target_value), "unit": unit, "date": day(benefit.target_date)},
    ]
    if measurements:
        shown = ", ".join(f"{day(m.measured_on)}: {number(m.value)}" for m in measurements)
        parts.append(_("målinger %(list)s") % {"list": shown})
        parts.append(_("realisert %(percent)s") % {"percent": percent(benefit.latest_realisation_percent)})
    else:
        parts.append(_("ingen målinger ennå"))
    return _("Gevinst «%(indicator)s», planlagt utvikling og målte verdier: %(parts)s.") % {
        "indicator": benefit.indicator,
        "parts": "; ".join(parts),
    }


def as_image(chart: SafeString, alt: str, *, css_class: str = "chart") -> SafeString:
    """The chart as an <img> with `alt`: one /Figure with /Alt in the tagged PDF, one image with alt on a page."""
    data = base64.b64encode(str(chart).encode()).decode("ascii")
    return format_html('<img class="{}" alt="{}" src="data:image/svg+xml;base64,{}">', css_class, alt, data)
