"""Server-side checks shared by the edit forms of several apps."""

from datetime import date

from django import forms
from django.utils.translation import gettext as _


def check_within_programme(day: date | None, programme) -> date | None:
    """Refuse a date outside the programme's period, with the period in the message."""
    if day is not None and not programme.start_date <= day <= programme.end_date:
        raise forms.ValidationError(
            _("Datoen må ligge innenfor programperioden %(start)s–%(end)s.")
            % {"start": programme.start_date.strftime("%d.%m.%Y"), "end": programme.end_date.strftime("%d.%m.%Y")},
            code="outside_programme",
        )
    return day
