"""SVG primitives for the server-rendered charts, which the web pages and the PDF report share.

Each chart (risks/charts.py, milestones/charts.py, benefits/charts.py, reports/charts.py) is a plain function
returning markup (a SafeString) built from domain data, with text labels so that colour is never the only carrier
of meaning. What every chart needs is here: the <svg> element itself, the palette shared with app.css, and the
WCAG contrast ratio that tests/accessibility/test_chart_contrast.py holds every text colour of the charts to (at
least 4.5:1 against what is drawn behind it).

On the pages a chart's SVG draws no text: axe-core cannot tell the background of SVG text (it reports it as
«needs review», axe-core issue #1819), so labels, axes and legends are HTML around the drawing, or the chart is an
HTML table (the heat map, the schedule), and axe-core decides the contrast of every word. Only the revision
report's charts, which are images with alternative text, draw their labels inside the SVG; each such <text>
names its fill and is measured by the test against the shape behind it.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

BLUE = "#00509e"  # bars, measured values, the RF line
RED = "#b3261e"  # overdue, today
INK = "#1b1b1b"  # text and marks on a light background
MUTED = "#555555"  # secondary text and the planned line (app.css --muted)
WHITE = "#ffffff"  # the page behind every chart

# WCAG 2.1 success criterion 1.4.3: normal text needs 4.5:1; large text (24 px, or 18.66 px bold) 3:1.
MIN_CONTRAST = 4.5
MIN_CONTRAST_LARGE = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a "#rgb" or "#rrggbb" colour."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(d * 2 for d in hex_digits)
    r, g, b = (int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def svg(
    body: SafeString,
    *,
    width: int,
    height: int,
    title: str,
    css_class: str = "",
    role: str = "img",
    fluid: bool = False,
    text_attributes: bool = False,
    desc: str = "",
) -> SafeString:
    """`body` inside an <svg> with its viewBox, size, role, <title> and (given `desc`) <desc>.

    The <title> has no id, since a page or PDF holds many charts and ids must be unique; the title is also the
    element's aria-label, and the <desc> (what the chart shows, with its figures) its accessible description.
    `fluid` lets the chart shrink with its box (the width comes from app.css).
    `text_attributes` sets the font as presentation attributes: the CSP allows no inline style="…".
    """
    return format_html(
        '<svg{cls} xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{width}"{height} role="{role}" '
        'aria-label="{title}"{text}><title>{title}</title>{desc}{body}</svg>',
        cls=format_html(' class="{}"', css_class) if css_class else "",
        w=width,
        h=height,
        width="100%" if fluid else width,
        height="" if fluid else format_html(' height="{}"', height),
        role=role,
        title=title,
        text=mark_safe(' font-size="12" font-family="sans-serif"') if text_attributes else "",  # noqa: S308 - a constant
        desc=format_html("<desc>{}</desc>", desc) if desc else "",
        body=body,
    )
