"""Proposals in and out of spreadsheets (django-import-export), with the Norwegian headers and number and
date formats of DESIGN.md. `run_import` is the one import path: the web page, the admin and
`manage.py import_proposals` all call it, so they report the same rows the same way."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from portfolio.models import Activity, Area

from .models import Proposal, RevisionRound

# Header → model attribute, in the order of DESIGN.md (and of the export).
COLUMNS = {
    "ID": "id",
    "Tittel": "title",
    "Beskrivelse": "description",
    "Hovedområde": "area",
    "Hovedaktivitet": "activity",
    "Enhet": "unit",
    "Innsender": "submitter_name",
    "Innsendertype": "submitter_type",
    "Status": "status",
    "Runde": "revision_round",
    "Behov": "need",
    "Nytte": "benefit",
    "Teknisk gjennomførbarhet": "feasibility_technical",
    "Økonomisk gjennomførbarhet": "feasibility_economic",
    "Kostnadsestimat": "estimated_cost",
    "Innsendt": "submitted_on",
}
REQUIRED_COLUMNS = ("Tittel", "Hovedområde")
HEADER_OF = {attribute: header for header, attribute in COLUMNS.items()}

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def neutralise(value):
    """Make a text cell inert in a spreadsheet: a leading apostrophe shows the text as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo `neutralise`, so that export → import changes nothing."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return unneutralise(_text(value))

    def render(self, value, obj=None, **kwargs):
        return value or ""


class AmountWidget(widgets.Widget):
    """Whole kroner the Norwegian way: `1 500 000`, `1500000`, `1 500 000,-`, `1 500 000,50`."""

    PATTERN = re.compile(r"^\d+(,\d{1,2})?$")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
        else:
            text = _text(value)
            if not text:
                return None
            compact = re.sub(r"[\s\u00a0\u202f]", "", text)
            compact = re.sub(r",[-–]$", "", compact)
            if re.fullmatch(r"\d{1,3}(\.\d{3})+", compact):
                compact = compact.replace(".", "")  # 1.500.000: dots as thousands separators
            if not self.PATTERN.fullmatch(compact):
                raise ValueError(
                    _("«%(value)s» er ikke et beløp i kroner; skriv f.eks. 1 500 000 eller 1500000.") % {"value": text}
                )
            number = Decimal(compact.replace(",", "."))
        if number < 0:
            raise ValueError(_("Beløpet kan ikke være negativt."))
        if number >= Decimal("1e12"):
            raise ValueError(_("Beløpet er for stort."))
        return number.quantize(Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        whole = int(value)
        text = f"{whole:,}".replace(",", " ")
        cents = int((value - whole) * 100)
        return f"{text},{cents:02d}" if cents else text


class DateWidget(widgets.Widget):
    FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        if not text:
            return timezone.localdate()
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("«%(value)s» er ikke en dato; skriv f.eks. 15.03.2017.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""


class ScoreWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        if not re.fullmatch(r"[1-5]", text):
            raise ValueError(_("«%(value)s» er ikke et helt tall fra 1 til 5.") % {"value": text})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class LookupWidget(widgets.Widget):
    """Match a cell (case-insensitively) against a table built once per import, so rows cost no queries."""

    def __init__(self, table: dict, render_as, error: str, default=None):
        self.table = {str(key).lower(): value for key, value in table.items()}
        self.render_as = render_as
        self.error = error
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return self.default
        try:
            return self.table[text.lower()]
        except KeyError:
            raise ValueError(self.error % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None or value == "" else str(self.render_as(value))


class ProposalResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="ID", widget=widgets.IntegerWidget())
    # Declared so that they hold objects (not `<name>_id`): their widgets look them up per programme.
    area = fields.Field(attribute="area", column_name="Hovedområde")
    activity = fields.Field(attribute="activity", column_name="Hovedaktivitet")
    revision_round = fields.Field(attribute="revision_round", column_name="Runde")

    class Meta:
        model = Proposal
        fields = tuple(COLUMNS.values())
        import_id_fields = ("id",)
        instance_loader_class = CachedInstanceLoader
        skip_diff = True
        # The widgets check every value and full_clean() would cost a query per foreign key and
        # constraint per row; validate_instance() below runs the query-free field checks.
        clean_model_instances = False

    def __init__(self, programme=None, user=None):
        """`programme` scopes the lookups of an import; the admin's export (any programme) passes None."""
        super().__init__()
        self.programme = programme
        self.user = user
        areas = list(Area.objects.filter(programme=programme))
        activities = Activity.objects.filter(programme=programme)
        rounds = RevisionRound.objects.filter(programme=programme)
        statuses = {label: value for value, label in Proposal.Status.choices} | {
            value: value for value in Proposal.Status.values
        }
        types = {value: value for value in Proposal.SubmitterType.values} | {
            label: value for value, label in Proposal.SubmitterType.choices
        }
        table = {
            "area": LookupWidget(
                {a.name: a for a in areas} | {a.number: a for a in areas},
                lambda a: a.name,
                _("Finner ikke hovedområdet «%(value)s»; bruk navnet eller nummeret 1–15."),
            ),
            "activity": LookupWidget(
                {a.code: a for a in activities}, lambda a: a.code, _("Finner ikke hovedaktiviteten «%(value)s».")
            ),
            "revision_round": LookupWidget(
                {r.year: r for r in rounds},
                lambda r: r.year,
                _("Det finnes ingen rullering for «%(value)s»."),
                default=RevisionRound.current(programme),
            ),
            "status": LookupWidget(
                statuses,
                lambda s: Proposal.Status(s).label,
                _("Ukjent status «%(value)s»."),
                default=Proposal.Status.SUBMITTED,
            ),
            "submitter_type": LookupWidget(
                types, lambda t: t, _("Innsendertype må være «ansatt» eller «innbygger»."), default="ansatt"
            ),
            "estimated_cost": AmountWidget(),
            "submitted_on": DateWidget(),
        }
        for name in ("need", "benefit", "feasibility_technical", "feasibility_economic"):
            table[name] = ScoreWidget()
        for name in ("title", "description", "unit", "submitter_name"):
            table[name] = TextWidget()
        for name, widget in table.items():
            self.fields[name].widget = widget
            self.fields[name].column_name = HEADER_OF[name]

    def get_queryset(self):
        return Proposal.objects.filter(programme=self.programme).select_related("area", "activity", "revision_round")

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is None and _text(row.get("ID")):
            raise ValidationError({"id": _("Det finnes ikke noe forslag med ID %(id)s.") % {"id": _text(row["ID"])}})
        return instance

    def init_instance(self, row=None):
        # Defaults for columns the sheet leaves out; the model supplies the rest (status, type, date).
        return Proposal(programme=self.programme, revision_round=self.fields["revision_round"].widget.default)

    def after_init_instance(self, instance, new, row, **kwargs):
        # Remember the stored status, so a changed status becomes a recorded transition.
        instance._stored_status = None if new else instance.status

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not instance.title and "title" not in errors:
            errors["title"] = ValidationError(_("Tittel må fylles ut."))
        if instance.area_id is None and "area" not in errors:
            errors["area"] = ValidationError(_("Hovedområde må fylles ut."))
        if instance.revision_round_id is None and "revision_round" not in errors:
            errors["revision_round"] = ValidationError(_("Det finnes ingen åpen rullering; fyll ut Runde."))
        old = instance._stored_status
        if old is not None and old != instance.status and instance.status not in Proposal.TRANSITIONS[old]:
            errors["status"] = ValidationError(
                _("Kan ikke endre status fra «%(old)s» til «%(new)s».")
                % {"old": Proposal.Status(old).label, "new": Proposal.Status(instance.status).label}
            )
        try:
            # Lengths and 1–5 ranges; foreign keys were resolved from the programme's own tables above.
            instance.clean_fields(exclude=[*errors, "programme", "revision_round", "area", "activity", "carried_from"])
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        old = instance._stored_status
        if old is not None and old != instance.status:
            instance.record_transition(old, instance.status, by=self.user, comment=_("Endret ved import fra regneark."))

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [neutralise(value) for value in super().export_resource(instance, selected_fields, **kwargs)]


def export_dataset(programme, queryset=None) -> tablib.Dataset:
    resource = ProposalResource(programme)
    queryset = resource.get_queryset() if queryset is None else queryset
    return resource.export(queryset.select_related("area", "activity", "revision_round").order_by("id"))


def export_file(programme, queryset, file_format: str) -> bytes:
    dataset = export_dataset(programme, queryset)
    if file_format == "xlsx":
        return dataset.export("xlsx")
    # Semicolons and a BOM: what Excel with Norwegian settings opens directly.
    return ("\ufeff" + dataset.export("csv", delimiter=";")).encode("utf-8")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, "ny"/"endret", title)
    saved: bool = False

    @property
    def new(self) -> int:
        return sum(1 for _row, kind, _title in self.rows if kind == "new")

    @property
    def updated(self) -> int:
        return sum(1 for _row, kind, _title in self.rows if kind == "update")


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Header and non-empty data rows with the row numbers a spreadsheet program shows."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as e:
            raise ValidationError(_("Kan ikke lese XLSX-filen: %(error)s") % {"error": e}) from e
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252")  # Excel's "CSV" on Norwegian Windows
        first = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=first.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ValidationError(_("Filen er tom."))
    header = [_text(h) for h in rows[0]]
    data = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(_text(v) for v in row)]
    return header, data


def run_import(programme, content: bytes, filename: str, *, user=None, dry_run: bool) -> ImportReport:
    """Import a whole sheet or nothing. With dry_run, report what would happen and roll back."""
    report = ImportReport()
    try:
        header, data = read_table(content, filename)
    except ValidationError as e:
        report.errors.append(RowError(1, "", " ".join(e.messages)))
        return report
    canonical = {name.lower(): name for name in COLUMNS}
    headers = []
    for position, name in enumerate(header, start=1):
        known = canonical.get(name.strip().lower())
        if name and known is None:
            report.errors.append(RowError(1, name, _("Ukjent kolonne.")))
        elif known in headers:
            report.errors.append(RowError(1, name, _("Kolonnen står to ganger.")))
        headers.append(known or f"_ignored_{position}")
    for required in REQUIRED_COLUMNS:
        if required not in headers:
            report.errors.append(RowError(1, required, _("Kolonnen mangler.")))
    if report.errors:
        return report
    if "ID" in headers:
        position = headers.index("ID")
        for number, row in data:
            value = _text(row[position]) if position < len(row) else ""
            if value and not value.isdigit():
                report.errors.append(RowError(number, "ID", _("ID må være et helt tall.")))
    else:
        headers.append("ID")  # import-export needs its id column; empty means every row is new
    if report.errors:
        return report
    width = len(headers)
    dataset = tablib.Dataset(*[(list(row) + [None] * width)[:width] for _number, row in data], headers=headers)
    numbers = [number for number, _row in data]
    resource = ProposalResource(programme, user=user)
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True)
        for index, invalid in ((r.number, r) for r in result.invalid_rows):
            for attribute, messages in invalid.error_dict.items():
                column = "" if attribute == NON_FIELD_ERRORS else HEADER_OF.get(attribute, attribute)
                for message in messages:
                    report.errors.append(RowError(numbers[index - 1], column, message))
        for error in result.base_errors:
            report.errors.append(RowError(1, "", str(error.error)))
        for index, errors in result.row_errors():
            for error in errors:
                report.errors.append(RowError(numbers[index - 1], "", str(error.error)))
        report.errors.sort(key=lambda e: e.row)
        report.rows = [(numbers[i], row.import_type, row.object_repr or "") for i, row in enumerate(result.rows)]
        if report.errors or dry_run:
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report
