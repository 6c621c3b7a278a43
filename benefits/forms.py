from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import formatting
from common.fields import DateField, NumberField, WholeNumberField
from common.uploads import validate_spreadsheet
from common.validators import SingleLineFieldsMixin, validate_code
from common.versioning import VersionedModelForm
from portfolio.models import Person

from .models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine

REQUIRED = {"required": _("Feltet må fylles ut.")}
NUMBER = {"invalid": _("Skriv et tall, for eksempel 1500 eller 12,5."), **REQUIRED}


class MeasurementForm(VersionedModelForm):
    """A new measurement, or (bound to one, with its version) a correction of it.

    A value far outside the benefit's range from baseline to target (a slip such as «505» for «50,5») is not
    refused: the form asks once more, and saves when «Verdien er riktig» is ticked.
    """

    confirmed = forms.BooleanField(label=_("Verdien er riktig"), required=False)

    class Meta:
        model = BenefitMeasurement
        fields = ["measured_on", "value", "note"]
        field_classes = {"measured_on": DateField, "value": NumberField}
        widgets = {
            "measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "measured_on": {"invalid": _("Skriv en gyldig dato, for eksempel 15.03.2018."), **REQUIRED},
            "value": NUMBER,
        }

    def __init__(self, *args, benefit: Benefit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.benefit = benefit
        self.needs_confirmation = False

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        benefit = self.instance.benefit
        if benefit.baseline_date and day < benefit.baseline_date:
            raise forms.ValidationError(
                _("Målingen kan ikke være fra før nullpunktet (%(date)s).")
                % {"date": benefit.baseline_date.strftime("%d.%m.%Y")}
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("Målingen kan ikke være fra en dato fram i tid."))
        return day

    def clean_value(self):
        value = self.cleaned_data["value"]
        benefit = self.instance.benefit
        if benefit.is_implausible(value) and not self.data.get(self.add_prefix("confirmed")):
            self.needs_confirmation = True
            raise forms.ValidationError(
                _(
                    "%(value)s ligger langt utenfor spennet fra nullpunktet (%(baseline)s) til målet (%(target)s). "
                    "Sjekk at det ikke er en tastefeil (som 505 for 50,5). Stemmer verdien, kryss av for «Verdien "
                    "er riktig» og lagre på nytt."
                )
                % {
                    "value": formatting.number(value),
                    "baseline": formatting.number(benefit.baseline_value),
                    "target": formatting.number(benefit.target_value),
                },
                code="implausible",
            )
        return value


class CashFlowLineForm(VersionedModelForm):
    """One year of the cost–benefit table: a new year, or (bound to its line, with its version) a change to one."""

    class Meta:
        model = CashFlowLine
        fields = ["year", "investment", "operating_cost", "benefit_value", "realised_benefit_value", "note"]
        field_classes = {
            "year": WholeNumberField,
            **dict.fromkeys(("investment", "operating_cost", "benefit_value", "realised_benefit_value"), NumberField),
        }
        error_messages = {
            "year": {"invalid": _("Skriv et årstall, for eksempel 2018."), **REQUIRED},
            "investment": {**NUMBER, "min_value": _("Beløpet kan ikke være negativt.")},
            "operating_cost": {**NUMBER, "min_value": _("Beløpet kan ikke være negativt.")},
            "benefit_value": {**NUMBER, "min_value": _("Beløpet kan ikke være negativt.")},
            "realised_benefit_value": {**NUMBER, "min_value": _("Beløpet kan ikke være negativt.")},
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan

    def clean_year(self):
        year = self.cleaned_data["year"]
        first, last = self.plan.first_year, self.plan.last_year
        if not first <= year <= last:
            raise forms.ValidationError(
                _("Året må ligge i analyseperioden %(first)s–%(last)s.") % {"first": first, "last": last}
            )
        return year

    def clean(self):
        # Typed as a new year, but the year already has amounts: never replace figures the user has not seen.
        if self.instance.pk is not None and not self.data.get(self.add_prefix("version")):
            self.current = self._stored()
            raise forms.ValidationError(
                _(
                    "År %(year)s har allerede tall, og ingenting er lagret. Skjemaet viser nå de lagrede tallene: "
                    "endre dem og lagre på nytt."
                )
                % {"year": self.instance.year},
                code="stale",
            )
        return super().clean()


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva importeres"),
        choices=[("malinger", _("Målinger")), ("gevinster", _("Gevinster"))],
        error_messages={"required": _("Velg hva som importeres."), "invalid_choice": _("Ukjent importtype.")},
    )
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        error_messages={"required": _("Velg en fil."), "empty": _("Filen er tom.")},
        validators=[validate_spreadsheet],
    )
    dry_run = forms.BooleanField(label=_("Bare kontroller, ikke lagre"), required=False)


class BenefitForm(VersionedModelForm):
    class Meta:
        model = Benefit
        fields = [
            "description",
            "kind",
            "is_financial",
            "indicator",
            "unit",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "method",
            "frequency_months",
            "owner",
            "status",
        ]
        field_classes = {
            "baseline_date": DateField,
            "target_date": DateField,
            "baseline_value": NumberField,
            "target_value": NumberField,
            "frequency_months": WholeNumberField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "method": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "description": REQUIRED,
            "indicator": REQUIRED,
            "kind": {**REQUIRED, "invalid_choice": _("Velg en av typene i lista.")},
            "status": {**REQUIRED, "invalid_choice": _("Velg en av statusene i lista.")},
            "baseline_value": NUMBER,
            "target_value": NUMBER,
            "baseline_date": {"invalid": _("Skriv en gyldig dato, for eksempel 15.03.2018.")},
            "target_date": {"invalid": _("Skriv en gyldig dato, for eksempel 15.03.2018.")},
            "frequency_months": {
                "invalid": _("Skriv et helt antall måneder."),
                "min_value": _("Målefrekvensen må være minst 1 måned."),
            },
            "owner": {"invalid_choice": _("Velg en person i lista.")},
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["owner"].queryset = Person.objects.filter(organisation_id=plan.programme.organisation_id)

    def clean(self):
        cleaned = super().clean()
        baseline, target = cleaned.get("baseline_date"), cleaned.get("target_date")
        if baseline and target and target <= baseline:
            self.add_error("target_date", _("Måldatoen må komme etter nullpunktdatoen."))
        if (cleaned.get("baseline_value") is None) != (cleaned.get("target_value") is None):
            self.add_error("target_value", _("Fyll ut både nullpunkt og mål, eller ingen av dem."))
        return cleaned


class BenefitPlanForm(SingleLineFieldsMixin, VersionedModelForm):
    single_line_fields = ("title",)

    class Meta:
        model = BenefitPlan
        fields = [
            "code",
            "title",
            "activity",
            "measure",
            "description",
            "change_actions",
            "discount_rate",
            "analysis_start_year",
            "analysis_years",
            "is_example",
        ]
        field_classes = {
            "discount_rate": NumberField,
            "analysis_start_year": WholeNumberField,
            "analysis_years": WholeNumberField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "change_actions": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "code": REQUIRED,
            "title": REQUIRED,
            "discount_rate": {
                **NUMBER,
                "min_value": _("Renten kan ikke være negativ."),
                # Django fills in %(limit_value)s, so a literal percent sign is written %% here.
                "max_value": _("Renten kan ikke være over %(limit_value)s %%."),
            },
            "analysis_years": {
                **REQUIRED,
                "invalid": _("Skriv et helt antall år."),
                "min_value": _("Analyseperioden må være minst 1 år."),
                "max_value": _("Analyseperioden kan være høyst 50 år."),
            },
            "analysis_start_year": {"invalid": _("Skriv et årstall, for eksempel 2018.")},
            "activity": {"invalid_choice": _("Velg en aktivitet du kan redigere.")},
            "measure": {"invalid_choice": _("Velg et vedtatt tiltak.")},
        }

    def __init__(self, *args, programme, activities, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["activity"].queryset = activities
        self.fields["measure"].queryset = measures
        # A code is part of the plan's URL: checked before the uniqueness check below (common.validators).
        self.fields["code"].validators.append(validate_code)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        taken = BenefitPlan.objects.filter(programme=self.instance.programme, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Koden %(code)s er allerede i bruk.") % {"code": code})
        return code

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("activity") and not cleaned.get("measure") and not self.has_error("activity"):
            self.add_error("activity", _("Velg en hovedaktivitet eller et vedtatt tiltak planen hører til."))
        return cleaned
