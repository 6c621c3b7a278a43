"""The form that makes a personal access token."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.validators import CleanTextFieldsMixin

LIFETIMES = [(30, _("30 dager")), (90, _("90 dager")), (180, _("180 dager")), (365, _("1 år"))]


class TokenForm(CleanTextFieldsMixin, forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=100,
        help_text=_("Hva nøkkelen skal brukes til, for eksempel «Power BI styringsrapport»."),
        error_messages={"required": _("Gi nøkkelen et navn.")},
    )
    days = forms.TypedChoiceField(
        label=_("Gyldig i"),
        choices=LIFETIMES,
        coerce=int,
        initial=90,
        error_messages={
            "invalid_choice": _("Velg hvor lenge nøkkelen skal gjelde."),
            "required": _("Velg hvor lenge nøkkelen skal gjelde."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No lifetime beyond the installation's limit (API_TOKEN_MAX_DAYS); the shortest always remains.
        allowed = [(days, label) for days, label in LIFETIMES if days <= settings.API_TOKEN_MAX_DAYS]
        self.fields["days"].choices = allowed or LIFETIMES[:1]
