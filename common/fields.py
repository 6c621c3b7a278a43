"""Form fields shared by the apps' forms."""

from django import forms

from .parsing import format_amount, parse_amount


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
