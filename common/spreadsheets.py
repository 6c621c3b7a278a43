"""Spreadsheets in and out, shared by every import/export (proposals, risks, benefits).

Norwegian cell formats (widgets for django-import-export), reading CSV/XLSX with the row numbers a
spreadsheet program shows (header = row 1), and the all-or-nothing import: one transaction, rolled back
on any bad row or on a dry run, with each error reported as (row, column, message).
"""

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
from import_export import widgets

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


def cell_text(value) -> str:
    """A cell as stripped text; whole floats (as XLSX gives numbers) without «.0»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return unneutralise(cell_text(value))

    def render(self, value, obj=None, **kwargs):
        return value or ""


class AmountWidget(widgets.Widget):
    """Whole kroner the Norwegian way: `1 500 000`, `1500000`, `1 500 000,-`, `1 500 000,50`."""

    PATTERN = re.compile(r"^\d+(,\d{1,2})?$")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
        else:
            text = cell_text(value)
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
        text = cell_text(value)
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
        text = cell_text(value)
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
        text = cell_text(value)
        if not text:
            return self.default
        try:
            return self.table[text.lower()]
        except KeyError:
            raise ValueError(self.error % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None or value == "" else str(self.render_as(value))


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
    header = [cell_text(h) for h in rows[0]]
    data = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell_text(v) for v in row)]
    return header, data


def match_headers(header: list[str], columns, required, read_only=()) -> tuple[list[str], list[RowError]]:
    """Map a sheet's header cells to the known column names (case-insensitive, spaces ignored).

    Unknown and read-only columns become `_ignored_N` so the import skips them; unknown, doubled and
    missing required columns are errors on row 1.
    """
    canonical = {name.lower(): name for name in columns}
    headers, errors = [], []
    for position, name in enumerate(header, start=1):
        known = canonical.get(name.strip().lower())
        if name and known is None:
            errors.append(RowError(1, name, _("Ukjent kolonne.")))
        elif known and known in headers:
            errors.append(RowError(1, name, _("Kolonnen står to ganger.")))
        headers.append(f"_ignored_{position}" if known is None or known in read_only else known)
    for column in required:
        if column not in headers:
            errors.append(RowError(1, column, _("Kolonnen mangler.")))
    return headers, errors


def check_id_column(headers: list[str], data, column: str = "ID") -> list[RowError]:
    """Errors for id cells that are not whole numbers (an empty cell means a new row)."""
    if column not in headers:
        return []
    position = headers.index(column)
    errors = []
    for number, row in data:
        value = cell_text(row[position]) if position < len(row) else ""
        if value and not value.isdigit():
            errors.append(RowError(number, column, _("ID må være et helt tall.")))
    return errors


def prepare_sheet(content: bytes, filename: str, columns, required, *, read_only=(), id_column=None):
    """Read a sheet and check its header (and id cells); returns (headers, data, report).

    When report.errors is not empty, the sheet must not be imported.
    """
    report = ImportReport()
    try:
        header, data = read_table(content, filename)
    except ValidationError as e:
        report.errors.append(RowError(1, "", " ".join(e.messages)))
        return [], [], report
    headers, report.errors = match_headers(header, columns, required, read_only)
    if id_column and not report.errors:
        report.errors = check_id_column(headers, data, id_column)
    report.errors += check_storable(header, data)
    return headers, data, report


def check_storable(header: list[str], data) -> list[RowError]:
    """Errors for cells holding a NUL character, which no text column can store (PostgreSQL refuses it)."""
    return [
        RowError(
            number,
            header[position] if position < len(header) else "",
            _("Cellen inneholder et NUL-tegn, som ikke kan lagres. Fjern tegnet eller lagre regnearket på nytt."),
        )
        for number, row in data
        for position, value in enumerate(row)
        if isinstance(value, str) and "\x00" in value
    ]


def import_rows(resource, headers, data, header_of: dict, report: ImportReport, *, dry_run: bool, add_id=None):
    """Run `resource` over the rows inside one transaction; keep everything or nothing.

    `add_id` names an id column to append (empty) when the sheet has none: django-import-export looks
    rows up by it, and a sheet without it holds only new rows.
    """
    width = len(headers)
    rows = [(list(row) + [None] * width)[:width] for _number, row in data]
    if add_id and add_id not in headers:
        headers, rows = [*headers, add_id], [[*row, None] for row in rows]
    dataset = tablib.Dataset(*rows, headers=headers)
    numbers = [number for number, _row in data]
    with transaction.atomic():
        # import_data uses its own savepoint; this outer block decides whether anything is kept.
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
        for invalid in result.invalid_rows:
            for attribute, messages in invalid.error_dict.items():
                name = attribute.removesuffix("_id")  # foreign keys are reported as e.g. "activity_id"
                column = (
                    "" if attribute == NON_FIELD_ERRORS else header_of.get(name, header_of.get(attribute, attribute))
                )
                for message in messages:
                    report.errors.append(RowError(numbers[invalid.number - 1], column, message))
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
