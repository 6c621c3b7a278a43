"""What every form open to people without a login has: a honeypot field and a one-time submission token.

A bot fills in the field people never see (`website`, named so that autofill leaves it alone); the token drawn
with the form makes the same form sent twice (a double click, a reload) count once (the view looks it up).
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class HiddenBoundField(forms.BoundField):
    """A hidden field drawn in the template's field loop without a label: there is nothing to label."""

    def label_tag(self, *args, **kwargs):
        return ""


class PublicFormMixin(forms.Form):
    website = forms.CharField(required=False, label=_("La dette feltet stå tomt"))
    submission_token = forms.CharField(
        required=False, label="", widget=forms.HiddenInput, bound_field_class=HiddenBoundField
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_token"] = str(uuid.uuid4())

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    @property
    def token(self) -> uuid.UUID | None:
        """The submitted one-time token, or None when it is missing or not a token (then nothing is deduplicated)."""
        try:
            return uuid.UUID(str(self.data.get("submission_token", "")).strip())
        except ValueError:
            return None

    def clean_submission_token(self):
        return self.token
