from django import forms
from django.utils.translation import gettext_lazy as _

from common.public_forms import PublicFormMixin
from common.validators import SingleLineFieldsMixin
from portfolio.models import Programme

from .models import BarrierReport


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})"


class BarrierReportForm(PublicFormMixin, SingleLineFieldsMixin, forms.ModelForm):
    single_line_fields = ("location", "name")

    programme = ProgrammeChoiceField(
        # Every programme of the installation: the same list the citizens' pages show.
        queryset=Programme.objects.select_related("organisation").order_by("organisation__name", "name"),
        required=False,
        label=_("Hvilket program gjelder det? (valgfritt)"),
        empty_label=_("Vet ikke / gjelder ikke ett program"),
        error_messages={"invalid_choice": _("Velg et program fra listen.")},
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
