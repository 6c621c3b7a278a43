"""Property-based tests: random input into the forms and imports never gives a 500 and never half-saves.

Each example runs in a savepoint that is rolled back, so examples cannot affect each other. A form that
refuses the input answers with its error list and saves nothing; an import keeps all rows or none, and
every error names a row and is in Norwegian.
"""

import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benefits import resources as benefit_resources
from benefits.models import Benefit, BenefitMeasurement
from benefits.resources import BENEFIT_COLUMNS, MEASUREMENT_COLUMNS
from measures.models import Proposal
from measures.resources import COLUMNS as PROPOSAL_COLUMNS
from measures.resources import run_import as run_proposal_import
from risks.models import Risk
from risks.resources import COLUMNS as RISK_COLUMNS
from risks.resources import READ_ONLY as RISK_READ_ONLY
from risks.resources import run_import as run_risk_import
from tests import factories

from .test_input_properties_forms import UNSAFE, codes, hostile_text
from .test_input_properties_forms import dates as hostile_dates
from .test_input_properties_forms import numbers as hostile_numbers

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
FAST = settings(
    max_examples=25,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the checkout; a failure prints its example instead
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ERROR_MARK = re.compile(r'class="(?:errorlist|error)[^"]*"')
# Words of Django's and django-import-export's English messages: none may reach a Norwegian user.
ENGLISH = re.compile(r"\b(the|is|must|Enter|value|field|invalid|required|This|not a)\b")

# Text as people (and bots) type it: any Unicode, control characters, very long, or look-alike numbers.
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=400),
    st.sampled_from(["", " ", "\x00", "=SUM(A1)", "<script>alert(1)</script>", "0", "-1", "1e308", "NaN"]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.sampled_from(["1 500 000", "1 500 000,-", "12,5", "kr 1,5 mill.", "-0", "1.5e3", "∞", "١٢٣"]),
    texts,
)
dates = st.one_of(
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["31.02.2017", "00.00.0000", "2017-13-01", "15.03.17", "9999-12-31", "0001-01-01"]),
    texts,
)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _refused_or_saved(response, saved_before: int, saved_after: int) -> None:
    assert response.status_code < 500
    if saved_after == saved_before:
        assert response.status_code in (200, 400, 409, 422, 429), response.status_code
        assert ERROR_MARK.search(response.content.decode()), "refused without an error message"
    else:
        assert saved_after == saved_before + 1
        assert response.status_code in (200, 302)


@pytest.fixture
def leader_client(client, project_leader):
    client.force_login(project_leader)
    return client


@FAST
@given(title=texts, description=texts, unit=texts, cost=numbers, area=st.one_of(st.just("1"), numbers))
def test_staff_proposal_form(client, plan, staff, title, description, unit, cost, area):
    client.force_login(staff)
    area_pk = str(plan.areas.get(number=1).pk) if area == "1" else area
    data = {"title": title, "description": description, "problem": "", "unit": unit, "expected_benefit": ""}
    with rolled_back():
        before = Proposal.objects.count()
        response = client.post(
            reverse("proposal_create", args=[SLUG]), {**data, "estimated_cost": cost, "area": area_pk}
        )
        _refused_or_saved(response, before, Proposal.objects.count())
        if Proposal.objects.count() > before:
            saved = Proposal.objects.latest("pk")
            assert saved.estimated_cost is None or saved.estimated_cost >= 0


@FAST
@given(title=texts, problem=texts, name=texts, email=texts, area=st.one_of(st.just("1"), numbers))
def test_citizen_proposal_form(client, plan, title, problem, name, email, area):
    cache.clear()  # the citizen rate limit would otherwise answer 429 after a few examples
    area_pk = str(plan.areas.get(number=1).pk) if area == "1" else area
    data = {"title": title, "description": "", "problem": problem, "area": area_pk}
    with rolled_back():
        before = Proposal.objects.count()
        response = client.post(
            reverse("public_proposal_form", args=[SLUG]), {**data, "submitter_name": name, "submitter_email": email}
        )
        _refused_or_saved(response, before, Proposal.objects.count())


@FAST
@given(code=texts, title=texts, status=texts, review=dates, owner=numbers)
def test_risk_form(leader_client, plan, code, title, status, review, owner):
    data = {"code": code, "title": title, "description": "", "status": status or "open", "note": ""}
    with rolled_back():
        before = Risk.objects.count()
        response = leader_client.post(
            reverse("risk_create", args=[SLUG]), {**data, "next_review_on": review, "owner": owner, "activity": ""}
        )
        _refused_or_saved(response, before, Risk.objects.count())
        if Risk.objects.count() > before:
            risk = Risk.objects.latest("pk")
            assert risk.next_review_on is None or plan.start_date <= risk.next_review_on <= plan.end_date


@FAST
@given(day=dates, value=numbers, note=texts, htmx=st.booleans())
def test_measurement_form(leader_client, plan, day, value, note, htmx):
    benefit_plan = factories.benefit_plan(plan, plan.activities.order_by("code").first(), benefits=1)
    benefit = Benefit.objects.get(plan=benefit_plan)
    url = reverse("benefit_measure", args=[SLUG, benefit_plan.code, benefit.pk])
    with rolled_back():
        before = BenefitMeasurement.objects.count()
        headers = {"HX-Request": "true"} if htmx else {}
        response = leader_client.post(url, {"measured_on": day, "value": value, "note": note}, headers=headers)
        _refused_or_saved(response, before, BenefitMeasurement.objects.count())


@FAST
@given(amount=numbers)
def test_budget_amount_field(plan, amount):
    """The Norwegian amount field: a number ≥ 0 in whole kroner and øre, or a clear error; never an exception."""
    from common.fields import AmountField

    field = AmountField(required=False)
    try:
        value = field.clean(amount)
    except Exception as error:  # noqa: BLE001 - a ValidationError is the only acceptable failure
        from django.core.exceptions import ValidationError

        assert isinstance(error, ValidationError), repr(error)
        assert not ENGLISH.search(" ".join(error.messages))
        return
    assert value is None or (isinstance(value, Decimal) and value >= 0)


# Imports: random cells under the real headers.

cells = st.one_of(texts, numbers, dates, st.sampled_from(["HA01", "HA05", "2017", "Åpen", "innbygger", "ansatt"]))


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    lines = [";".join(header)] + [";".join(cell(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _check_report(report, rows: int, before: int, after: int) -> None:
    if report.saved:
        assert not report.errors
        assert after >= before  # rows may update existing objects
    else:
        assert report.errors
        assert after == before, "a refused import saved something"
    for error in report.errors:
        assert isinstance(error.row, int) and 1 <= error.row <= rows + 1
        assert error.message.strip()
        assert not ENGLISH.search(error.message), error.message


def _filled(rows: list[list[str]]) -> int:
    """Rows the import reads: a row of empty cells is skipped, as a spreadsheet's blank line."""
    return sum(1 for row in rows if any(cell.strip() for cell in row))


def _rows(width: int):
    return st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=4)


PROPOSAL_HEADER = ["Tittel", "Hovedområde", "Kostnadsestimat", "Innsendt", "Behov", "Status", "Innsendertype"]


@FAST
@given(rows=_rows(len(PROPOSAL_HEADER)))
def test_proposal_import_all_or_nothing(plan, rows):
    with rolled_back():
        before = Proposal.objects.count()
        report = run_proposal_import(plan, _csv(PROPOSAL_HEADER, rows), "forslag.csv", dry_run=False)
        _check_report(report, len(rows), before, Proposal.objects.count())
        if report.saved:
            assert Proposal.objects.count() == before + _filled(rows)


RISK_HEADER = ["Nr.", "Risikofaktor", "Hovedaktivitet", "Status", "Neste gjennomgang", "S", "K"]


@FAST
@given(rows=_rows(len(RISK_HEADER)))
def test_risk_import_all_or_nothing(plan, rows):
    with rolled_back():
        before = Risk.objects.count()
        report = run_risk_import(plan, _csv(RISK_HEADER, rows), "risiko.csv", dry_run=False)
        _check_report(report, len(rows), before, Risk.objects.count())


MEASUREMENT_HEADER = ["Gevinst-ID", "Dato", "Verdi", "Merknad"]


@FAST
@given(rows=_rows(len(MEASUREMENT_HEADER)), known=st.booleans())
def test_measurement_import_all_or_nothing(plan, rows, known):
    if known:
        benefit = Benefit.objects.filter(plan__programme=plan).order_by("pk").first()
        rows = [[str(benefit.pk), *row[1:]] for row in rows]
    with rolled_back():
        before = BenefitMeasurement.objects.count()
        report = benefit_resources.run_import("malinger", plan, _csv(MEASUREMENT_HEADER, rows), "m.csv", dry_run=False)
        _check_report(report, len(rows), before, BenefitMeasurement.objects.count())
        if report.saved:
            assert BenefitMeasurement.objects.count() == before + _filled(rows)


BENEFIT_HEADER = ["Plan", "Gevinst", "Type", "Indikator", "Nullpunkt", "Nullpunkt dato", "Mål", "Måldato"]


@FAST
@given(rows=_rows(len(BENEFIT_HEADER)), known_plan=st.booleans())
def test_benefit_import_all_or_nothing(plan, rows, known_plan):
    if known_plan:
        code = plan.benefit_plans.order_by("code").values_list("code", flat=True).first()
        rows = [[code, *row[1:]] for row in rows]
    with rolled_back():
        before = Benefit.objects.count()
        report = benefit_resources.run_import("gevinster", plan, _csv(BENEFIT_HEADER, rows), "g.csv", dry_run=False)
        _check_report(report, len(rows), before, Benefit.objects.count())


# Every column of every importer, each cell drawn from the generators above and from text with control,
# invisible and bidi characters; what a saved import stores has none of them (line breaks aside).

every_cell = st.one_of(cells, hostile_text, codes, hostile_numbers, hostile_dates)
IMPORTERS = {
    "forslag": (
        list(PROPOSAL_COLUMNS),
        Proposal,
        lambda plan, content: run_proposal_import(plan, content, "f.csv", dry_run=False),
    ),
    "risiko": (
        [c for c in RISK_COLUMNS if c not in RISK_READ_ONLY],
        Risk,
        lambda plan, content: run_risk_import(plan, content, "r.csv", dry_run=False),
    ),
    "gevinster": (
        list(BENEFIT_COLUMNS),
        Benefit,
        lambda plan, content: benefit_resources.run_import("gevinster", plan, content, "g.csv", dry_run=False),
    ),
    "malinger": (
        list(MEASUREMENT_COLUMNS),
        BenefitMeasurement,
        lambda plan, content: benefit_resources.run_import("malinger", plan, content, "m.csv", dry_run=False),
    ),
}


@pytest.mark.parametrize("importer", list(IMPORTERS))
@FAST
@given(draw=st.data())
def test_every_import_column_all_or_nothing(plan, importer, draw):
    header, model, run = IMPORTERS[importer]
    # Some columns generated, the others a known good value where one is simple to give, so rows can save.
    good = {
        "Tittel": "Nytt forslag",
        "Hovedområde": "1",
        "Nr.": "R77",
        "Risikofaktor": "Ny risiko",
        "Plan": plan.benefit_plans.order_by("code").values_list("code", flat=True).first(),
        "Gevinst": "Spart tid",
        "Type": "Spart tid",
        "Indikator": "Timer",
        "Gevinst-ID": str(Benefit.objects.filter(plan__programme=plan).order_by("pk").values_list("pk", flat=True)[0]),
        "Dato": "15.03.2018",
        "Verdi": "12,5",
    }
    fuzzed = draw.draw(st.sets(st.sampled_from(header), min_size=1), label="fuzzed columns")
    rows = draw.draw(
        st.lists(
            st.tuples(*[every_cell if c in fuzzed or c not in good else st.just(good[c]) for c in header]),
            min_size=1,
            max_size=3,
        ),
        label="rows",
    )
    rows = [list(row) for row in rows]
    with rolled_back():
        before = model.objects.count()
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        report = run(plan, _csv(header, rows))
        _check_report(report, len(rows), before, model.objects.count())
        if report.saved:
            for saved in model.objects.filter(pk__gt=last):
                for field in model._meta.concrete_fields:
                    value = getattr(saved, field.attname)
                    assert not (isinstance(value, str) and set(value) & UNSAFE), (field.name, value)
