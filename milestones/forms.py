from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import DateField, WholeNumberField
from common.parsing import query_int
from common.validators import CleanTextFieldsMixin, SingleLineFieldsMixin, validate_code
from common.versioning import VersionedModelForm
from portfolio.models import MONTH_NAMES, Activity
from portfolio.validation import check_within_programme

from .models import DecisionPoint, Meeting, MeetingSeries, Milestone

DATE_ERROR = _("Skriv datoen som dd.mm.åååå.")


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionPointVersion(CleanTextFieldsMixin, forms.Form):
    """The decision point's version when the form was drawn: a decision over a newer change is refused.

    `current` is set to the stored point when that happens, as on a VersionedModelForm (for _stale.html).
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    current = None

    def clean_version(self):
        # A version that is no number (a tampered page) is no version: the change is then refused as stale, with
        # the stale message, rather than with an error on a hidden field that nobody sees.
        return query_int(self.cleaned_data.get("version"))


class DecisionForm(DecisionPointVersion):
    decision_text = forms.CharField(
        label=_("Vedtak"), widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": _("Skriv vedtaket.")}
    )
    reference = forms.CharField(
        label=_("Referanse"),
        max_length=120,
        required=False,
        help_text=_("For eksempel saksnummer eller protokoll."),
        error_messages={"max_length": _("Referansen kan være høyst 120 tegn.")},
    )
    decided_on = DateField(
        label=_("Besluttet dato"),
        error_messages={"required": _("Skriv datoen vedtaket ble gjort."), "invalid": DATE_ERROR},
    )

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Et vedtak kan ikke ha en dato fram i tid."))
        return day


class PostponeForm(DecisionPointVersion):
    new_date = DateField(
        label=_("Ny dato"),
        error_messages={"required": _("Skriv den nye datoen."), "invalid": DATE_ERROR},
    )

    def __init__(self, *args, decision_point=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision_point = decision_point

    def clean_new_date(self):
        day = self.cleaned_data["new_date"]
        if self.decision_point and day <= self.decision_point.date:
            raise forms.ValidationError(_("Den nye datoen må være etter den gamle."))
        if self.decision_point:
            check_within_programme(day, self.decision_point.programme)
        return day


def check_status(form, data) -> None:
    """A milestone marked achieved needs its actual date (not in the future) and what documents it."""
    status, actual = data.get("status"), data.get("actual_date")
    if status == Milestone.Status.ACHIEVED and not actual:
        form.add_error("actual_date", _("En nådd milepæl må ha faktisk dato."))
    if actual and actual > timezone.localdate():
        form.add_error("actual_date", _("Faktisk dato kan ikke være fram i tid."))
    if status == Milestone.Status.ACHIEVED and not data.get("evidence", "").strip():
        form.add_error("evidence", _("Beskriv dokumentasjonen for at milepælen er nådd."))


def duplicate_code_error(code: str) -> forms.ValidationError:
    return forms.ValidationError(
        _("Koden «%(code)s» er allerede i bruk i programmet (store og små bokstaver regnes som like)."),
        code="duplicate",
        params={"code": code},
    )


class PlanItemForm(SingleLineFieldsMixin, VersionedModelForm):
    """The plan fields shared by decision points and milestones: a code unique in the programme, and a date
    inside the programme's period. The programme is the instance's (the view sets it on a new one), so a
    stale save can restart on the stored object with the default `save_edit` restart.

    A code is part of its page's URL (beslutning/<code>/, milepael/<code>/): `validate_code` (common.validators)
    refuses what cannot be one, reserved words such as "ny" included."""

    single_line_fields = ("title",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = self.instance.programme
        code = self.fields["code"]
        code.validators.append(validate_code)
        code.error_messages["max_length"] = _("Koden kan være høyst %(limit_value)d tegn.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        model = self._meta.model
        clash = model.objects.filter(programme=self.programme, code__iexact=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise duplicate_code_error(code)
        return code


class DecisionPointForm(PlanItemForm):
    """The project leader plans a decision point; recording the decision and postponing are separate forms."""

    class Meta:
        model = DecisionPoint
        fields = ["code", "title", "date", "forum", "basis"]
        field_classes = {"date": DateField}
        widgets = {"date": date_input(), "basis": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "code": {"required": _("Skriv en kode for beslutningspunktet.")},
            "title": {"required": _("Skriv hva som skal besluttes.")},
            "date": {"required": _("Skriv datoen beslutningen skal tas."), "invalid": DATE_ERROR},
        }

    def clean_date(self):
        return check_within_programme(self.cleaned_data["date"], self.programme)


class MilestonePlanForm(PlanItemForm):
    """The project leader plans a milestone: the plan fields, and the status fields of MilestoneForm."""

    class Meta:
        model = Milestone
        fields = ["code", "title", "activity", "planned_date", "criteria", "status", "actual_date", "evidence"]
        field_classes = {"planned_date": DateField, "actual_date": DateField}
        widgets = {
            "planned_date": date_input(),
            "actual_date": date_input(),
            "criteria": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "code": {"required": _("Skriv en kode for milepælen.")},
            "title": {"required": _("Skriv milepælen.")},
            "activity": {"invalid_choice": _("Velg en aktivitet fra listen.")},
            "planned_date": {"required": _("Skriv den planlagte datoen."), "invalid": DATE_ERROR},
            "actual_date": {"invalid": DATE_ERROR},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        activity = self.fields["activity"]
        activity.queryset = Activity.objects.filter(programme=self.programme).order_by("code")
        activity.empty_label = _("Hele programmet")

    def clean_planned_date(self):
        return check_within_programme(self.cleaned_data["planned_date"], self.programme)

    def clean(self):
        data = super().clean()
        check_status(self, data)
        return data


class MilestoneForm(VersionedModelForm):
    class Meta:
        model = Milestone
        fields = ["status", "actual_date", "evidence"]
        field_classes = {"actual_date": DateField}
        widgets = {"actual_date": date_input(), "evidence": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"actual_date": {"invalid": DATE_ERROR}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        check_status(self, data)
        return data


class ScheduleForm(forms.Form):
    """One checkbox per month of each phase; field names are `m<phase pk>_<month>`."""

    def __init__(self, *args, phases, selected: set[tuple[int, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = phases
        for phase in phases:
            for month in range(1, 13):
                self.fields[f"m{phase.pk}_{month}"] = forms.BooleanField(
                    label=f"{MONTH_NAMES[month - 1]} {phase.year}",
                    required=False,
                    initial=(phase.pk, month) in selected,
                )

    def rows(self):
        """Fields grouped by phase, for the template."""
        return [(phase, [self[f"m{phase.pk}_{m}"] for m in range(1, 13)]) for phase in self.phases]

    def chosen(self) -> set[tuple[int, int]]:
        return {
            (phase.pk, month)
            for phase in self.phases
            for month in range(1, 13)
            if self.cleaned_data.get(f"m{phase.pk}_{month}")
        }


class MeetingSeriesForm(VersionedModelForm):
    class Meta:
        model = MeetingSeries
        fields = ["name", "participants", "first_date", "interval_days", "active"]
        field_classes = {"first_date": DateField, "interval_days": WholeNumberField}
        widgets = {"first_date": date_input()}
        error_messages = {
            "name": {"required": _("Gi møteserien et navn.")},
            "first_date": {"required": _("Skriv datoen for første møte."), "invalid": DATE_ERROR},
            "interval_days": {
                "required": _("Skriv intervallet i dager."),
                "invalid": _("Intervallet må være et helt antall dager."),
                "min_value": _("Intervallet må være minst 1 dag."),
            },
        }

    def clean_interval_days(self):
        days = self.cleaned_data["interval_days"]
        if days < 1:
            raise forms.ValidationError(_("Intervallet må være minst 1 dag."))
        return days


class MeetingForm(VersionedModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "minutes"]
        field_classes = {"held_on": DateField}
        widgets = {"held_on": date_input(), "minutes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "held_on": {"required": _("Skriv datoen møtet ble holdt."), "invalid": DATE_ERROR},
            "minutes": {"required": _("Skriv referatet.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].required = True

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Et holdt møte kan ikke ha en dato fram i tid."))
        return day
