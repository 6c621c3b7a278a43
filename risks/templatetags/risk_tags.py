from django import template

from risks.models import band_for

register = template.Library()


@register.inclusion_tag("risks/_rf_badge.html")
def rf_badge(rf):
    """RF with its band as text and colour, so colour is never the only carrier."""
    return {"rf": rf, "band": band_for(rf)}
