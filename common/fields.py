"""Form fields shared by the apps' forms."""

import copy
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .parsing import format_amount, parse_amount, parse_date


class AmountField(forms.CharField):
    """An amount in kroner typed the Norwegian way (`1 500 000`, `1500000`, `1 500 000,-`); empty is None.

    Read by `common.parsing.parse_amount`, the parser of the spreadsheet imports.
    """

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_amount(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error

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
