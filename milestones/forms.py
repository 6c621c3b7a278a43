from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.versioning import VersionedModelForm
from portfolio.models import MONTH_NAMES
from portfolio.validation import check_within_programme

from .models import Meeting, MeetingSeries, Milestone

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_ERROR = _("Skriv datoen som dd.mm.åååå.")


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionPointVersion(forms.Form):
    """The decision point's version when the form was drawn: a decision over a newer change is refused.

    `current` is set to the stored point when that happens, as on a VersionedModelForm (for _stale.html).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    current = None


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
    decided_on = forms.DateField(
        label=_("Besluttet dato"),
        widget=date_input(),
        input_formats=DATE_FORMATS,
        error_messages={"required": _("Skriv datoen vedtaket ble gjort."), "invalid": DATE_ERROR},
    )

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Et vedtak kan ikke ha en dato fram i tid."))
        return day


class PostponeForm(DecisionPointVersion):
    new_date = forms.DateField(
        label=_("Ny dato"),
        widget=date_input(),
        input_formats=DATE_FORMATS,
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


class MilestoneForm(VersionedModelForm):
    class Meta:
        model = Milestone
        fields = ["status", "actual_date", "evidence"]
        widgets = {"actual_date": date_input(), "evidence": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"actual_date": {"invalid": DATE_ERROR}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actual_date"].input_formats = DATE_FORMATS

    def clean(self):
        data = super().clean()
        status, actual = data.get("status"), data.get("actual_date")
        if status == Milestone.Status.ACHIEVED and not actual:
            self.add_error("actual_date", _("En nådd milepæl må ha faktisk dato."))
        if actual and actual > timezone.localdate():
            self.add_error("actual_date", _("Faktisk dato kan ikke være fram i tid."))
        if status == Milestone.Status.ACHIEVED and not data.get("evidence", "").strip():
            self.add_error("evidence", _("Beskriv dokumentasjonen for at milepælen er nådd."))
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_date"].input_formats = DATE_FORMATS
        self.fields["interval_days"].min_value = 1
        self.fields["interval_days"].widget.attrs["min"] = 1

    def clean_interval_days(self):
        days = self.cleaned_data["interval_days"]
        if days < 1:
            raise forms.ValidationError(_("Intervallet må være minst 1 dag."))
        return days


class MeetingForm(VersionedModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "minutes"]
        widgets = {"held_on": date_input(), "minutes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "held_on": {"required": _("Skriv datoen møtet ble holdt."), "invalid": DATE_ERROR},
            "minutes": {"required": _("Skriv referatet.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].input_formats = DATE_FORMATS
        self.fields["minutes"].required = True

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Et holdt møte kan ikke ha en dato fram i tid."))
        return day
