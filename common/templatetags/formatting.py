"""Numbers the Norwegian way in templates: amounts in kroner, per cents, budget differences."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def nok(amount) -> str:
    """Format an amount in NOK the Norwegian way (1 500 000 kr); None means not settled."""
    if amount is None or amount == "":
        return _("ikke avklart")
    value = Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    digits = f"{abs(value):,}".replace(",", "\u00a0")
    return f"{'−' if value < 0 else ''}{digits}\u00a0kr"


@register.simple_tag
def budget_difference(planned, actual) -> str:
    """Planned − actual in NOK: «ikke avklart» when the planned amount is unknown, «–» when nothing is spent yet."""
    if planned is None:
        return _("ikke avklart")
    if actual is None:
        return "–"
    return nok(Decimal(planned) - Decimal(actual))


@register.filter
def percent(value) -> str:
    """A whole per cent (Norwegian spacing, «42 %»); «–» when there is no figure."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(value).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}\u00a0%"
