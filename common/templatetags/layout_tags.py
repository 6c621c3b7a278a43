"""`{% table_scroll %}`: the box a wide table scrolls in on a phone, instead of widening the whole page.

    {% load layout_tags %}
    {% table_scroll labelledby="risks-heading" %}<table>…</table>{% end_table_scroll %}
    {% table_scroll label=_("Medlemmer") %}<table>…</table>{% end_table_scroll %}

It renders a focusable region (so the table can be scrolled with the keyboard), named by the heading it is
`labelledby` or by `label`, with a note «Rull sideveis for å se hele tabellen» that the stylesheet shows only while
the table is wider than its box (static/css/app.css, the phone-first section), and a first column that stays in
place while the rest scrolls. The classes are `table-wrap` (the older scroll box, whose rules it shares) and
`table-scroll`.
"""

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


class TableScrollNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        if values.get("labelledby"):
            name = format_html('aria-labelledby="{}"', values["labelledby"])
        else:
            name = format_html('aria-label="{}"', values.get("label") or _("Tabell"))
        extra = values.get("class", "")
        return format_html(
            '<div class="table-wrap table-scroll{}" role="region" {} tabindex="0">'
            '<p class="table-scroll-note">{}</p>{}</div>',
            f" {extra}" if extra else "",
            name,
            _("Rull sideveis for å se hele tabellen"),
            self.nodelist.render(context),
        )


@register.tag("table_scroll")
def table_scroll(parser, token):
    """`{% table_scroll labelledby="id" %}` or `label="…"` (and optionally `class="…"`) … `{% end_table_scroll %}`."""
    bits = token.split_contents()[1:]
    kwargs = token_kwargs(bits, parser, support_legacy=False)
    if bits:
        raise template.TemplateSyntaxError(f"table_scroll: unknown arguments {bits!r}")
    unknown = set(kwargs) - {"labelledby", "label", "class"}
    if unknown:
        raise template.TemplateSyntaxError(f"table_scroll: unknown arguments {sorted(unknown)!r}")
    nodelist = parser.parse(("end_table_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist, kwargs)
