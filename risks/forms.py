from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fields import DateField
from common.uploads import validate_spreadsheet
from common.validators import CleanTextFieldsMixin, SingleLineFieldsMixin, validate_code
from common.versioning import VersionedModelForm
from portfolio.models import Activity, Person
from portfolio.validation import check_within_programme

from .models import Band, Mitigation, Risk

SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]
SORTS = {
    "rf": ("-latest_rf", "code"),  # highest risk first: what the steering group reads first
    "rf_asc": ("latest_rf", "code"),
    "code": ("code",),
}


class RegisterFilterForm(forms.Form):
    """The register's filters, read from the query string; invalid values are simply not applied."""

    band = forms.ChoiceField(label=_("Nivå"), required=False, choices=[("", _("Alle")), *Band.choices])
    owner = forms.ChoiceField(label=_("Eier"), required=False)
    activity = forms.ChoiceField(label=_("Hovedaktivitet"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alle")), *Risk.Status.choices])
    overdue = forms.BooleanField(label=_("Bare forfalte"), required=False)
    sort = forms.ChoiceField(
        label=_("Sorter"),
        required=False,
        choices=[("rf", _("Høyest RF først")), ("rf_asc", _("Lavest RF først")), ("code", _("Nummer"))],
    )
    s = forms.TypedChoiceField(required=False, coerce=int, choices=SCORE_CHOICES, empty_value=None)
    k = forms.TypedChoiceField(required=False, coerce=int, choices=SCORE_CHOICES, empty_value=None)

    def __init__(self, data, *, people, activities):
        super().__init__(data)
        self.fields["owner"].choices = [("", _("Alle")), *[(str(p.pk), p.name) for p in people]]
        self.fields["activity"].choices = [
            ("", _("Alle")),
            ("programme", _("Hele programmet")),
            *[(str(a.pk), f"{a.code} {a.name}") for a in activities],
        ]

    def apply(self, risks, *, with_cell: bool = True):
        """Filter and sort the risks (annotated `with_latest` and `with_overdue`) by the valid fields."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("band"):
            risks = risks.in_band(data["band"])
        if data.get("owner"):
            risks = risks.filter(owner_id=int(data["owner"]))
        if data.get("activity") == "programme":
            risks = risks.filter(activity__isnull=True)
        elif data.get("activity"):
            risks = risks.filter(activity_id=int(data["activity"]))
        if data.get("status"):
            risks = risks.filter(status=data["status"])
        if data.get("overdue"):
            # The flags the list shows (`with_overdue`, against the register's day), so the filter keeps exactly
            # the rows marked «forfalt» – none after the programme's end.
            risks = risks.filter(Q(review_overdue=True) | Q(overdue_mitigations__gt=0))
        cell = self.cell if with_cell else None
        if cell:
            risks = risks.filter(latest_probability=cell[0], latest_consequence=cell[1])
        return risks.order_by(*SORTS[data.get("sort") or "rf"])

    @property
    def cell(self) -> tuple[int, int] | None:
        if self.is_valid() and self.cleaned_data.get("s") and self.cleaned_data.get("k"):
            return (self.cleaned_data["s"], self.cleaned_data["k"])
        return None

    def query_without_cell(self) -> str:
        """The current filters as a query string, for the heat-map links (which add their own cell)."""
        params = self.data.copy()
        for key in ("s", "k"):
            params.pop(key, None)
        return params.urlencode()


class AssessmentForm(CleanTextFieldsMixin, forms.Form):
    """A new S and K; RF is never typed, the database derives it."""

    probability = forms.TypedChoiceField(
        label=_("Sannsynlighet (S)"),
        choices=SCORE_CHOICES,
        coerce=int,
        error_messages={
            "required": _("Velg sannsynlighet 1–5."),
            "invalid_choice": _("Sannsynlighet må være et helt tall fra 1 til 5."),
        },
    )
    consequence = forms.TypedChoiceField(
        label=_("Konsekvens (K)"),
        choices=SCORE_CHOICES,
        coerce=int,
        error_messages={
            "required": _("Velg konsekvens 1–5."),
            "invalid_choice": _("Konsekvens må være et helt tall fra 1 til 5."),
        },
    )
    note = forms.CharField(label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RiskForm(SingleLineFieldsMixin, VersionedModelForm):
    single_line_fields = ("title",)

    class Meta:
        model = Risk
        fields = ["code", "title", "description", "activity", "owner", "status", "next_review_on", "note"]
        field_classes = {"next_review_on": DateField}
        widgets = {
            "next_review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "code": {"required": _("Skriv inn et nummer.")},
            "title": {"required": _("Skriv inn risikofaktoren.")},
            "next_review_on": {"invalid": _("Skriv datoen som dd.mm.åååå.")},
        }

    def __init__(self, *args, programme, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        self.fields["activity"].queryset = (
            activities if activities is not None else Activity.objects.filter(programme=programme)
        )
        self.fields["activity"].empty_label = _("Hele programmet")
        self.fields["owner"].queryset = Person.objects.filter(organisation_id=programme.organisation_id)
        # A code is part of the risk's URL: checked before the uniqueness check below (common.validators).
        self.fields["code"].validators.append(validate_code)

    def clean_next_review_on(self):
        return check_within_programme(self.cleaned_data.get("next_review_on"), self.programme)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = Risk.objects.filter(programme=self.programme, code__iexact=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Nummeret %(code)s er allerede i bruk i programmet."), params={"code": code})
        return code


class MitigationForm(VersionedModelForm):
    class Meta:
        model = Mitigation
        fields = ["description", "responsible", "due_on"]
        field_classes = {"due_on": DateField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "description": {"required": _("Beskriv tiltaket.")},
            "due_on": {"invalid": _("Skriv fristen som dd.mm.åååå.")},
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["responsible"].queryset = Person.objects.filter(organisation_id=programme.organisation_id)

    def clean_due_on(self):
        day = self.cleaned_data.get("due_on")
        return check_within_programme(day, self.programme)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        error_messages={"required": _("Velg en fil."), "empty": _("Filen er tom.")},
        validators=[validate_spreadsheet],
    )
    dry_run = forms.BooleanField(label=_("Bare kontroller (lagre ingenting)"), required=False)
