"""One number and date format for pages, charts and the report: no-break thousands, decimal comma, true minus."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from common.formatting import budget_difference, day, nok, number, percent
from common.parsing import parse_number

NBSP, MINUS = "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("180000.00"), None, f"180{NBSP}000"),
        (Decimal("60.00"), None, "60"),
        (Decimal("12.50"), None, "12,5"),
        (Decimal("0.05"), None, "0,05"),
        (Decimal("-1780.4"), None, f"{MINUS}1{NBSP}780,4"),
        (Decimal("-1780.4"), 0, f"{MINUS}1{NBSP}780"),
        (Decimal("1234567.891"), None, f"1{NBSP}234{NBSP}567,89"),
        (Decimal("2.5"), 0, "3"),  # half up, as people round
        (Decimal("-0.004"), None, "0"),  # never «−0»
        (1500000, None, f"1{NBSP}500{NBSP}000"),
        (4.0, None, "4"),
        (None, None, "–"),
    ],
)
def test_number_is_grouped_with_a_decimal_comma_and_a_true_minus(value, places, shown):
    assert number(value, places) == shown


def test_kroner_per_cent_difference_and_date():
    assert nok(Decimal("180000.00")) == f"180{NBSP}000{NBSP}kr"
    assert nok(Decimal("-3")) == f"{MINUS}3{NBSP}kr"
    assert nok(None) == "ikke avklart"
    assert percent(Decimal("-1780.0")) == f"{MINUS}1{NBSP}780{NBSP}%"
    assert percent(Decimal("59.5")) == f"60{NBSP}%"
    assert percent(None) == "–"
    assert budget_difference(Decimal("100"), Decimal("250")) == f"{MINUS}150{NBSP}kr"
    assert budget_difference(None, Decimal("1")) == "ikke avklart"
    assert budget_difference(Decimal("1"), None) == "–"
    assert day(date(2017, 3, 15)) == "15.03.2017"
    assert day(datetime(2017, 3, 15, 12, 0)) == "15.03.2017"
    assert day(None) == "–"


def test_the_template_filters_are_the_same_functions():
    template = Template(
        "{% load formatting %}{{ a|nok }}|{{ p|percent }}|{{ n|number }}|{{ n|number:0 }}|{% budget_difference a b %}"
    )
    context = Context({"a": Decimal("1500000"), "b": Decimal("1600000.4"), "p": Decimal("-12.4"), "n": "-1234.56"})
    assert template.render(context) == "|".join(
        [
            f"1{NBSP}500{NBSP}000{NBSP}kr",
            f"{MINUS}12{NBSP}%",
            f"{MINUS}1{NBSP}234,56",
            f"{MINUS}1{NBSP}235",
            f"{MINUS}100{NBSP}000{NBSP}kr",
        ]
    )


@settings(max_examples=200, deadline=None, database=None)
@given(st.decimals(min_value=-(10**11), max_value=10**11, places=2, allow_nan=False, allow_infinity=False))
def test_a_shown_number_pastes_back_into_a_form(value):
    """What a page shows, the parser of forms and imports reads back to the same value."""
    assert parse_number(number(value), allow_negative=True) == value
