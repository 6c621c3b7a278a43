"""Benefits and measurements in and out of spreadsheets (CSV/XLSX) with django-import-export.

Norwegian headers, numbers (`12,5`, `1 500 000`) and dates (`15.03.2018`) as staff type them; an export
imports back unchanged. `run_import` is all-or-nothing: one transaction, rolled back on any bad row,
with row numbers as a spreadsheet program shows them (header = row 1, first data row = row 2).
"""

from django.core.exceptions import ValidationError
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

# The spreadsheet rules are the proposals' (docs/spreadsheets.md): one reader, one report, the same cell widgets,
# one parser for numbers and dates.
from common.parsing import parse_int, shown
from common.spreadsheets import (
    DateWidget,
    IdWidget,
    ImportReport,
    LookupWidget,
    NumberWidget,
    TextWidget,
    cell_text,
    import_rows,
    neutralise,
    prepare_sheet,
)
from portfolio.models import Person

from .models import Benefit, BenefitMeasurement, BenefitPlan

BENEFIT_COLUMNS = {
    "ID": "id",
    "Plan": "plan",
    "Gevinst": "description",
    "Type": "kind",
    "Budsjettfrigjørende": "is_financial",
    "Indikator": "indicator",
    "Enhet": "unit",
    "Nullpunkt": "baseline_value",
    "Nullpunkt dato": "baseline_date",
    "Mål": "target_value",
    "Måldato": "target_date",
    "Målemetode": "method",
    "Målefrekvens (måneder)": "frequency_months",
    "Gevinsteier": "owner",
    "Status": "status",
}
BENEFIT_REQUIRED = ("Plan", "Gevinst", "Type", "Indikator")

MEASUREMENT_COLUMNS = {
    "ID": "id",
    "Gevinst-ID": "benefit",
    "Dato": "measured_on",
    "Verdi": "value",
    "Merknad": "note",
}
MEASUREMENT_REQUIRED = ("Gevinst-ID", "Dato", "Verdi")


class OptionalDateWidget(DateWidget):
    """A date or nothing: an empty cell is no date (the proposals' widget reads it as today)."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) if cell_text(value) else None


class YesNoWidget(widgets.Widget):
    YES, NO = {"ja", "j", "x", "1", "true"}, {"nei", "n", "", "0", "false"}

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Skriv «ja» eller «nei», ikke «%(value)s».") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return _("ja") if value else _("nei")


class WholeNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return parse_int(text, minimum=1, maximum=32_767)
        except ValueError:
            raise ValueError(_("«%(value)s» er ikke et helt tall større enn 0.") % {"value": shown(text)}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def _choices(choices) -> dict:
    """Accept a choice by its Norwegian label or its stored value."""
    return {label: value for value, label in choices} | {value: value for value, _label in choices}


class _ProgrammeResource(resources.ModelResource):
    columns: dict[str, str] = {}

    def _name_columns(self, table: dict) -> None:
        header_of = {attribute: header for header, attribute in self.columns.items()}
        for name, widget in table.items():
            self.fields[name].widget = widget
            # import-export binds foreign keys to `<name>_id`; the lookup widgets deal in objects.
            self.fields[name].attribute = name
            # An empty cell stays empty (no model default such as "today"), so required cells are reported.
            self.fields[name].default = NOT_PROVIDED
        for name in self.columns.values():
            if name != "id":
                self.fields[name].column_name = header_of[name]

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is None and cell_text(row.get("ID")):
            raise ValidationError({"id": _("Det finnes ingen rad med ID %(id)s i programmet.") % {"id": row["ID"]}})
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        header_of = {attribute: header for header, attribute in self.columns.items()}
        for name in self.required_attributes:
            value = getattr(instance, f"{name}_id" if name in self.foreign_keys else name)
            if name not in errors and value in (None, ""):
                errors[name] = ValidationError(_("%(column)s må fylles ut.") % {"column": header_of[name]})
        try:
            # Lengths and choices; foreign keys were resolved from the programme's own tables above.
            instance.clean_fields(exclude=[*errors, *self.foreign_keys])
            if not errors:
                instance.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [neutralise(value) for value in super().export_resource(instance, selected_fields, **kwargs)]


class BenefitResource(_ProgrammeResource):
    id = fields.Field(attribute="id", column_name="ID", widget=IdWidget())
    columns = BENEFIT_COLUMNS
    foreign_keys = ("plan", "owner")
    required_attributes = ("plan", "description", "kind", "indicator")

    class Meta:
        model = Benefit
        fields = tuple(BENEFIT_COLUMNS.values())
        import_id_fields = ("id",)
        instance_loader_class = CachedInstanceLoader
        skip_diff = True
        clean_model_instances = False

    def __init__(self, programme):
        super().__init__()
        self.programme = programme
        plans = BenefitPlan.objects.filter(programme=programme)
        people = Person.objects.filter(organisation_id=programme.organisation_id)
        self._name_columns(
            {
                "plan": LookupWidget(
                    {p.code: p for p in plans},
                    lambda p: p.code,
                    _("Finner ikke planen «%(value)s» i programmet."),
                ),
                "kind": LookupWidget(
                    _choices(Benefit.Kind.choices),
                    lambda v: Benefit.Kind(v).label,
                    _("Ukjent type «%(value)s»."),
                ),
                "status": LookupWidget(
                    _choices(Benefit.Status.choices),
                    lambda v: Benefit.Status(v).label,
                    _("Ukjent status «%(value)s»."),
                    default=Benefit.Status.PLANNED,
                ),
                "owner": LookupWidget(
                    {p.name: p for p in people}, lambda p: p.name, _("Finner ingen person som heter «%(value)s».")
                ),
                "is_financial": YesNoWidget(),
                "baseline_value": NumberWidget(),
                "target_value": NumberWidget(),
                "baseline_date": OptionalDateWidget(),
                "target_date": OptionalDateWidget(),
                "frequency_months": WholeNumberWidget(),
                **{name: TextWidget() for name in ("description", "indicator", "unit", "method")},
            }
        )

    def get_queryset(self):
        return Benefit.objects.filter(plan__programme=self.programme).select_related("plan", "owner")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        baseline, target = instance.baseline_date, instance.target_date
        if baseline and target and target <= baseline and not {"baseline_date", "target_date"} & set(errors):
            # The benefit form's rule.
            errors["target_date"] = ValidationError(_("Måldatoen må komme etter nullpunktdatoen."))
        super().validate_instance(instance, errors)


class MeasurementResource(_ProgrammeResource):
    id = fields.Field(attribute="id", column_name="ID", widget=IdWidget())
    columns = MEASUREMENT_COLUMNS
    foreign_keys = ("benefit", "recorded_by")
    required_attributes = ("benefit", "measured_on", "value")

    class Meta:
        model = BenefitMeasurement
        fields = tuple(MEASUREMENT_COLUMNS.values())
        import_id_fields = ("id",)
        instance_loader_class = CachedInstanceLoader
        skip_diff = True
        clean_model_instances = False

    def __init__(self, programme, user=None):
        super().__init__()
        self.programme = programme
        self.user = user
        benefits = Benefit.objects.filter(plan__programme=programme).only("id", "baseline_date")
        self._name_columns(
            {
                "benefit": LookupWidget(
                    {b.pk: b for b in benefits},
                    lambda b: b.pk,
                    _("Finner ingen gevinst med ID %(value)s i programmet."),
                ),
                "measured_on": OptionalDateWidget(),
                "value": NumberWidget(),
                "note": TextWidget(),
            }
        )

    def get_queryset(self):
        return BenefitMeasurement.objects.filter(benefit__plan__programme=self.programme).select_related("benefit")

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.recorded_by = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        benefit = instance.benefit if instance.benefit_id else None
        if (
            benefit is not None
            and benefit.baseline_date
            and instance.measured_on
            and "measured_on" not in errors
            and instance.measured_on < benefit.baseline_date
        ):
            errors["measured_on"] = ValidationError(
                _("Målingen kan ikke være fra før nullpunktet (%(date)s).")
                % {"date": benefit.baseline_date.strftime("%d.%m.%Y")}
            )
        if instance.measured_on and "measured_on" not in errors and instance.measured_on > timezone.localdate():
            # The measurement form's rule.
            errors["measured_on"] = ValidationError(_("Målingen kan ikke være fra en dato fram i tid."))
        super().validate_instance(instance, errors)


KINDS = {
    "gevinster": (BenefitResource, BENEFIT_COLUMNS, BENEFIT_REQUIRED),
    "malinger": (MeasurementResource, MEASUREMENT_COLUMNS, MEASUREMENT_REQUIRED),
}


def _resource(kind: str, programme, user=None):
    resource_class = KINDS[kind][0]
    return resource_class(programme, user) if resource_class is MeasurementResource else resource_class(programme)


def export_file(kind: str, programme, file_format: str) -> bytes:
    resource = _resource(kind, programme)
    dataset = resource.export(resource.get_queryset().order_by("id"))
    if file_format == "xlsx":
        return dataset.export("xlsx")
    # Semicolons and a BOM: what Excel with Norwegian settings opens directly.
    return ("\ufeff" + dataset.export("csv", delimiter=";")).encode("utf-8")


def run_import(
    kind: str, programme, content: bytes, filename: str, *, user=None, dry_run: bool, progress=None
) -> ImportReport:
    """Import a whole sheet of benefits or measurements, or nothing at all."""
    _resource_class, columns, required = KINDS[kind]
    header_of = {attribute: header for header, attribute in columns.items()}
    headers, data, report = prepare_sheet(content, filename, columns, required, id_column="ID")
    if report.errors:
        return report
    resource = _resource(kind, programme, user)
    return import_rows(resource, headers, data, header_of, report, dry_run=dry_run, add_id="ID", progress=progress)
