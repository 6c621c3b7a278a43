"""Numbers and dates as people read them, the Norwegian way: the one place for pages, charts, the report.

- thousands grouped with a no-break space (U+00A0): «1 500 000»; it never breaks a number across lines, every
  font has it, and `common.parsing.parse_number` reads it back, so a figure copied from a page pastes into a
  form;
- a decimal comma: «12,5»;
- the true minus sign (U+2212): «−3», not the hyphen «-3»;
- kroner as whole kroner with «kr» after the figure: «1 500 000 kr»; per cents with a space: «42 %»;
- dates as «15.03.2017».

Spreadsheet exports are the exception on purpose: an XLSX cell holds the number itself, and a CSV cell is written
by `common.parsing.format_number`, which `parse_number` reads back and a spreadsheet program takes for a number
(so a CSV keeps the hyphen-minus «-3» and no «kr»).
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

GROUP = "\u00a0"  # no-break space between groups of three digits
MINUS = "\u2212"  # the true minus sign
DASH = "–"  # no figure


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value, places: int | None = None) -> str:
    """`value` with grouped thousands, a decimal comma and a true minus: «−1 234 567,5».

    `places` None shows up to two decimals without trailing zeros («180 000», «12,5»); a number rounds half up
    to exactly `places` decimals otherwise. None and "" are «–».
    """
    if value is None or value == "":
        return DASH
    value = _decimal(value)
    if places is None:
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        value = value.quantize(Decimal("1")) if value == value.to_integral_value() else value.normalize()
    else:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    negative = value < 0 and value != 0  # a rounded −0 shows as 0
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    text = f"{int(whole):,}".replace(",", GROUP)
    if fraction:
        text += "," + fraction
    return (MINUS if negative else "") + text


def nok(amount) -> str:
    """An amount in whole kroner: «1 500 000 kr», «−3 kr»; None means not settled («ikke avklart»)."""
    if amount is None or amount == "":
        return _("ikke avklart")
    return f"{number(amount, 0)}{GROUP}kr"


def percent(value) -> str:
    """A whole per cent: «42 %», «−1 780 %»; «–» when there is no figure."""
    if value is None or value == "":
        return DASH
    return f"{number(value, 0)}{GROUP}%"


def budget_difference(planned, actual) -> str:
    """Planned − actual in kroner: «ikke avklart» when the planned amount is unknown, «–» when nothing is spent."""
    if planned is None:
        return _("ikke avklart")
    if actual is None:
        return DASH
    return nok(_decimal(planned) - _decimal(actual))


def file_size(size) -> str:
    """A file's size in bytes as «840 byte», «12,5 kB», «3,2 MB» (steps of 1024, one decimal at most)."""
    if size is None or size == "":
        return DASH
    size = int(size)
    if size < 1024:
        return f"{number(size, 0)}{GROUP}byte"
    shown = Decimal(size)
    for unit in ("kB", "MB", "GB"):
        shown = round(shown / 1024, 1)
        if shown < 1024 or unit == "GB":  # compared after rounding, so 1 048 575 bytes is «1 MB», not «1 024 kB»
            break
    return f"{number(shown)}{GROUP}{unit}"


def day(value) -> str:
    """A date as «15.03.2017»; «–» for none."""
    if value is None or value == "":
        return DASH
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise TypeError(f"not a date: {value!r}")
    return value.strftime("%d.%m.%Y")
