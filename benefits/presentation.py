"""Shared rendering helpers for benefits (used by the pages; the PDF can call the same)."""

from django.utils.safestring import SafeString

from benefits.charts import trajectory_figure, trajectory_svg

from .models import Benefit


def benefit_chart(benefit: Benefit, measurements=None, *, image: bool = False) -> SafeString:
    """The benefit's planned trajectory vs its measured values: the page's figure (text in HTML), or with
    `image` one SVG with its labels inside, which the report shows as an image with alternative text."""
    if measurements is None:
        measurements = benefit.measurements.order_by("measured_on", "id")
    draw = trajectory_svg if image else trajectory_figure
    return draw(
        baseline=(benefit.baseline_date, benefit.baseline_value) if benefit.baseline_date else None,
        target=(benefit.target_date, benefit.target_value) if benefit.target_date else None,
        measurements=[(m.measured_on, m.value) for m in measurements],
        unit=benefit.unit,
        title=benefit.indicator,
    )
