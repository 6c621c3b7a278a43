"""The risk charts: the heat map as a table (pages) and as an image (the report), and the RF history."""

import re
from datetime import date

from risks.charts import heatmap, heatmap_svg, risk_history


def test_heat_map_without_urls_has_no_links_and_colours_cells_by_band():
    table = heatmap({(4, 5): 2, (1, 1): 1})
    assert table.startswith('<table class="heatmap">') and "<svg" not in table
    assert "<a " not in table and "hx-get" not in table
    assert table.count('class="heat-cell"') == 25
    assert 'data-s="4" data-k="5" data-count="2" data-band="high"' in table
    assert 'data-s="2" data-k="4" data-count="0" data-band="medium"' in table
    assert 'data-s="2" data-k="3" data-count="0" data-band="low"' in table
    # Each cell reads as one sentence: visible RF and count, the rest for screen readers.
    assert (
        '<span class="heat-rf">RF 20</span><span class="visually-hidden"> (S 4 × K 5, høy):</span> '
        '<span class="heat-n">2</span>'
    ) in table
    assert "3 risikoer i alt: 2 høye, 0 middels og 1 lave." in table


def test_heat_map_cells_link_to_the_filtered_register_and_mark_the_chosen_cell():
    table = heatmap({(3, 3): 1}, cell_url=lambda s, k: f"/r?s={s}&k={k}", hx_target="#r", selected=(3, 3))
    assert table.count("<a ") == 25
    assert '<a href="/r?s=3&amp;k=3" hx-get="/r?s=3&amp;k=3" hx-target="#r" hx-push-url="true">' in table
    assert 'data-s="3" data-k="3" data-count="1" data-band="medium" data-mark="selected"' in table


def test_the_reports_heat_map_image_has_every_cell_with_its_label():
    svg = heatmap_svg({(4, 5): 2, (1, 1): 1})
    assert svg.count('class="heat-cell"') == 25
    assert "S 4 × K 5 = RF 20 (høy): 2 risikoer" in svg
    assert "S 2 × K 4 = RF 8 (middels): 0 risikoer" in svg


def test_history_chart_handles_one_and_no_assessments():
    one = risk_history([(date(2017, 3, 15), 20)])
    assert one.count("<circle") == 1 and "15.03.2017: 20" in one
    assert "Ingen vurderinger ennå." in risk_history([])


def test_history_chart_spaces_points_by_date():
    svg = risk_history([(date(2017, 1, 1), 20), (date(2017, 1, 2), 10), (date(2018, 1, 1), 5)], width=398)
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert xs[1] - xs[0] < 2  # one day apart
    assert xs[2] - xs[1] > 300  # a year later
