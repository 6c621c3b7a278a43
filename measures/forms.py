from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import AmountField, DateField, NumberField, WholeNumberField
from common.public_forms import PublicFormMixin
from common.uploads import validate_spreadsheet
from common.validators import CleanTextFieldsMixin, SingleLineFieldsMixin
from common.versioning import VersionedModelForm
from portfolio.models import Activity, Area
from portfolio.validation import check_within_programme

from .models import Proposal

REQUIRED = {"required": _("Dette feltet må fylles ut.")}
SCORE_ERRORS = {
    "min_value": _("Bruk en verdi fra 1 til 5."),
    "max_value": _("Bruk en verdi fra 1 til 5."),
    "invalid": _("Skriv et helt tall fra 1 til 5."),
}


class ProgrammeAreaMixin:
    """Limit the area choices to the programme's own areas."""

    def limit_areas(self, programme):
        self.fields["area"].queryset = Area.objects.filter(programme=programme).order_by("number")
        self.fields["area"].empty_label = _("Velg hovedområde")


class StaffProposalForm(SingleLineFieldsMixin, ProgrammeAreaMixin, forms.ModelForm):
    single_line_fields = ("title", "unit")
    # Kroner typed the Norwegian way («150 000», «1 500 000,-»), as the import reads them (common.parsing).
    estimated_cost = AmountField(label=_("Grovt kostnadsestimat (kr), om kjent"), required=False)

    class Meta:
        model = Proposal
        fields = ["title", "description", "problem", "unit", "expected_benefit", "estimated_cost", "area"]
        labels = {
            "area": _("Foreslått hovedområde"),
        }
        error_messages = {
            "title": REQUIRED,
            "area": {**REQUIRED, "invalid_choice": _("Velg et hovedområde fra listen.")},
        }
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("description", "problem", "expected_benefit")}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_areas(programme)

    def clean_estimated_cost(self):
        cost = self.cleaned_data.get("estimated_cost")
        if cost is not None and cost < 0:
            raise forms.ValidationError(_("Kostnaden kan ikke være negativ."))
        return cost


class CitizenProposalForm(PublicFormMixin, SingleLineFieldsMixin, ProgrammeAreaMixin, forms.ModelForm):
    single_line_fields = ("title", "submitter_name")

    class Meta:
        model = Proposal
        fields = ["title", "description", "problem", "area", "submitter_name", "submitter_email"]
        labels = {
            "area": _("Hvilket område gjelder det?"),
            "submitter_name": _("Navn (valgfritt)"),
            "submitter_email": _("E-post (valgfritt, for å få beskjed om status)"),
        }
        error_messages = {
            "title": REQUIRED,
            "area": {**REQUIRED, "invalid_choice": _("Velg et område fra listen.")},
            "submitter_email": {"invalid": _("Skriv en gyldig e-postadresse.")},
        }
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("description", "problem")}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_areas(programme)


class StatusChangeForm(CleanTextFieldsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), error_messages=REQUIRED)
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The status the user saw when the form was drawn: a move decided on a stale page is refused.
    from_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, allowed, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if current is not None and not self.is_bound:
            self.initial["from_status"] = current
        # No preselected move: a status change should be a choice, never a default.
        self.fields["status"].choices = [("", _("Velg ny status"))] + [(s, Proposal.Status(s).label) for s in allowed]
        self.fields["status"].error_messages["invalid_choice"] = _("Denne statusendringen er ikke tillatt.")

    def add_error(self, field, error):
        # After a stale move the view draws a fresh, unbound form for the status the proposal has now and adds
        # the refusal to it; an unbound form has no cleaned_data, which Django's add_error expects.
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        super().add_error(field, error)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("from_status")
        if seen and self.current is not None and seen != self.current:
            raise forms.ValidationError(
                _("Statusen er endret av en annen bruker i mellomtiden (nå: «%(now)s»). Endringen din er ikke lagret.")
                % {"now": Proposal.Status(self.current).label},
                code="stale",
            )
        return cleaned


class ModerationForm(CleanTextFieldsMixin, forms.Form):
    """Approve a citizen's proposal for the public pages, or reject it with a reason (as every rejection has)."""

    action = forms.ChoiceField(
        choices=[("approve", _("Godkjenn")), ("reject", _("Avvis"))],
        error_messages={"required": _("Ukjent handling."), "invalid_choice": _("Ukjent handling.")},
    )
    reason = forms.CharField(
        label=_("Begrunnelse ved avvisning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Begrunnelsen kan være høyst %(limit_value)d tegn.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Et avslag må begrunnes. Skriv hvorfor forslaget ikke godkjennes."))
        return cleaned


class AssessmentForm(VersionedModelForm):
    estimated_cost = AmountField(label=_("Kostnadsestimat (kr)"), required=False)

    class Meta:
        model = Proposal
        fields = [
            "need",
            "benefit",
            "feasibility_technical",
            "feasibility_economic",
            "estimated_cost",
            "estimated_effort_days",
        ]
        # Scores 1–5 as short text fields (a browser's type=number would turn «3,5» into 35 or nothing).
        field_classes = {
            **dict.fromkeys(("need", "benefit", "feasibility_technical", "feasibility_economic"), WholeNumberField),
            "estimated_effort_days": NumberField,
        }
        error_messages = {
            **dict.fromkeys(("need", "benefit", "feasibility_technical", "feasibility_economic"), SCORE_ERRORS),
            "estimated_effort_days": {"invalid": _("Skriv antall dagsverk som et tall.")},
        }

    def clean(self):
        data = super().clean()
        for field in ("estimated_cost", "estimated_effort_days"):
            if data.get(field) is not None and data[field] < 0:
                self.add_error(field, _("Verdien kan ikke være negativ."))
        return data


class ActivityForm(VersionedModelForm):
    class Meta:
        model = Proposal
        fields = ["activity"]
        labels = {"activity": _("Hovedaktivitet (HA)")}
        error_messages = {"activity": {"invalid_choice": _("Velg en aktivitet fra listen.")}}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(programme=programme).order_by("code")
        self.fields["activity"].empty_label = _("Ingen")

    def clean_activity(self):
        activity = self.cleaned_data.get("activity")
        if activity is not None and not self.instance.is_measure:
            raise forms.ValidationError(_("Bare forslag som er tatt inn i planen kan knyttes til en aktivitet."))
        return activity


class ChangeCouncilForm(VersionedModelForm):
    class Meta:
        model = Proposal
        fields = ["needs_change_council", "change_council_reviewed_on", "change_council_note"]
        field_classes = {"change_council_reviewed_on": DateField}
        error_messages = {"change_council_reviewed_on": {"invalid": _("Skriv datoen som dd.mm.åååå.")}}
        widgets = {
            "change_council_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_change_council_reviewed_on(self):
        return check_within_programme(self.cleaned_data.get("change_council_reviewed_on"), self.instance.programme)


class NewRoundForm(forms.Form):
    year = WholeNumberField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        error_messages={
            **REQUIRED,
            "invalid": _("Skriv et årstall."),
            "min_value": _("Ugyldig år."),
            "max_value": _("Ugyldig år."),
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Regneark (CSV eller XLSX)"),
        error_messages={**REQUIRED, "empty": _("Filen er tom.")},
        validators=[validate_spreadsheet],
    )
