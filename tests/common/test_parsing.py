"""One parser for numbers, dates and ids (common.parsing): Norwegian formats in, everything else a clear
Norwegian ValueError out, never another exception."""

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.fields import AmountField
from common.parsing import (
    MAX_ID,
    format_number,
    parse_amount,
    parse_date,
    parse_id,
    parse_int,
    parse_number,
    parse_positive_int,
)
from common.spreadsheets import AmountWidget, DateWidget, IdWidget, NumberWidget, ScoreWidget, neutralise

ENGLISH = re.compile(r"\b(the|is|must|Enter|value|field|invalid|literal|base|Invalid|not a|could)\b")


def _norwegian(error: ValueError) -> bool:
    """A message in Norwegian, apart from the quoted «input» it may echo."""
    message = re.sub(r"«.*»", "«…»", str(error), flags=re.S)
    return bool(message.strip()) and not ENGLISH.search(message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 500 000", "1500000"),
        ("1500000", "1500000"),
        ("1 500 000,-", "1500000"),
        ("1\u00a0500\u00a0000", "1500000"),
        ("1.500.000", "1500000"),
        ("50,5", "50.5"),
        ("12 345,50", "12345.50"),
        ("0,05", "0.05"),
        ("−3", "-3"),
        ("-3", "-3"),
        ("-1 500,5", "-1500.5"),
        ("-0", "0"),
    ],
)
def test_norwegian_numbers_are_read(text, expected):
    assert parse_number(text, allow_negative=True) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "kr 1,5 mill.",
        "1.2.3",
        "²",
        "١٢",
        "1e9",
        "NaN",
        "Infinity",
        "-inf",
        "1,5,5",
        "15 00",
        "+3",
        "1 500 000,-,-",
        "",
        " ",
        "0x10",
        "1_000",
        "𝟏",
        "1,234",
        "9" * 5000,
    ],
)
def test_everything_else_is_refused_in_norwegian(text):
    with pytest.raises(ValueError) as caught:
        parse_number(text, allow_negative=True)
    assert _norwegian(caught.value)


def test_negative_numbers_only_where_allowed():
    with pytest.raises(ValueError, match="kan ikke være negativt"):
        parse_number("-3")
    with pytest.raises(ValueError, match="Beløpet kan ikke være negativt"):
        parse_amount("−3")


def test_numbers_a_spreadsheet_holds_are_checked_too():
    assert parse_number(1500000.0) == Decimal("1500000.00")
    assert parse_number(0.1 + 0.2) == Decimal("0.30")
    for bad in (float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity"), True):
        with pytest.raises(ValueError):
            parse_number(bad, allow_negative=True)
    with pytest.raises(ValueError, match="for stort"):
        parse_number(1e15)


@pytest.mark.parametrize("text", ["²", "١٢", "𝟏", "1.5", "1e3", "", "-", "+1", "12a"])
def test_whole_numbers_are_ascii_digits_only(text):
    with pytest.raises(ValueError):
        parse_int(text)


def test_ids_are_positive_and_fit_the_database():
    assert parse_id("42") == parse_positive_int(" 42 ") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in ("0", "-1", str(MAX_ID + 1), "²", "١", "9" * 5000, "", None, "4 2"):
        with pytest.raises(ValueError, match="er ikke en gyldig ID"):
            parse_id(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("15.03.2017", date(2017, 3, 15)), ("15.03.17", date(2017, 3, 15)), ("2017-03-15", date(2017, 3, 15))],
)
def test_dates_in_the_three_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["0001-01-01", "9999-12-31", "31.02.2017", "2017-13-01", "15/03/2017", "١٥.٠٣.٢٠١٧", "15.3.2017x", "17"]
)
def test_other_dates_and_dates_out_of_range_are_refused(text):
    with pytest.raises(ValueError, match="dato|tidsrommet"):
        parse_date(text)


def test_date_range_applies_to_a_spreadsheet_date_as_well():
    with pytest.raises(ValueError, match="utenfor det tillatte tidsrommet"):
        parse_date(date(1, 1, 1))
    assert parse_date(date(2018, 1, 1), earliest=date(2017, 1, 1)) == date(2018, 1, 1)


def test_widgets_and_the_amount_field_use_the_parser():
    assert AmountWidget().clean("1 500 000,-") == Decimal("1500000.00")
    with pytest.raises(ValueError, match="«²» er ikke et beløp i kroner"):
        AmountWidget().clean("²")
    with pytest.raises(ValueError, match="er ikke et tall"):
        NumberWidget().clean(float("nan"))
    with pytest.raises(ValueError, match="utenfor det tillatte tidsrommet"):
        DateWidget().clean("0001-01-01")
    with pytest.raises(ValueError, match="fra 1 til 5"):
        ScoreWidget().clean("²")
    with pytest.raises(ValueError, match="gyldig ID"):
        IdWidget().clean("²")
    assert AmountField(required=False).clean("1 500 000") == Decimal("1500000")


def test_negative_numbers_are_exported_so_that_they_import_again():
    """A plain number is no formula: the neutraliser leaves «-3» alone; an old export's «'-3» still reads."""
    widget = NumberWidget()
    for value in (Decimal("-3"), Decimal("-1500.5"), Decimal("-0.05")):
        exported = neutralise(widget.render(value))
        assert not exported.startswith("'")
        assert widget.clean(exported) == value
    assert widget.clean("'-3") == Decimal("-3")
    assert neutralise("-3+cmd|' /C calc'!A0").startswith("'")
    assert neutralise("-Skole") == "'-Skole"


# Property-based: any text either parses to a value that formats back, or is a Norwegian ValueError.

numberish = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789 .,-−\u00a0\u202f²١e+", max_size=20),
    st.decimals(allow_nan=True, allow_infinity=True, places=2).map(str),
    st.decimals(min_value=-(10**11), max_value=10**11, places=2).map(lambda d: format_number(d)),
)


@settings(max_examples=300, deadline=None, database=None)
@given(text=numberish, negative=st.booleans(), decimals=st.booleans())
def test_any_text_parses_and_formats_back_or_is_a_norwegian_error(text, negative, decimals):
    try:
        value = parse_number(text, allow_negative=negative, decimals=decimals)
    except ValueError as error:
        assert _norwegian(error)
        return
    assert isinstance(value, Decimal) and value.is_finite()
    assert parse_number(format_number(value), allow_negative=negative) == value
    assert parse_number(format_number(value, grouping=False), allow_negative=negative) == value


@settings(max_examples=200, deadline=None, database=None)
@given(text=st.one_of(st.text(max_size=20), st.dates().map(str), st.dates().map(lambda d: d.strftime("%d.%m.%Y"))))
def test_any_text_is_a_date_in_range_or_a_norwegian_error(text):
    try:
        day = parse_date(text)
    except ValueError as error:
        assert _norwegian(error)
        return
    assert date(1900, 1, 1) <= day <= date(2100, 12, 31)
    assert parse_date(day.strftime("%d.%m.%Y")) == day


@settings(max_examples=200, deadline=None, database=None)
@given(text=st.one_of(st.text(max_size=25), st.integers().map(str)))
def test_any_text_is_an_id_or_a_norwegian_error(text):
    try:
        number = parse_id(text)
    except ValueError as error:
        assert "er ikke en gyldig ID" in str(error)
        return
    assert 1 <= number <= MAX_ID and str(number) == text.strip().lstrip("0")
