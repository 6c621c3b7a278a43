"""The risk charts as plain SVG functions, usable in the PDF report without links."""

import re
from datetime import date

from risks.charts import heatmap, risk_history


def test_heat_map_without_urls_has_no_links_and_colours_cells_by_band():
    svg = heatmap({(4, 5): 2, (1, 1): 1})
    assert "<a " not in svg and "hx-get" not in svg
    assert svg.count('class="heat-cell"') == 25
    assert 'data-s="4" data-k="5" data-count="2"' in svg
    assert "S 4 × K 5 = RF 20 (høy): 2 risikoer" in svg
    assert "S 2 × K 4 = RF 8 (middels): 0 risikoer" in svg
    assert "S 2 × K 3 = RF 6 (lav): 0 risikoer" in svg


def test_history_chart_handles_one_and_no_assessments():
    one = risk_history([(date(2017, 3, 15), 20)])
    assert one.count("<circle") == 1 and "15.03.2017: 20" in one
    assert "Ingen vurderinger ennå." in risk_history([])


def test_history_chart_spaces_points_by_date():
    svg = risk_history([(date(2017, 1, 1), 20), (date(2017, 1, 2), 10), (date(2018, 1, 1), 5)], width=398)
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert xs[1] - xs[0] < 2  # one day apart
    assert xs[2] - xs[1] > 300  # a year later
