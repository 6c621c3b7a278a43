from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import AmountField, DateField
from common.versioning import VersionedModelForm

from .models import RAG, BudgetLine, StatusReport


class BudgetLineActualForm(VersionedModelForm):
    """The project leader records what a budget line actually came to; empty means not yet known."""

    actual_amount = AmountField(
        label=_("Faktisk beløp (kr)"),
        required=False,
        help_text=_("For eksempel 1 500 000. Tomt betyr at beløpet ikke er kjent ennå."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    class Meta:
        model = BudgetLine
        fields = ["actual_amount"]


class StatusReportForm(VersionedModelForm):
    """A status report: the five dimensions as green/yellow/red radio groups, each with its comment.

    A new report starts from the previous report's statuses, so the fortnightly report is quick.
    """

    class Meta:
        model = StatusReport
        fields = [
            "period_end",
            "overall",
            "comment",
            "scope",
            "scope_comment",
            "time",
            "time_comment",
            "cost",
            "cost_comment",
            "risk",
            "risk_comment",
            "achievements",
            "next_steps",
        ]
        field_classes = {"period_end": DateField}
        widgets = {
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **dict.fromkeys(StatusReport.DIMENSIONS, forms.RadioSelect),
            **{comment: forms.Textarea(attrs={"rows": 2}) for comment in StatusReport.DIMENSIONS.values()},
            "achievements": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "period_end": {
                "required": _("Skriv datoen rapporten gjelder til og med."),
                "invalid": _("Skriv datoen som dd.mm.åååå."),
            },
            **{
                name: {"required": _("Velg grønn, gul eller rød."), "invalid_choice": _("Velg grønn, gul eller rød.")}
                for name in StatusReport.DIMENSIONS
            },
        }

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        for name in StatusReport.DIMENSIONS:
            # A radio group needs no empty "---------" choice: every dimension must be given.
            self.fields[name].choices = RAG.choices
        if self.instance.pk is None and not self.is_bound:
            # Today, or the programme's last day once it has ended: a date the form accepts.
            self.initial["period_end"] = min(activity.programme.clamp(), timezone.localdate())
            previous = activity.status_reports.order_by("-period_end", "-created_at", "-id").first()
            if previous is not None:
                for name in StatusReport.DIMENSIONS:
                    self.initial[name] = getattr(previous, name)

    def dimension_fields(self) -> list[tuple]:
        """(status field, comment field) per dimension, for the template's radio groups."""
        return [(self[name], self[comment]) for name, comment in StatusReport.DIMENSIONS.items()]

    def clean_period_end(self):
        day = self.cleaned_data["period_end"]
        programme = self.activity.programme
        if day > timezone.localdate():
            raise forms.ValidationError(_("En statusrapport kan ikke gjelde en dato fram i tid."))
        if not programme.start_date <= day <= programme.end_date:
            raise forms.ValidationError(
                _("Datoen må ligge i programperioden, %(start)s–%(end)s.")
                % {"start": programme.start_date.strftime("%d.%m.%Y"), "end": programme.end_date.strftime("%d.%m.%Y")}
            )
        others = StatusReport.objects.filter(activity=self.activity, period_end=day).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("%(code)s har allerede en statusrapport per %(date)s. Rediger den i stedet for å lage en ny.")
                % {"code": self.activity.code, "date": day.strftime("%d.%m.%Y")}
            )
        return day
