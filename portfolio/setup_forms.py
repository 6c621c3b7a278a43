"""The project leader's set-up forms: the programme, its phases, areas, people, activities and budget lines.

Every choice is limited to the programme (phases, areas, activities) or to its organisation (people), so an id
of another programme or municipality posted by hand is an ordinary form error. The uniqueness rules the
database enforces are checked here first, with Norwegian messages, so a user never meets an IntegrityError.
"""

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.fields import AmountField, DateField, WholeNumberField
from common.validators import CleanTextFieldsMixin, SingleLineFieldsMixin, validate_code
from common.versioning import VersionedModelForm

from .models import Activity, Area, BudgetLine, Membership, Person, Phase, Programme

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Skriv datoen som dd.mm.åååå.")}


def at_least_one(field: forms.Field) -> None:
    """A number field that must be 1 or more (the model allows 0)."""
    field.validators.append(MinValueValidator(1, _("Skriv et helt tall, minst 1.")))


class PeopleList(list):
    """The chosen people of a multiple choice, shown as their names (in the stale panel, for instance)."""

    def __str__(self):
        return ", ".join(person.name for person in self) or "–"


class PeopleField(forms.ModelMultipleChoiceField):
    """People chosen with checkboxes; the cleaned value is a PeopleList, sorted by name."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        return PeopleList(sorted(super().clean(value), key=lambda person: person.name))


class PlannedAmountField(AmountField):
    """An amount that says so when it is negative (rather than that «-5» is not an amount at all)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip().startswith(("-", "\u2212")):
            raise forms.ValidationError(_("Beløpet kan ikke være negativt."), code="negative")
        return super().to_python(value)


class ProgrammeForm(VersionedModelForm):
    """The programme's own settings; its slug and organisation are not changed here."""

    class Meta:
        model = Programme
        fields = ["name", "goal", "scope", "start_date", "end_date", "status_report_interval_days"]
        field_classes = {
            "start_date": DateField,
            "end_date": DateField,
            "status_report_interval_days": WholeNumberField,
        }
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 4}),
            "scope": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
        }
        error_messages = {"start_date": DATE_ERRORS, "end_date": DATE_ERRORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        at_least_one(self.fields["status_report_interval_days"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            # On the field, so the model's check constraint (an English message) is not checked as well.
            self.add_error("end_date", _("Sluttdatoen må være etter startdatoen."))
        return cleaned


class PhaseForm(VersionedModelForm):
    class Meta:
        model = Phase
        fields = ["number", "year", "name", "description", "budget_note"]
        field_classes = {"number": WholeNumberField, "year": WholeNumberField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "budget_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        at_least_one(self.fields["number"])
        self.fields["year"].help_text = _("Et år i programperioden, %(first)s–%(last)s.") % {
            "first": programme.start_date.year,
            "last": programme.end_date.year,
        }

    def _others(self):
        return Phase.objects.filter(programme=self.programme).exclude(pk=self.instance.pk)

    def clean_number(self):
        number = self.cleaned_data["number"]
        if self._others().filter(number=number).exists():
            raise forms.ValidationError(
                _("Programmet har allerede en fase %(number)s."), code="taken", params={"number": number}
            )
        return number

    def clean_year(self):
        year = self.cleaned_data["year"]
        first, last = self.programme.start_date.year, self.programme.end_date.year
        if not first <= year <= last:
            raise forms.ValidationError(
                _("Året må ligge i programperioden, %(first)s–%(last)s."),
                code="outside_programme",
                params={"first": first, "last": last},
            )
        if self._others().filter(year=year).exists():
            raise forms.ValidationError(
                _("Programmet har allerede en fase i %(year)s."), code="taken", params={"year": year}
            )
        return year


class AreaForm(VersionedModelForm):
    class Meta:
        model = Area
        fields = ["number", "name"]
        field_classes = {"number": WholeNumberField}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        at_least_one(self.fields["number"])

    def clean_number(self):
        number = self.cleaned_data["number"]
        if Area.objects.filter(programme=self.programme, number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Programmet har allerede et hovedområde %(number)s."), code="taken", params={"number": number}
            )
        return number


class PersonForm(VersionedModelForm):
    """Someone in the programme's organisation (people belong to the organisation, not to one programme)."""

    class Meta:
        model = Person
        fields = ["name", "title", "unit", "email"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Person.objects.filter(organisation=self.organisation, name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("%(name)s er allerede registrert i %(organisation)s."),
                code="taken",
                params={"name": name, "organisation": self.organisation.name},
            )
        return name


class ActivityForm(SingleLineFieldsMixin, VersionedModelForm):
    """An activity; `limited` for a project-group member, who edits its content but not its code or responsible."""

    LIMITED_FIELDS = ("purpose", "tasks", "expected_result", "working_group")
    single_line_fields = ("name",)

    class Meta:
        model = Activity
        fields = [
            "code",
            "name",
            "area",
            "responsible",
            "working_group",
            "purpose",
            "tasks",
            "expected_result",
            "schedule_note",
        ]
        field_classes = {"working_group": PeopleField}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "tasks": forms.Textarea(attrs={"rows": 4}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "schedule_note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "area": {"invalid_choice": _("Velg et hovedområde fra listen.")},
            "responsible": {"invalid_choice": _("Velg en person i lista.")},
            "working_group": {
                "invalid_choice": _("Velg en person i lista."),
                "invalid_pk_value": _("Velg en person i lista."),
            },
        }

    def __init__(self, *args, programme: Programme, limited: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        if limited:
            for name in [name for name in self.fields if name not in (*self.LIMITED_FIELDS, self.VERSION_FIELD)]:
                del self.fields[name]
        people = Person.objects.filter(organisation_id=programme.organisation_id).order_by("name")
        self.fields["working_group"].queryset = people
        if not limited:
            self.fields["code"].validators.append(validate_code)
            self.fields["code"].widget.attrs["autocomplete"] = "off"
            self.fields["area"].queryset = Area.objects.filter(programme=programme).order_by("number")
            self.fields["responsible"].queryset = people

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if Activity.objects.filter(programme=self.programme, code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Koden %(code)s er allerede i bruk."), code="taken", params={"code": code})
        return code


class BudgetLineForm(VersionedModelForm):
    """A budget line of one of the programme's phases; the actual amount is recorded on the budget page."""

    planned_amount = PlannedAmountField(
        label=capfirst(BudgetLine._meta.get_field("planned_amount").verbose_name),
        required=False,
        help_text=BudgetLine._meta.get_field("planned_amount").help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    class Meta:
        model = BudgetLine
        fields = ["phase", "activity", "kind", "category", "description", "planned_amount", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "phase": {"invalid_choice": _("Velg en fase fra listen.")},
            "activity": {"invalid_choice": _("Velg en aktivitet fra listen.")},
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["phase"].queryset = Phase.objects.filter(programme=programme).order_by("number")
        self.fields["activity"].queryset = Activity.objects.filter(programme=programme).order_by("code")
        self.fields["activity"].empty_label = _("Felles")

    def save(self, commit=True):
        line = self.instance
        if line.pk is None:
            # A new line goes last among its phase's lines of the same kind.
            last = BudgetLine.objects.filter(phase=line.phase, kind=line.kind).aggregate(last=Max("position"))["last"]
            line.position = 0 if last is None else last + 1
        return super().save(commit)


class MembershipForm(CleanTextFieldsMixin, forms.ModelForm):
    """A line of the plan's organisation chart (Prosjekteier, Styringsgruppe, …): who, in which part, doing what.

    It grants nothing: access comes from the programme roles on the members page.
    """

    class Meta:
        model = Membership
        fields = ["person", "role", "description"]
        error_messages = {
            "person": {"required": _("Velg en person."), "invalid_choice": _("Velg en person i organisasjonen.")},
            "role": {"required": _("Velg en rolle."), "invalid_choice": _("Velg en rolle.")},
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        self.fields["person"].queryset = Person.objects.filter(organisation_id=programme.organisation_id).order_by(
            "name"
        )

    def clean(self):
        cleaned = super().clean()
        person, role = cleaned.get("person"), cleaned.get("role")
        if person and role and Membership.objects.filter(programme=self.programme, person=person, role=role).exists():
            raise forms.ValidationError(
                _("%(person)s står allerede i organiseringen med den rollen.") % {"person": person}
            )
        return cleaned
