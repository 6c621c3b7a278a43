"""Risks in and out of spreadsheets (django-import-export), with the same rules as proposals: Norwegian
headers, all-or-nothing, and row numbers as the spreadsheet shows them (header = row 1).

S and K are imported; RF is exported for reading only and never imported (the database derives it).
A row whose S or K differs from the risk's latest assessment records a new assessment (history kept)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader

from common.spreadsheets import (
    DateWidget,
    ImportReport,
    LookupWidget,
    RowError,
    ScoreWidget,
    TextWidget,
    cell_text,
    import_rows,
    neutralise,
    prepare_sheet,
)
from portfolio.models import Activity, Person
from portfolio.validation import check_within_programme

from .models import Risk

# Header → attribute, in export order.
COLUMNS = {
    "Nr.": "code",
    "Risikofaktor": "title",
    "Beskrivelse": "description",
    "Hovedaktivitet": "activity",
    "Eier": "owner",
    "Status": "status",
    "Neste gjennomgang": "next_review_on",
    "S": "latest_probability",
    "K": "latest_consequence",
    "RF": "latest_rf",
}
READ_ONLY = ("RF",)  # exported for the reader, ignored on import
REQUIRED_COLUMNS = ("Nr.", "Risikofaktor")
HEADER_OF = {attribute: header for header, attribute in COLUMNS.items()}


class OptionalDateWidget(DateWidget):
    """A date or nothing (an empty cell means no date, not today)."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) if cell_text(value) else None


class RiskResource(resources.ModelResource):
    latest_probability = fields.Field(attribute="latest_probability", column_name="S", widget=ScoreWidget())
    latest_consequence = fields.Field(attribute="latest_consequence", column_name="K", widget=ScoreWidget())
    latest_rf = fields.Field(attribute="latest_rf", column_name="RF", widget=ScoreWidget(), readonly=True)

    class Meta:
        model = Risk
        fields = tuple(COLUMNS.values())
        import_id_fields = ("code",)
        instance_loader_class = CachedInstanceLoader
        skip_diff = True
        clean_model_instances = False

    def __init__(self, programme, user=None):
        super().__init__()
        self.programme = programme
        self.user = user
        activities = Activity.objects.filter(programme=programme)
        people = Person.objects.filter(organisation_id=programme.organisation_id)
        statuses = {label: value for value, label in Risk.Status.choices} | {v: v for v in Risk.Status.values}
        table = {
            "activity": LookupWidget(
                {a.code: a for a in activities}, lambda a: a.code, _("Finner ikke hovedaktiviteten «%(value)s».")
            ),
            "owner": LookupWidget(
                {p.name: p for p in people}, lambda p: p.name, _("Finner ikke personen «%(value)s».")
            ),
            "status": LookupWidget(
                statuses, lambda s: Risk.Status(s).label, _("Ukjent status «%(value)s»."), default=Risk.Status.OPEN
            ),
            "next_review_on": OptionalDateWidget(),
            "code": TextWidget(),
            "title": TextWidget(),
            "description": TextWidget(),
        }
        for name, widget in table.items():
            self.fields[name].widget = widget
            self.fields[name].column_name = HEADER_OF[name]
            # import-export binds foreign keys to `<name>_id`; the lookup widgets deal in objects.
            self.fields[name].attribute = name

    def get_queryset(self):
        return Risk.objects.filter(programme=self.programme).with_latest().select_related("activity", "owner")

    def init_instance(self, row=None):
        return Risk(programme=self.programme)

    def after_init_instance(self, instance, new, row, **kwargs):
        # Remember the stored score, so that only a changed S or K becomes a new assessment.
        instance._stored_score = None if new else (instance.latest_probability, instance.latest_consequence)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not instance.code and "code" not in errors:
            errors["code"] = ValidationError(_("Nr. må fylles ut."))
        if not instance.title and "title" not in errors:
            errors["title"] = ValidationError(_("Risikofaktor må fylles ut."))
        s, k = getattr(instance, "latest_probability", None), getattr(instance, "latest_consequence", None)
        if (s is None) != (k is None) and not {"latest_probability", "latest_consequence"} & set(errors):
            errors[NON_FIELD_ERRORS] = ValidationError(_("Fyll ut både S og K, eller ingen av dem."))
        if "next_review_on" not in errors:
            # The risk form's rule: the next review lies inside the programme's period.
            try:
                check_within_programme(getattr(instance, "next_review_on", None), self.programme)
            except ValidationError as e:
                errors["next_review_on"] = e
        try:
            instance.clean_fields(exclude=[*errors, "programme", "activity", "owner"])
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        score = (getattr(instance, "latest_probability", None), getattr(instance, "latest_consequence", None))
        if None not in score and score != instance._stored_score:
            instance.rescore(*score, by=self.user, note=_("Endret ved import fra regneark."))

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [neutralise(value) for value in super().export_resource(instance, selected_fields, **kwargs)]


def export_file(programme, file_format: str) -> bytes:
    resource = RiskResource(programme)
    dataset = resource.export(resource.get_queryset().order_by("code"))
    if file_format == "xlsx":
        return dataset.export("xlsx")
    # Semicolons and a BOM: what Excel with Norwegian settings opens directly.
    return ("\ufeff" + dataset.export("csv", delimiter=";")).encode("utf-8")


def run_import(programme, content: bytes, filename: str, *, user=None, dry_run: bool, progress=None) -> ImportReport:
    """Import a whole sheet or nothing. With dry_run, report what would happen and roll back."""
    headers, data, report = prepare_sheet(content, filename, COLUMNS, REQUIRED_COLUMNS, read_only=READ_ONLY)
    if report.errors:
        return report
    codes: dict[str, int] = {}
    code_at = headers.index("Nr.")
    for number, row in data:
        code = cell_text(row[code_at]).lower() if code_at < len(row) else ""
        if code and code in codes:
            report.errors.append(RowError(number, "Nr.", _("Nummeret står også i rad %(row)s.") % {"row": codes[code]}))
        codes.setdefault(code, number)
    # The import still runs after a doubled number, so every bad row is reported at once; nothing is kept.
    resource = RiskResource(programme, user=user)
    return import_rows(resource, headers, data, HEADER_OF, report, dry_run=dry_run, progress=progress)
