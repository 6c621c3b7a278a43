"""Numbers the Norwegian way in templates: amounts in kroner, per cents, budget differences, plain numbers.

The filters only name the functions of `common.formatting`, so a page, a chart and the report format alike.
"""

from django import template

from common import formatting

register = template.Library()


@register.filter
def nok(amount) -> str:
    """An amount in kroner, «1 500 000 kr»; None means not settled («ikke avklart»)."""
    return formatting.nok(amount)


@register.simple_tag
def budget_difference(planned, actual) -> str:
    """Planned − actual in kroner: «ikke avklart» when the planned amount is unknown, «–» when nothing is spent yet."""
    return formatting.budget_difference(planned, actual)


@register.filter
def percent(value) -> str:
    """A whole per cent, «42 %», «−1 780 %»; «–» when there is no figure."""
    return formatting.percent(value)


@register.filter
def number(value, places=None) -> str:
    """A number with grouped thousands, a decimal comma and a true minus, «−12,5»; `|number:0` rounds to whole."""
    return formatting.number(value, None if places in (None, "") else int(places))


@register.filter
def file_size(size) -> str:
    """A file's size, «12,5 kB», «3,2 MB»."""
    return formatting.file_size(size)
