"""SVG primitives for the server-rendered charts, which the web pages and the PDF report share.

Each chart (risks/charts.py, milestones/charts.py, benefits/charts.py) is a plain function returning SVG markup
(a SafeString) built from domain data, with a <title> and text labels so that colour is never the only carrier
of meaning. What every chart needs is here: the <svg> element itself, the message for an empty chart, and the
palette shared with app.css.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

BLUE = "#00509e"  # bars, measured values, the RF line
RED = "#b3261e"  # overdue, today
INK = "#1b1b1b"  # marks on a light background


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
) -> SafeString:
    """`body` inside an <svg> with its viewBox, size, role and <title>.

    The <title> has no id, since a page or PDF holds many charts and ids must be unique; the title is also the
    element's aria-label. `fluid` lets the chart shrink with its box (the width comes from app.css).
    `text_attributes` sets the font as presentation attributes: the CSP allows no inline style="…".
    """
    return format_html(
        '<svg{cls} xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{width}"{height} role="{role}" '
        'aria-label="{title}"{text}><title>{title}</title>{body}</svg>',
        cls=format_html(' class="{}"', css_class) if css_class else "",
        w=width,
        h=height,
        width="100%" if fluid else width,
        height="" if fluid else format_html(' height="{}"', height),
        role=role,
        title=title,
        text=mark_safe(' font-size="12" font-family="sans-serif"') if text_attributes else "",  # noqa: S308 - a constant
        body=body,
    )


def svg_message(message: str, *, width: int, height: int, title: str) -> SafeString:
    """A chart with nothing to draw: the same frame, with `message` as its only text."""
    return svg(
        format_html('<text x="8" y="20" font-size="12">{}</text>', message), width=width, height=height, title=title
    )
