"""The one spreadsheet reader (common.spreadsheets.read_table / prepare_sheet) under hostile and broken files.

Every limit is tested as a class: whatever a file declares or contains, the reader answers with rows or with
Norwegian errors on the row they concern, quickly and in little memory; never an exception, never a row lost.
"""

import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from common import spreadsheets, uploads
from common.spreadsheets import prepare_sheet, read_table
from common.uploads import check_spreadsheet

SHEET = "xl/worksheets/sheet1.xml"
COLUMNS = ("Tittel", "Hovedområde", "Beskrivelse")
ENGLISH = re.compile(r"\b(the|is|must|Enter|value|field|invalid|required|This|not a|error|Error|file|File)\b")


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, name: str, change) -> bytes:
    """`content` with the zip entry `name` replaced by change(old bytes)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry.filename, change(data) if entry.filename == name else data)
    return buffer.getvalue()


def _with_dimension(content: bytes, ref: str) -> bytes:
    def change(xml: bytes) -> bytes:
        changed = re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), xml)
        assert changed != xml
        return changed

    return _rewrite(content, SHEET, change)


FIVE_ROWS = _xlsx([list(COLUMNS[:2]), *[[f"Forslag {n}", n] for n in range(1, 6)]])


def _errors(content: bytes, name: str) -> list:
    _headers, _data, report = prepare_sheet(content, name, COLUMNS, ())
    for error in report.errors:
        assert not ENGLISH.search(re.sub(r"«.*»", "", error.message, flags=re.S)), error.message
    return report.errors


def _file_error(content: bytes, name: str) -> str:
    (error,) = _errors(content, name)
    assert (error.row, error.column) == (1, "")
    return error.message


# 1. Real dimensions, never the declared ones.


def test_a_huge_declared_dimension_is_read_quickly_in_little_memory():
    content = _with_dimension(FIVE_ROWS, "A1:XFD1048576")
    assert len(content) < 8 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        header, data = read_table(content, "forslag.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 50 * 1024 * 1024
    assert header == ["Tittel", "Hovedområde"]
    assert data == [(n + 1, [f"Forslag {n}", n]) for n in range(1, 6)]


def test_a_declared_dimension_smaller_than_the_data_loses_no_row():
    header, data = read_table(_with_dimension(FIVE_ROWS, "A1:B2"), "forslag.xlsx")
    assert [number for number, _row in data] == [2, 3, 4, 5, 6]


def test_rows_out_of_order_are_a_damaged_file():
    def swap(xml: bytes) -> bytes:
        return xml.replace(b'<row r="3"', b'<row r="9"', 1)

    (error,) = _errors(_rewrite(FIVE_ROWS, SHEET, swap), "f.xlsx")
    assert "kan ikke leses" in error.message and error.row == 4


# 2. Safe XML; damaged XML or zip is a file error.


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1 if n > 1 else "") + ";") * 10}">'.encode() for n in range(1, 10))
    + b"]>"
)


@pytest.mark.parametrize(
    "prolog",
    [
        BILLION_LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity expansion", "external entity"],
)
@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"])
def test_xml_entity_declarations_are_refused(prolog, part):
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return prolog + xml.replace(b"<t>Forslag 1</t>", b"<t>&lol9;</t>")

    message = _file_error(_rewrite(FIVE_ROWS, part, change), "f.xlsx")
    assert "XML-definisjoner" in message or "kan ikke leses" in message.lower()


def test_entity_expansion_in_the_sheet_names_the_cause():
    def change(xml: bytes) -> bytes:
        return BILLION_LAUGHS + xml.replace(b"<t>Forslag 1</t>", b"<t>&lol9;</t>")

    assert "XML-definisjoner (DTD eller entiteter)" in _file_error(_rewrite(FIVE_ROWS, SHEET, change), "f.xlsx")


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c[: len(c) // 2],
        lambda c: c[:100],
        lambda c: _rewrite(c, SHEET, lambda xml: xml[: len(xml) // 2]),
        lambda c: _rewrite(c, SHEET, lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row>")),
        lambda c: _rewrite(c, "xl/workbook.xml", lambda xml: b"not xml"),
        lambda c: _rewrite(c, "xl/sharedStrings.xml", lambda xml: b"<sst/>"),
    ],
    ids=["half a zip", "zip header only", "truncated sheet XML", "unclosed row", "workbook not XML", "odd part"],
)
def test_truncated_or_corrupt_xlsx_is_a_norwegian_file_error(damage):
    errors = _errors(damage(FIVE_ROWS), "f.xlsx")
    assert errors or read_table(damage(FIVE_ROWS), "f.xlsx")  # an extra part nobody reads changes nothing
    for error in errors:
        assert "XLSX-filen" in error.message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (b'<c r="B2"><v>abc</v></c>', "Rad 2 i XLSX-filen kan ikke leses"),
        (b'<c r="B2"><v>' + b"9" * 5000 + b"</v></c>", "Rad 2 i XLSX-filen kan ikke leses"),
        (b'<c r="B2" t="s"><v>999999</v></c>', "Rad 2 i XLSX-filen kan ikke leses"),
        (b'<c r="B2" t="b"><v>x</v></c>', "Rad 2 i XLSX-filen kan ikke leses"),
        (b'<c r="B2" t="d"><v>not a date</v></c>', "Rad 2 i XLSX-filen kan ikke leses"),
        (b'<c r="B2" t="e"><v>#DIV/0!</v></c>', "Cellen inneholder en feil fra regnearket (#DIV/0!)."),
    ],
    ids=["text in a number cell", "5000 digits", "missing shared string", "bad boolean", "bad date", "error value"],
)
def test_a_cell_with_an_invalid_value_is_an_error_on_its_row(cell, expected):
    def change(xml: bytes) -> bytes:
        return re.sub(rb'<c r="B2"[^>]*>.*?</c>', cell, xml, count=1)

    (error,) = _errors(_rewrite(FIVE_ROWS, SHEET, change), "f.xlsx")
    assert error.row == 2 and expected in error.message


# Zip limits: checked before anything is unpacked, by the upload check and by the reader alike.


def _with_part(content: bytes, name: str, data: bytes, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _with_part(FIVE_ROWS, "xl/media/bomb.xml", b"\0" * (60 * 1024 * 1024))
    assert len(bomb) < 200 * 1024
    started = time.monotonic()
    message = _file_error(bomb, "f.xlsx")
    assert time.monotonic() - started < 2
    assert "XLSX-filen er for stor når den pakkes ut" in message
    with pytest.raises(ValidationError, match="for stor når den pakkes ut"):
        check_spreadsheet("f.xlsx", bomb)


def test_a_part_packed_suspiciously_tightly_is_refused():
    tight = _with_part(FIVE_ROWS, "xl/media/tett.xml", b"\0" * (4 * 1024 * 1024))
    assert "pakket mistenkelig tett" in _file_error(tight, "f.xlsx")
    with pytest.raises(ValidationError, match="pakket mistenkelig tett"):
        check_spreadsheet("f.xlsx", tight)


def test_the_unzipped_size_counts_all_parts(monkeypatch):
    monkeypatch.setattr(uploads, "XLSX_MAX_UNZIPPED_BYTES", 100 * 1024)
    stored = _with_part(FIVE_ROWS, "xl/media/bilde.bin", bytes(range(256)) * 800, zipfile.ZIP_STORED)
    assert "XLSX-filen er for stor når den pakkes ut (" in _file_error(stored, "f.xlsx")


def test_too_many_zip_parts_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "XLSX_MAX_ENTRIES", 12)
    many = FIVE_ROWS
    for n in range(12):
        many = _with_part(many, f"xl/media/{n}.txt", b"x")
    assert "XLSX-filen har for mange deler" in _file_error(many, "f.xlsx")


# Rows, columns and cells.


def test_too_many_rows_in_a_csv_are_refused():
    content = ("Tittel;Hovedområde\n" + "Forslag;1\n" * (spreadsheets.MAX_ROWS + 1)).encode()
    assert _file_error(content, "f.csv") == (
        "Filen har flere enn 20 000 rader. Del den opp i flere filer med høyst 20 000 rader hver."
    )
    exactly = ("Tittel;Hovedområde\n" + "Forslag;1\n" * spreadsheets.MAX_ROWS).encode()
    assert len(read_table(exactly, "f.csv")[1]) == spreadsheets.MAX_ROWS


def test_too_many_rows_in_an_xlsx_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 4)
    assert "Filen har flere enn 4 rader" in _file_error(FIVE_ROWS, "f.xlsx")


def test_a_million_blank_lines_are_refused_without_walking_them():
    content = b"Tittel;Hovedomr\xc3\xa5de\n" + b"\n" * 1_000_000 + b"Forslag;1\n"
    started = time.monotonic()
    assert "Filen har flere enn" in _file_error(content, "f.csv")
    assert time.monotonic() - started < 5


def test_too_many_columns_are_refused():
    wide = ";".join(f"K{n}" for n in range(101)).encode() + b"\n"
    assert _file_error(wide, "f.csv") == "Filen har flere enn 100 kolonner."

    def far_cell(xml: bytes) -> bytes:
        return xml.replace(b"</row>", b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>', 2)

    assert _file_error(_rewrite(FIVE_ROWS, SHEET, far_cell), "f.xlsx") == "Filen har flere enn 100 kolonner."


def test_an_empty_far_cell_is_no_column():
    """Excel writes styled empty cells; they are not values and cost nothing."""

    def styled(xml: bytes) -> bytes:
        return xml.replace(b"</row>", b'<c r="XFD2" s="0"/></row>')

    header, data = read_table(_rewrite(FIVE_ROWS, SHEET, styled), "f.xlsx")
    assert len(data) == 5 and all(len(row) == 2 for _n, row in data)


@pytest.mark.parametrize("size", [40_000, 200_000])
def test_a_huge_csv_cell_is_an_error_on_its_row(size):
    content = ("Tittel;Beskrivelse\nKort;ok\nLang;" + "x" * size + "\n").encode()
    (error,) = _errors(content, "f.csv")
    assert error.row == 3 and error.message == "Cellen har mer enn 32 767 tegn."


def test_a_huge_xlsx_cell_is_an_error_on_its_row_and_column():
    # openpyxl cuts what it writes at Excel's limit; a hostile file need not.
    content = _xlsx([["Tittel", "Beskrivelse"], ["Kort", "ok"], ["Lang", "lang"]])
    content = _rewrite(content, SHEET, lambda xml: xml.replace(b"<t>lang</t>", b"<t>" + b"x" * 200_000 + b"</t>"))
    (error,) = _errors(content, "f.xlsx")
    assert (error.row, error.column, error.message) == (3, "Beskrivelse", "Cellen har mer enn 32 767 tegn.")


# 3. CSV: line endings, encodings.


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_rows_are_rows_with_any_line_ending(newline):
    text = newline.join(["Tittel;Beskrivelse", "A;1", "", 'B;"to\nlinjer"', "C;3"]) + newline
    header, data = read_table(text.encode(), "f.csv")
    assert header == ["Tittel", "Beskrivelse"]
    assert [(number, row[0]) for number, row in data] == [(2, "A"), (4, "B"), (5, "C")]
    assert data[1][1][1] == "to\nlinjer"


def test_text_in_no_known_encoding_is_a_file_error():
    # 0x81 is neither UTF-8 nor Windows-1252.
    assert _file_error(b"Tittel\n\x81\x8d\n", "f.csv") == (
        "Kan ikke lese teksten i CSV-filen. Lagre den med tegnsettet UTF-8."
    )


def test_a_nul_byte_is_refused_by_the_upload_check_and_reported_on_its_row_by_the_reader():
    content = b"Tittel;Beskrivelse\nA;x\x00y\n"
    with pytest.raises(ValidationError, match="inneholder ikke tekst"):
        check_spreadsheet("f.csv", content)
    (error,) = _errors(content, "f.csv")
    assert (error.row, error.column) == (2, "Beskrivelse") and "NUL-tegn" in error.message


# 4. No value dropped silently.


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Tittel;Beskrivelse\nA;1\nB;2;3\n", "f.csv"),
        (b"Tittel;;Beskrivelse\nA;;1\nB;x;2\n", "f.csv"),
        (_xlsx([["Tittel", "Beskrivelse"], ["A", 1], ["B", 2, None, "bortenfor"]]), "f.xlsx"),
    ],
    ids=["beyond the header", "under an empty header", "xlsx beyond the header"],
)
def test_values_in_columns_without_a_header_are_an_error_naming_the_row(content, name):
    (error,) = _errors(content, name)
    assert error.row == 3
    assert error.message.startswith("Rad 3 har verdier i kolonner uten overskrift")


# 6. Property-based: random bytes and random cells give rows or Norwegian errors, nothing else.

FAST = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
WEIRD = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\x00\x01\x0b\x1b\x7f\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\r\n\t;\"'=-+@²١"),
    ),
    max_size=30,
)


def _only_norwegian_errors(content: bytes, name: str) -> None:
    try:
        header, data = read_table(content, name)
    except ValidationError as error:
        assert isinstance(error, spreadsheets.SheetError)
        assert error.messages and all(not ENGLISH.search(re.sub(r"«.*»", "", m)) for m in error.messages)
        return
    assert all(isinstance(number, int) and number >= 2 for number, _row in data)
    _errors(content, name)


@FAST
@given(content=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx"]))
def test_random_bytes(content, name):
    _only_norwegian_errors(content, name)


@FAST
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_a_damaged_byte_anywhere_in_an_xlsx(position, value):
    content = bytearray(FIVE_ROWS)
    content[position % len(content)] = value
    _only_norwegian_errors(bytes(content), "f.xlsx")


@FAST
@given(position=st.integers(min_value=0), value=st.binary(min_size=1, max_size=8))
def test_damaged_sheet_xml(position, value):
    def change(xml: bytes) -> bytes:
        at = position % len(xml)
        return xml[:at] + value + xml[at + len(value) :]

    _only_norwegian_errors(_rewrite(FIVE_ROWS, SHEET, change), "f.xlsx")


@FAST
@given(rows=st.lists(st.lists(WEIRD, min_size=1, max_size=5), min_size=1, max_size=5))
def test_random_cells_in_csv_and_xlsx(rows):
    lines = [";".join(COLUMNS)] + [";".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    _only_norwegian_errors("\n".join(lines).encode(), "f.csv")
    _only_norwegian_errors("\r".join(lines).encode("utf-8"), "f.csv")
    clean = [[ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row] for row in rows]  # openpyxl cannot write them
    _only_norwegian_errors(_xlsx([list(COLUMNS), *clean]), "f.xlsx")


def test_read_table_raises_only_sheet_errors_for_zip_limits():
    bomb = _with_part(FIVE_ROWS, "xl/media/bomb.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(spreadsheets.SheetError, match="for stor når den pakkes ut") as caught:
        read_table(bomb, "f.xlsx")
    assert caught.value.row == 1
