"""One parser for the numbers, dates and ids people type: in spreadsheets, forms and URLs.

Every function takes text (or a spreadsheet's own typed value) and returns the value, or raises
ValueError whose message is Norwegian and fit to show the user. Nothing else is ever raised.

- `parse_number(text, allow_negative=False, decimals=True)` → Decimal. Norwegian formats: «1 500 000»,
  «1500000», «1.500.000», «1 500 000,-», «50,5», «−3» (true minus) and «-3». Refused: words and units
  («kr 1,5 mill.»), «1.2.3», exponents («1e9»), «NaN», «Infinity», superscripts («²») and digits of other
  scripts («١٢»): only the ASCII digits 0–9 count as digits. At most two decimals (øre).
- `parse_int(text, allow_negative=False, minimum=None, maximum=None)` → int, ASCII digits only (never
  `str.isdigit()`, which accepts «²» and «١»).
- `parse_date(text, earliest=1900-01-01, latest=2100-12-31)` → date from «15.03.2017», «15.03.17» or
  «2017-03-15» (or a date/datetime a spreadsheet cell holds), inside [earliest, latest].
- `parse_id(text)` (alias `parse_positive_int`) → a database id 1…2⁶³−1 from a URL or query value. For
  views: `try: pk = parse_id(request.GET.get("id", "")) except ValueError: raise Http404`.
- `query_int(text)` → an int, or None for anything that is not one (a filter that is simply not applied).
- `format_number(value, grouping=True)` → the text `parse_number` reads back to the same value.
"""

import math
import re
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# Amounts and measurements are stored with at most 14 digits, 2 of them decimals.
NUMBER_LIMIT = Decimal("1e12")
# The largest id PostgreSQL's bigint (Django's BigAutoField) holds.
MAX_ID = 2**63 - 1
# Longer digit strings are refused before int()/Decimal() see them (Python refuses > 4300 digits in English,
# and Decimal's 28 significant digits must hold the number and its two decimals).
_MAX_DIGITS = 20
_HARD_LIMIT = Decimal(10) ** _MAX_DIGITS

_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")  # space, no-break space, narrow no-break space, thin space
_MINUS = ("-", "\u2212")  # hyphen-minus and the true minus sign
# Whole part: plain digits, or groups of three after 1–3 digits, separated by spaces or by dots.
_WHOLE = r"(?:[0-9]+|[0-9]{1,3}(?:(?: [0-9]{3})+|(?:\.[0-9]{3})+))"
_NUMBER = re.compile(rf"(?P<whole>{_WHOLE})(?:,(?P<decimals>[0-9]+)|,[-\u2013])?", re.ASCII)
_INTEGER = re.compile(r"[0-9]+", re.ASCII)
_DMY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}|[0-9]{2})", re.ASCII)
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def shown(text: str, limit: int = 40) -> str:
    """`text` shortened for an error message (a cell may hold 32 000 characters)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_sign(text: str) -> tuple[bool, str]:
    if text.startswith(_MINUS):
        return True, text[1:].lstrip()
    return False, text


def parse_number(
    value, *, allow_negative: bool = False, decimals: bool = True, limit: Decimal | None = NUMBER_LIMIT, error=None
) -> Decimal:
    """A Decimal from Norwegian text (see the module docstring), or a spreadsheet's int/float/Decimal.

    `limit` bounds the absolute value (None: only the hard limit of 20 digits); `error` replaces the message
    for text that is no number at all (a format with «%(value)s»).
    """
    limit = _HARD_LIMIT if limit is None else min(limit, _HARD_LIMIT)
    if isinstance(value, bool):
        raise ValueError(_("«%(value)s» er ikke et tall.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        if (isinstance(value, float) and not math.isfinite(value)) or (
            isinstance(value, Decimal) and not value.is_finite()
        ):
            raise ValueError(_("«%(value)s» er ikke et tall.") % {"value": value})
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if abs(number) >= limit:
            raise ValueError(_("Tallet er for stort."))
        # A spreadsheet's computed numbers carry float noise (0.1 + 0.2): rounded to øre, as stored.
        number = number.quantize(Decimal("0.01") if decimals else Decimal("1"))
    else:
        text = _text(value)
        negative, rest = _split_sign(text)
        match = _NUMBER.fullmatch(_SPACES.sub(" ", rest))
        if not text or match is None or (match["decimals"] and not decimals):
            if error is not None:
                raise ValueError(error % {"value": shown(text)})
            example = "1 500 000 eller 12,5" if decimals else "1500"
            raise ValueError(
                _("«%(value)s» er ikke et tall; skriv f.eks. %(example)s.") % {"value": shown(text), "example": example}
            )
        whole = match["whole"].replace(" ", "").replace(".", "")
        fraction = match["decimals"] or ""
        if len(whole) > _MAX_DIGITS:
            raise ValueError(_("Tallet er for stort."))
        if len(fraction) > 2:
            raise ValueError(_("«%(value)s» har for mange desimaler; bruk høyst to.") % {"value": shown(text)})
        number = Decimal(f"{whole}.{fraction or '0'}")
        if abs(number) >= limit:
            raise ValueError(_("Tallet er for stort."))
        if negative:
            number = -number
        number = number.quantize(Decimal("0.01") if fraction else Decimal("1"))
    if number < 0 and not allow_negative:
        raise ValueError(_("Tallet kan ikke være negativt."))
    return number + 0  # -0 → 0


def parse_amount(value) -> Decimal:
    """An amount in kroner (≥ 0, at most two decimals) as `parse_number` reads it, with the amount's messages."""
    number = parse_number(
        value,
        allow_negative=True,
        limit=None,
        error=_("«%(value)s» er ikke et beløp i kroner; skriv f.eks. 1 500 000 eller 1500000."),
    )
    if number < 0:
        raise ValueError(_("Beløpet kan ikke være negativt."))
    if number >= NUMBER_LIMIT:
        raise ValueError(_("Beløpet er for stort."))
    return number.quantize(Decimal("0.01"))


def format_amount(value) -> str:
    """An amount as `parse_amount` reads it: «1 500 000», «1 234 567,50»."""
    return format_number(value, places=2)


def parse_int(value, *, allow_negative: bool = False, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number from ASCII digits (with an optional minus sign), or a spreadsheet's whole int/float."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
        text = str(value)
    else:
        text = _text(value)
        negative, rest = _split_sign(text)
        if not _INTEGER.fullmatch(rest):
            raise ValueError(_("«%(value)s» er ikke et helt tall.") % {"value": shown(text)})
        if len(rest.lstrip("0")) > _MAX_DIGITS:
            raise ValueError(_("Tallet er for stort."))
        number = -int(rest) if negative else int(rest)
    if number < 0 and not allow_negative:
        raise ValueError(_("Tallet kan ikke være negativt."))
    if minimum is not None and number < minimum:
        raise ValueError(_("«%(value)s» er mindre enn %(minimum)s.") % {"value": shown(text), "minimum": minimum})
    if maximum is not None and number > maximum:
        raise ValueError(_("«%(value)s» er større enn %(maximum)s.") % {"value": shown(text), "maximum": maximum})
    return number


def parse_id(value) -> int:
    """A database id (1 … 2⁶³−1) from a URL, query or spreadsheet value; ValueError otherwise."""
    try:
        return parse_int(value, minimum=1, maximum=MAX_ID)
    except ValueError:
        raise ValueError(_("«%(value)s» er ikke en gyldig ID.") % {"value": shown(_text(value))}) from None


parse_positive_int = parse_id


def query_int(value, *, maximum: int = MAX_ID) -> int | None:
    """A whole number 0…`maximum` from a URL, query or hidden-form value, or None for anything else.

    For values where a wrong one simply means «no filter» or «not given» (page filters, a version field): the
    one replacement for `value.isdigit()` followed by `int(value)`, which lets «²» through to a ValueError.
    """
    try:
        return parse_int(value, minimum=0, maximum=maximum)
    except ValueError:
        return None


def parse_date(value, *, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE) -> date:
    """A date from «15.03.2017», «15.03.17» or «2017-03-15» (or a date a spreadsheet holds), in range."""
    if isinstance(value, datetime):
        day = value.date()
        text = day.strftime("%d.%m.%Y")
    elif isinstance(value, date):
        day, text = value, value.strftime("%d.%m.%Y")
    else:
        text = _text(value)
        day = None
        if match := _DMY.fullmatch(text):
            d, m, y = (int(part) for part in match.groups())
            if len(match[3]) == 2:  # as strptime's %y: 00–68 are 2000–2068, 69–99 are 1969–1999
                y += 2000 if y < 69 else 1900
        elif match := _ISO.fullmatch(text):
            y, m, d = (int(part) for part in match.groups())
        else:
            raise ValueError(_("«%(value)s» er ikke en dato; skriv f.eks. 15.03.2017.") % {"value": shown(text)})
        try:
            day = date(y, m, d)
        except ValueError:
            raise ValueError(
                _("«%(value)s» er ikke en dato; skriv f.eks. 15.03.2017.") % {"value": shown(text)}
            ) from None
    if not earliest <= day <= latest:
        raise ValueError(
            _("«%(value)s» er utenfor det tillatte tidsrommet (%(earliest)s–%(latest)s).")
            % {"value": shown(text), "earliest": earliest.strftime("%d.%m.%Y"), "latest": latest.strftime("%d.%m.%Y")}
        )
    return day


def format_number(value, *, grouping: bool = True, places: int | None = None) -> str:
    """`value` as Norwegian text that `parse_number` reads back: «1 500 000», «-3», «12,5», «0,05».

    With `places`, a fraction is written with that many decimals («1 234 567,50»); a whole number never is.
    """
    if value is None:
        return ""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    text = f"{whole:,}".replace(",", " ") if grouping else str(whole)
    fraction = value - whole
    if fraction:
        digits = f"{fraction.normalize():f}"[2:]  # "0.5" → "5", "0.05" → "05"
        text += "," + (digits.ljust(places, "0") if places else digits)
    return sign + text
