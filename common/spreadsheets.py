"""Spreadsheets in and out, shared by every import/export (proposals, risks, benefits).

Norwegian cell formats (widgets for django-import-export, all parsing through `common.parsing`), reading
CSV/XLSX with the row numbers a spreadsheet program shows (header = row 1), and the all-or-nothing import:
one transaction, rolled back on any bad row or on a dry run, with each error reported as (row, column, message).

Reading is bounded whatever the file claims: an XLSX is read cell by cell from its XML (its declared
dimension is ignored, so a sheet that states a wrong size is read whole and one that claims a million rows
costs nothing), its zip is checked by `common.uploads.check_archive`, its XML is parsed by defusedxml (no
DTDs or entities), and rows, columns and cell lengths have the limits below. Every problem with a file is
a Norwegian error on row 1 (or on the row it is in), never an exception; no row or cell is dropped silently.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception; parsing is defusedxml's

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import widgets

from .parsing import format_amount, format_number, parse_amount, parse_date, parse_id, parse_int, parse_number, shown
from .uploads import check_archive
from .validators import clean_text

# Limits of one imported sheet (settings may override them). The largest real sheets (a programme's
# proposals over ten years) have a few thousand rows and 16 columns; Excel itself allows 32 767 characters
# in a cell. Beyond these a file is refused with a Norwegian error before it costs memory or time.
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 20_000)  # non-empty data rows
MAX_COLUMNS = getattr(settings, "IMPORT_MAX_COLUMNS", 100)
MAX_CELL_CHARS = getattr(settings, "IMPORT_MAX_CELL_CHARS", 32_767)
# Rows read at all, empty ones included: a file of a million blank lines is refused rather than walked.
MAX_SCANNED_ROWS = 5 * MAX_ROWS

_CENT = Decimal("0.01")

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _is_plain_number(text: str) -> bool:
    try:
        parse_number(text, allow_negative=True, limit=None)
    except ValueError:
        return False
    return True


def neutralise(value):
    """Make a text cell inert in a spreadsheet: a leading apostrophe shows the text as it is.

    A plain negative number («-3», «-1 500,5») is no formula and is left as it is, so that it imports again.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _is_plain_number(value):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo `neutralise`, so that export → import changes nothing (also «'-3» from older exports)."""
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
    """A text cell as the forms take it (common.validators.clean_text): no control or bidi characters, and a
    cell that shows nothing is empty, so a required column refuses it. A single-line field's line breaks
    become spaces when it is saved."""

    def clean(self, value, row=None, **kwargs):
        return clean_text(unneutralise(cell_text(value)))

    def render(self, value, obj=None, **kwargs):
        return value or ""


def _typed_or_text(value):
    """A spreadsheet's own number as it is; text without a formula-neutralising apostrophe."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return unneutralise(cell_text(value))


class AmountWidget(widgets.Widget):
    """Kroner the Norwegian way: `1 500 000`, `1500000`, `1 500 000,-`, `1 500 000,50` (see common.parsing)."""

    def clean(self, value, row=None, **kwargs):
        value = _typed_or_text(value)
        if value == "":
            return None
        return parse_amount(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format_amount(value)


class NumberWidget(widgets.Widget):
    """A decimal number the Norwegian way: `12,5`, `1 500 000`, `-3`; a spreadsheet's own numbers as they are."""

    def clean(self, value, row=None, **kwargs):
        value = _typed_or_text(value)
        if value == "":
            return None
        return parse_number(value, allow_negative=True).quantize(_CENT)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format_number(value, grouping=False)


class DateWidget(widgets.Widget):
    """A date (15.03.2017, 15.03.17, 2017-03-15) from 1900 to 2100; an empty cell is today."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, date):
            return parse_date(value)
        text = cell_text(value)
        if not text:
            return timezone.localdate()
        return parse_date(text)

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""


class ScoreWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return parse_int(text, minimum=1, maximum=5)
        except ValueError:
            raise ValueError(_("«%(value)s» er ikke et helt tall fra 1 til 5.") % {"value": shown(text)}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IdWidget(widgets.IntegerWidget):
    """A row's database id: ASCII digits 1 … 2⁶³−1 (never «²» or «١», which int() and Decimal() accept)."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        return parse_id(text) if text else None


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


class SheetError(ValidationError):
    """A file that cannot be read, reported on `row` (1 when it is the file as a whole)."""

    def __init__(self, message, row: int = 1):
        super().__init__(message)
        self.row = row


class CellError(str):
    """An error value a spreadsheet program computed («#DIV/0!», «#VALUE!»): reported, never imported."""


def _too_many_rows() -> SheetError:
    return SheetError(
        _("Filen har flere enn %(limit)s rader. Del den opp i flere filer med høyst %(limit)s rader hver.")
        % {"limit": format_number(MAX_ROWS)}
    )


def _too_many_columns() -> SheetError:
    return SheetError(_("Filen har flere enn %(limit)s kolonner.") % {"limit": format_number(MAX_COLUMNS)})


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trimmed(row: list) -> list:
    """`row` without its trailing empty cells; a value beyond MAX_COLUMNS is refused."""
    end = len(row)
    while end and _is_empty(row[end - 1]):
        end -= 1
    if end > MAX_COLUMNS:
        raise _too_many_columns()
    return row[:end]


def _bounded(rows):
    """Header and non-empty data rows from (number, row) pairs, within the row limits."""
    header, data = [], []
    for scanned, (number, row) in enumerate(rows, start=1):
        if scanned > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        row = _trimmed(row)
        if number == 1:
            header = row
        elif row:
            data.append((number, row))
            if len(data) > MAX_ROWS:
                raise _too_many_rows()
    return header, data


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # Excel's "CSV" on Norwegian Windows
        except UnicodeDecodeError:
            raise SheetError(_("Kan ikke lese teksten i CSV-filen. Lagre den med tegnsettet UTF-8.")) from None
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delimiter = max(";,\t", key=first.count)
    # newline="": lines end at \r\n, \n or a lone \r (old Mac files), and line breaks inside quotes are kept.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The one error the default dialect raises on text: a cell beyond csv.field_size_limit() (128 kB).
            raise SheetError(
                _("Cellen har mer enn %(limit)s tegn.") % {"limit": format_number(MAX_CELL_CHARS)}, row=number + 1
            ) from None
        number += 1
        yield number, row


def _xlsx_rows(content: bytes):
    """(row number, values) for each row element of the first sheet, read from its XML cell by cell."""
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    # openpyxl parses with defusedxml when it is installed and lxml is not used (config.settings switches lxml off).
    if not openpyxl.DEFUSEDXML or openpyxl.LXML:
        raise ImproperlyConfigured(
            "openpyxl must parse XML with defusedxml: install it, unset OPENPYXL_DEFUSEDXML, set OPENPYXL_LXML=False"
        )
    unreadable = _("Kan ikke lese XLSX-filen; den kan være skadet. Åpne den i Excel og lagre den på nytt.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_archive(archive)
    except ValidationError as error:
        raise SheetError(" ".join(error.messages)) from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        raise SheetError(unreadable) from None
    parser = None
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        with sheet._get_source() as source:
            # The worksheet's own parser, without the read-only sheet's padding to its declared dimension.
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            previous = 0
            for number, cells in parser.parse():
                if number <= previous:  # rows out of order or repeated: a damaged file
                    raise SheetError(_unreadable_row(number), row=max(number, 1))
                previous = number
                values = {}
                for cell in cells:
                    value = cell["value"]
                    if _is_empty(value):
                        continue
                    if cell["column"] > MAX_COLUMNS:
                        raise _too_many_columns()
                    values[cell["column"]] = CellError(value) if cell["data_type"] == "e" else value
                row = [None] * max(values, default=0)
                for column, value in values.items():
                    row[column - 1] = value
                yield number, row
        book.close()
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - a hostile file can make any part of openpyxl fail
        from defusedxml import DefusedXmlException

        causes, cause = [], error
        while cause is not None and len(causes) < 10:  # openpyxl wraps what its parser raised
            causes.append(cause)
            cause = cause.__cause__ or cause.__context__
        if any(isinstance(cause, DefusedXmlException) for cause in causes):
            raise SheetError(
                _(
                    "XLSX-filen inneholder XML-definisjoner (DTD eller entiteter), som ikke er tillatt. "
                    "Lagre den på nytt i Excel."
                )
            ) from None
        if parser is not None and parser.row_counter > 0 and not isinstance(error, ParseError):
            # A cell the parser cannot convert (a number cell holding text, a shared string that is not there).
            raise SheetError(_unreadable_row(parser.row_counter), row=parser.row_counter) from None
        raise SheetError(unreadable) from None


def _unreadable_row(number: int) -> str:
    return _(
        "Rad %(row)s i XLSX-filen kan ikke leses; filen kan være skadet. Åpne den i Excel og lagre den på nytt."
    ) % {"row": number}


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Header and non-empty data rows with the row numbers a spreadsheet program shows.

    Raises SheetError (a ValidationError with a Norwegian message and the row it concerns) for a file
    that cannot be read or is beyond the limits; never another exception.
    """
    rows = _xlsx_rows(content) if filename.lower().endswith(".xlsx") else _csv_rows(content)
    header, data = _bounded(rows)
    if not header and not data:
        raise SheetError(_("Filen er tom."))
    return [cell_text(h) for h in header], data


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
        if value:
            try:
                parse_id(value)
            except ValueError:
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
        report.errors.append(RowError(getattr(e, "row", 1), "", " ".join(e.messages)))
        return [], [], report
    headers, report.errors = match_headers(header, columns, required, read_only)
    if id_column and not report.errors:
        report.errors = check_id_column(headers, data, id_column)
    report.errors += check_unnamed(header, data)
    report.errors += check_storable(header, data)
    report.errors.sort(key=lambda e: e.row)
    return headers, data, report


def check_unnamed(header: list[str], data) -> list[RowError]:
    """Errors for values in columns without a header: they would otherwise be dropped without a word."""
    named = [bool(name) for name in header]
    return [
        RowError(
            number,
            "",
            _("Rad %(row)s har verdier i kolonner uten overskrift. Gi kolonnene en overskrift eller fjern verdiene.")
            % {"row": number},
        )
        for number, row in data
        if any(
            not _is_empty(value) and (position >= len(named) or not named[position])
            for position, value in enumerate(row)
        )
    ]


def check_storable(header: list[str], data) -> list[RowError]:
    """Errors for cells no column can store: a NUL character (PostgreSQL refuses it), text beyond
    MAX_CELL_CHARS, or an error value computed by the spreadsheet program."""
    errors = []
    for number, row in data:
        for position, value in enumerate(row):
            column = header[position] if position < len(header) else ""
            if isinstance(value, CellError):
                message = _("Cellen inneholder en feil fra regnearket (%(value)s).") % {"value": shown(value)}
            elif not isinstance(value, str):
                continue
            elif "\x00" in value:
                message = _(
                    "Cellen inneholder et NUL-tegn, som ikke kan lagres. Fjern tegnet eller lagre regnearket på nytt."
                )
            elif len(value) > MAX_CELL_CHARS:
                message = _("Cellen har mer enn %(limit)s tegn.") % {"limit": format_number(MAX_CELL_CHARS)}
            else:
                continue
            errors.append(RowError(number, column, message))
    return errors


# Rows handed to django-import-export at a time: the import reports its progress after each batch (a large
# import runs as a background job, see portfolio.imports). All batches share the one outer transaction.
IMPORT_BATCH_ROWS = 500


def import_rows(
    resource, headers, data, header_of: dict, report: ImportReport, *, dry_run: bool, add_id=None, progress=None
):
    """Run `resource` over the rows inside one transaction; keep everything or nothing.

    `add_id` names an id column to append (empty) when the sheet has none: django-import-export looks
    rows up by it, and a sheet without it holds only new rows. `progress(done, total)`, when given, is
    called after each batch of rows.
    """
    width = len(headers)
    rows = [(list(row) + [None] * width)[:width] for _number, row in data]
    if add_id and add_id not in headers:
        headers, rows = [*headers, add_id], [[*row, None] for row in rows]
    numbers = [number for number, _row in data]
    with transaction.atomic():
        # import_data uses a savepoint per batch; this outer block decides whether anything is kept.
        for start in range(0, len(rows), IMPORT_BATCH_ROWS):
            batch = tablib.Dataset(*rows[start : start + IMPORT_BATCH_ROWS], headers=headers)
            _import_batch(resource, batch, numbers[start:], header_of, report)
            if progress:
                progress(min(start + IMPORT_BATCH_ROWS, len(rows)), len(rows))
        report.errors.sort(key=lambda e: e.row)
        if report.errors or dry_run:
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report


def _import_batch(resource, dataset, numbers: list[int], header_of: dict, report: ImportReport) -> None:
    """Import one batch; its errors and rows go into `report` with the sheet's row numbers (`numbers`)."""
    result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            name = attribute.removesuffix("_id")  # foreign keys are reported as e.g. "activity_id"
            column = "" if attribute == NON_FIELD_ERRORS else header_of.get(name, header_of.get(attribute, attribute))
            for message in messages:
                report.errors.append(RowError(numbers[invalid.number - 1], column, message))
    for error in result.base_errors:
        report.errors.append(RowError(1, "", str(error.error)))
    for index, errors in result.row_errors():
        for error in errors:
            report.errors.append(RowError(numbers[index - 1], "", str(error.error)))
    report.rows += [(numbers[i], row.import_type, row.object_repr or "") for i, row in enumerate(result.rows)]
