"""Form fields shared by the apps' forms."""

import copy
import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .parsing import NUMBER_LIMIT, format_amount, format_number, parse_amount, parse_date, parse_number

_DOT_DECIMAL = re.compile(r"[-\u2212]?[0-9]+\.[0-9]{1,2}", re.ASCII)


class NumberInput(forms.TextInput):
    """A text input for a number: `type="number"` would let a browser read «50,5» as 505 or drop it silently.

    `inputmode` brings up the digits keyboard on a phone; `min`/`max`/`step` (set by a form, or left over from a
    NumberInput) are not valid on a text input and are dropped: the field checks the range itself.
    """

    def __init__(self, attrs=None, *, decimals: bool = True):
        attrs = {"inputmode": "decimal" if decimals else "numeric", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for key in ("min", "max", "step"):
            context["widget"]["attrs"].pop(key, None)
        return context


class NumberField(forms.CharField):
    """A number typed the Norwegian way: «50,5», «1 500 000», «1.500.000», «1 500 000,-», «−3»; empty is None.

    Read by `common.parsing.parse_number`, the parser of the spreadsheet imports, so a form and an import read
    the same text the same way. `decimals=False` takes whole numbers only and returns an int. Used for every
    number a person types, through `field_classes` of a ModelForm (it takes the model field's `max_digits`,
    `decimal_places`, `min_value` and `max_value`) or declared. An «invalid» message given by the form replaces
    the parser's for text that is no number at all.
    """

    default_error_messages = {
        "min_value": _("Verdien må være minst %(limit_value)s."),
        "max_value": _("Verdien kan være høyst %(limit_value)s."),
    }

    def __init__(
        self,
        *,
        decimals: bool | None = None,
        min_value=None,
        max_value=None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        grouping: bool | None = None,
        widget=None,
        **kwargs,
    ):
        kwargs.pop("step_size", None)
        kwargs.pop("max_length", None)
        self.decimals = (decimal_places != 0) if decimals is None else decimals
        self.decimal_places = 2 if decimal_places is None else decimal_places
        # Years and counts (model IntegerFields, no max_digits) read better ungrouped («2018», not «2 018»);
        # amounts and measurements (DecimalFields, whole kroner too) grouped.
        self.grouping = (self.decimals or max_digits is not None) if grouping is None else grouping
        self.limit = NUMBER_LIMIT
        if max_digits is not None:
            self.limit = Decimal(10) ** (max_digits - (self.decimal_places if self.decimals else 0))
        self.min_value, self.max_value = min_value, max_value
        if widget is None or isinstance(widget, type):
            widget = NumberInput(decimals=self.decimals)
        elif isinstance(widget, forms.NumberInput) or type(widget) is forms.TextInput:
            widget = NumberInput(widget.attrs, decimals=self.decimals)
        super().__init__(widget=widget, **kwargs)
        if min_value is not None:
            self.validators.append(MinValueValidator(min_value))
        if max_value is not None:
            self.validators.append(MaxValueValidator(max_value))

    def parse(self, text: str):
        invalid = self.error_messages.get("invalid")
        number = parse_number(
            text, allow_negative=True, decimals=self.decimals, limit=self.limit, error=invalid if invalid else None
        )
        if not self.decimals:
            return int(number)
        places = Decimal(1).scaleb(-self.decimal_places)
        if number != number.quantize(places):
            raise ValueError(_("Bruk høyst %(places)s desimaler.") % {"places": self.decimal_places})
        return number.quantize(places)  # 12,50 as 12,5 where the model keeps one decimal (its DecimalValidator)

    def to_python(self, value):
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return value
        text = super().to_python(value)
        if not text:
            return None
        if _DOT_DECIMAL.fullmatch(text):
            # «12.5» (a decimal point, as an English keyboard, a browser's own number field or a script sends it)
            # is 12,5; «1.500», three digits after the dot, stays the thousands grouping parse_number reads.
            text = text.replace(".", ",")
        try:
            return self.parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return format_number(value, grouping=self.grouping)

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (None if initial in (None, "") else self.to_python(initial))
        except forms.ValidationError:
            return True


class WholeNumberField(NumberField):
    """A whole number (a year, a count of days or months, a score 1–5) typed as text; returns an int."""

    def __init__(self, **kwargs):
        kwargs.setdefault("decimals", False)
        super().__init__(**kwargs)


class AmountField(NumberField):
    """An amount in kroner typed the Norwegian way (`1 500 000`, `1500000`, `1 500 000,-`); empty is None.

    Read by `common.parsing.parse_amount`, with the amount's own messages (never negative).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("decimals", True)
        super().__init__(**kwargs)

    def parse(self, text: str):
        return parse_amount(text)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return format_amount(value)


class DateField(forms.DateField):
    """A date typed as «2017-03-15», «15.03.2017» or «15.03.17», from 1900 to 2100; empty is None.

    Read by `common.parsing.parse_date`, the parser of the spreadsheet imports, so a form refuses what an import
    refuses (9999-12-15, 0001-01-01). Text that is no date gets the form's own «invalid» message; a date outside
    1900–2100 gets the parser's message. Drawn as `<input type="date">` whatever widget the form names.
    """

    input_formats = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
    default_error_messages = {"invalid": _("Skriv en gyldig dato, for eksempel 15.03.2018.")}

    def __init__(self, *, widget=None, **kwargs):
        kwargs.pop("input_formats", None)
        widget = widget or forms.DateInput
        widget = widget() if isinstance(widget, type) else copy.deepcopy(widget)
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
            widget.attrs.pop("placeholder", None)
        super().__init__(widget=widget, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            day = value.date() if hasattr(value, "date") and callable(value.date) else value
        else:
            try:
                day = parse_date(value, earliest=date.min, latest=date.max)
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        try:
            return parse_date(day)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="out_of_range") from None
