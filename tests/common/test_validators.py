"""common.validators: the one code rule (model, database, forms, URLs, repair) and single-line text hygiene."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benefits.models import BenefitPlan
from common.validators import (
    RESERVED_CODES,
    clean_single_line,
    clean_text,
    repair_codes,
    repaired_code,
    validate_code,
)
from milestones.models import DecisionPoint, Milestone
from portfolio.models import Activity
from risks.models import Risk

FAST = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
CODE_MODELS = [Activity, Risk, Milestone, DecisionPoint, BenefitPlan]


@pytest.mark.parametrize("code", ["HA01", "R1", "MP-0.1", "gp_ha05", "2018", "a"])
def test_valid_codes_pass(code):
    validate_code(code)


@pytest.mark.parametrize("code", ["P/1", ".", "..", "-1", "_a", "", " ", "R 1", "Å1", "R1\n", "R?1", "%2F", "ny", "NY"])
def test_codes_unsafe_in_a_url_or_reserved_are_refused_in_norwegian(code):
    with pytest.raises(ValidationError) as refused:
        validate_code(code)
    assert "Koden" in refused.value.messages[0]


@pytest.mark.parametrize("model", CODE_MODELS)
def test_every_code_field_has_the_validator_and_the_check_constraint(model):
    assert validate_code in model._meta.get_field("code").validators
    names = {c.name for c in model._meta.constraints}
    assert any(name.endswith("_code_valid") for name in names)


@pytest.mark.django_db
def test_the_database_refuses_a_bad_code_that_skips_the_model(plan):
    risk = Risk.objects.filter(programme=plan).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(code="P/1")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_fixed_segment_beside_a_code_is_reserved():
    """Collect, for each `<str:code>` route, the fixed segments at the same place under the same prefix."""
    routes = list(_routes(get_resolver().url_patterns))
    beside = set()
    for route in routes:
        if "<str:code>" not in route:
            continue
        prefix = route.split("<str:code>")[0]
        for other in routes:
            if other.startswith(prefix) and other != route:
                segment = re.split(r"[/\\.]", other[len(prefix) :].lstrip("^"))[0]
                if segment and "<" not in segment and "(" not in segment:
                    beside.add(segment)
    assert beside, "no route sits beside a code: the test no longer finds them"
    assert {"ny", "import"} <= beside
    assert beside <= RESERVED_CODES, beside - RESERVED_CODES


@pytest.mark.parametrize(
    ("code", "repaired"),
    [("P/1", "P-1"), ("ny", "K-ny"), (".", "K-."), ("", "K"), ("Å 1", "K---1"), ("import", "K-import")],
)
def test_repaired_code(code, repaired):
    assert repaired_code(code, 10) == repaired
    validate_code(repaired_code(code, 10))


@FAST
@given(code=st.text(max_size=30), max_length=st.integers(min_value=3, max_value=20))
def test_a_repaired_code_is_always_valid_and_fits(code, max_length):
    repaired = repaired_code(code, max_length)
    assert len(repaired) <= max_length
    validate_code(repaired)


class _Rows:
    """A stand-in for a historical model's manager: what `repair_codes` reads and writes, without a database."""

    def __init__(self, rows):
        self.rows = {pk: [scope, code] for pk, scope, code in rows}

    def order_by(self, *fields):
        return self

    def values_list(self, *fields):
        return [(pk, scope, code) for pk, (scope, code) in sorted(self.rows.items())]

    def filter(self, pk):
        rows = self

        class _One:
            def update(self, code):
                rows.rows[pk][1] = code

        return _One()


def test_repair_codes_keeps_good_codes_and_makes_repaired_ones_unique_per_programme():
    class Model:
        class _meta:  # noqa: N801
            @staticmethod
            def get_field(name):
                return type("F", (), {"max_length": 10})

    Model._default_manager = _Rows(
        [(1, "a", "P-1"), (2, "a", "P/1"), (3, "a", "P 1"), (4, "b", "P/1"), (5, "a", "ny"), (6, "a", "R1")]
    )
    assert repair_codes(Model) == 4
    codes = Model._default_manager.rows
    assert codes[1] == ["a", "P-1"] and codes[6] == ["a", "R1"]  # valid codes stay
    assert codes[2] == ["a", "P-1-2"] and codes[3] == ["a", "P-1-3"]
    assert codes[4] == ["b", "P-1"]  # another programme may have it
    assert codes[5] == ["a", "K-ny"]


# --- single-line text -----------------------------------------------------------------------------------

CONTROL = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]] + ["\u2028", "\u2029"]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", " ", "\u00a0", "\u3000"]
hostile = st.text(
    alphabet=st.one_of(st.sampled_from(CONTROL + BIDI + INVISIBLE), st.characters(codec="utf-8")), max_size=60
)


@FAST
@given(text=hostile)
def test_clean_single_line_gives_a_clean_line_or_a_norwegian_error(text):
    try:
        cleaned = clean_single_line(text)
    except ValidationError as refused:
        assert refused.messages == ["Skriv en tittel."]
        return
    assert not any(ch in cleaned for ch in CONTROL + BIDI)
    assert cleaned == cleaned.strip()
    assert any(ch not in INVISIBLE and unicodedata.category(ch) not in ("Cf", "Zs") for ch in cleaned)


def test_clean_single_line_examples():
    assert clean_single_line("Ny\r\nSubject: spam") == "Ny Subject: spam"
    assert clean_single_line("\u202eabc\u202c") == "abc"
    assert clean_single_line("  Wifi\u200b ") == "Wifi\u200b"
    for blank in ["", "   ", "\u200b\u200c", "\ufeff\u2060 \u202e", "\n\t"]:
        with pytest.raises(ValidationError):
            clean_single_line(blank)
    assert clean_single_line("\u200b", required=False) == ""


# --- free text ----------------------------------------------------------------------------------------------

KEPT_IN_TEXT = {"\n", "\t"}


@FAST
@given(text=hostile)
def test_clean_text_keeps_lines_and_tabs_and_drops_control_and_bidi_characters(text):
    cleaned = clean_text(text)
    assert not set(cleaned) & (set(CONTROL + BIDI) - KEPT_IN_TEXT)
    assert not any(ch in cleaned for ch in "\u200e\u200f\u061c")
    assert cleaned == "" or any(
        ch not in INVISIBLE and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Zs") for ch in cleaned
    )
    assert clean_text(cleaned) == cleaned  # cleaning twice changes nothing


def test_clean_text_examples():
    assert clean_text("Linje 1\r\nLinje 2\rLinje 3\u2028Linje 4") == "Linje 1\nLinje 2\nLinje 3\nLinje 4"
    assert clean_text("a\tb\x00c\x1bd\x7fe\x9f") == "a\tbcde"
    assert clean_text("Wifi \u202ei skolen\u202c, \u2067ikke\u2069 \u200fher\u200e") == "Wifi i skolen, ikke her"
    assert clean_text("مرحبا שלום ÆØÅ 👩\u200d💻 می\u200cخواهم") == "مرحبا שלום ÆØÅ 👩\u200d💻 می\u200cخواهم"
    for blank in ["", "\u200b\u200b", "\u2066\u2069", " \n\t\u00a0\ufeff"]:
        assert clean_text(blank) == ""


def test_the_marks_lrm_and_rlm_are_removed_from_a_title_too():
    assert clean_single_line("\u200fTittel\u200e") == "Tittel"
