"""`{% table_scroll %}`: the scroll box of a wide table (phone first, #15)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load i18n layout_tags %}" + source).render(Context(context))


def test_the_box_is_a_named_focusable_region_with_its_note_before_the_table():
    html = render('{% table_scroll label=_("Risikoer") %}<table><tr><td>R1</td></tr></table>{% end_table_scroll %}')
    assert html.startswith('<div class="table-wrap table-scroll" role="region" aria-label="Risikoer" tabindex="0">')
    assert '<p class="table-scroll-note">Rull sideveis for å se hele tabellen</p><table>' in html
    assert html.endswith("</table></div>")


def test_labelledby_names_the_box_by_a_heading_and_the_label_is_escaped():
    html = render('{% table_scroll labelledby="risks-heading" %}{% end_table_scroll %}')
    assert 'aria-labelledby="risks-heading"' in html
    html = render("{% table_scroll label=name class='wide' %}x{% end_table_scroll %}", name='Møte "PL" <PA>')
    assert 'aria-label="Møte &quot;PL&quot; &lt;PA&gt;"' in html and 'class="table-wrap table-scroll wide"' in html


def test_unknown_arguments_are_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% table_scroll title="x" %}{% end_table_scroll %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% table_scroll "x" %}{% end_table_scroll %}')
