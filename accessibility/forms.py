import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from common.validators import SingleLineFieldsMixin
from portfolio.models import Programme

from .models import BarrierReport


class HiddenBoundField(forms.BoundField):
    """A hidden field drawn in the template's field loop without a label: there is nothing to label."""

    def label_tag(self, *args, **kwargs):
        return ""


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})"


class BarrierReportForm(SingleLineFieldsMixin, forms.ModelForm):
    single_line_fields = ("location", "name")

    programme = ProgrammeChoiceField(
        # Every programme of the installation: the same list the citizens' pages show.
        queryset=Programme.objects.select_related("organisation").order_by("organisation__name", "name"),
        required=False,
        label=_("Hvilket program gjelder det? (valgfritt)"),
        empty_label=_("Vet ikke / gjelder ikke ett program"),
        error_messages={"invalid_choice": _("Velg et program fra listen.")},
    )
    # A field people never see; bots fill it in.
    website = forms.CharField(required=False, label=_("La dette feltet stå tomt"))
    # A one-time token drawn with the form: the same form sent twice (a double click, a reload) is one report.
    submission_token = forms.CharField(
        required=False, label="", widget=forms.HiddenInput, bound_field_class=HiddenBoundField
    )

    class Meta:
        model = BarrierReport
        fields = ["location", "programme", "description", "name", "email"]
        labels = {
            "location": _("Hvor fant du feilen? (adresse eller navn på siden)"),
            "description": _("Hva skjedde? Hva prøvde du å gjøre, og hva hindret deg?"),
            "name": _("Navn (valgfritt)"),
            "email": _("E-post (valgfritt, hvis du vil ha svar)"),
        }
        error_messages = {
            "location": {
                "required": _("Skriv hvor du fant feilen, for eksempel adressen til siden."),
                "max_length": _("Skriv høyst %(limit_value)d tegn."),
            },
            "description": {
                "required": _("Beskriv hva som skjedde."),
                "max_length": _("Skriv høyst %(limit_value)d tegn."),
            },
            "name": {"max_length": _("Skriv høyst %(limit_value)d tegn.")},
            "email": {"invalid": _("Skriv en gyldig e-postadresse.")},
        }
        widgets = {
            "location": forms.TextInput(attrs={"autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

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
