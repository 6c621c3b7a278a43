"""Rows for `common/_stale.html`: what is stored now next to what the user typed, field by field."""

from dataclasses import dataclass
from datetime import date

from django import forms, template
from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext as _

register = template.Library()


@dataclass
class StaleRow:
    label: str
    stored: str
    typed: str

    @property
    def differs(self) -> bool:
        return self.stored != self.typed


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, models.Model | str):
        return str(value)
    return str(localize(value))


def _stored(instance, name: str) -> str:
    try:
        model_field = instance._meta.get_field(name)
    except Exception:  # a form-only field: nothing stored to compare
        return "–"
    if model_field.choices:
        return _text(getattr(instance, f"get_{name}_display")())
    return _text(getattr(instance, name))


def _typed(form, name: str) -> str:
    field = form.fields[name]
    cleaned = getattr(form, "cleaned_data", {})
    if name in cleaned:
        value = cleaned[name]
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value) if value not in (None, "") else value
        return _text(value)
    return _text(form[name].value())  # invalid input: show it as typed


@register.simple_tag
def stale_rows(form) -> list[StaleRow]:
    """One row per visible field of a VersionedModelForm that was refused as stale (`form.current` is set)."""
    current = getattr(form, "current", None)
    if current is None:
        return []
    return [
        StaleRow(str(form[name].label), _stored(current, name), _typed(form, name))
        for name in form.fields
        if not form[name].is_hidden
    ]
