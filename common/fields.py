"""Form fields shared by the apps' forms."""

from django import forms

from .spreadsheets import AmountWidget


class AmountField(forms.CharField):
    """An amount in kroner typed the Norwegian way (`1 500 000`, `1500000`, `1 500 000,-`); empty is None."""

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return AmountWidget().clean(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return AmountWidget().render(value)
