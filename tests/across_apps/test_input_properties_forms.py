"""Property-based tests over every form of the site: generated values (codes, numbers, dates, text with
control, invisible and bidi characters) posted through each form's real view, as the role that uses it.

Whatever is posted: never a 500; a refusal answers with its Norwegian error list and leaves the database as it
was (every table of the project's apps counted, and the edited object unchanged); what is saved holds no
control or bidi characters. In each example a few fields get generated values and the others a value the
form accepts, so that examples reach the checks behind the first field too. Each example runs in a
rolled-back savepoint.
"""

import html
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine
from common.validators import PROJECT_APP_LABELS
from measures.models import Proposal
from milestones.models import DecisionPoint, MeetingSeries, Milestone
from portfolio.models import BudgetLine, Person, Phase, Programme
from risks.models import Risk

pytestmark = pytest.mark.django_db
# As in test_input_properties.py (which imports the strategies below, so it cannot be imported from here).
ERROR_MARK = re.compile(r'class="(?:errorlist|error|message\b[^"]*\berror\b)[^"]*"')
ENGLISH = re.compile(r"\b(the|is|must|Enter|value|field|invalid|required|This|not a)\b")
SLUG = "nordre-land-digitalisering"
FAST = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CONTROL = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]] + ["\u2028", "\u2029"]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]] + ["\u200e", "\u200f", "\u061c"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3164", "\u00a0", "\u3000"]

# Text as people, bots and copy-paste from other programs produce it.
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(CONTROL + BIDI + INVISIBLE), st.characters(codec="utf-8")), max_size=60
)
texts = st.one_of(
    hostile_text,
    st.text(alphabet=st.characters(codec="utf-8"), min_size=250, max_size=400),
    st.sampled_from(
        ["", " ", "\u200b\u200b", "\u2066\u2069", "\u202eolleh", "Linje 1\r\nLinje 2\rLinje 3", "\x00", "=SUM(A1)"]
    ),
    st.sampled_from(["<script>alert(1)</script>", "Bedre wifi", "ÆØÅ æøå", "مرحبا", "שלום", "👩‍💻"]),
)
codes = st.one_of(
    st.sampled_from(["P/1", "ny", "NY", "import", "²", "../x", ".", "..", "R 1", "Å1", "%2F", "R1\n", "R1\u202e"]),
    st.sampled_from(["R1", "HA01", "BP1", "MP1", "GP-HA02", "x" * 30, "-1", "a.b_c-d"]),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True),
    hostile_text,
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.sampled_from(["1 500 000", "1 500 000,-", "12,5", "-3", "−3", "²", "١٢٣", "1e308", "NaN", "∞", "9" * 40]),
    st.sampled_from(["-0", "1.5e3", "0,001", "3", "2018", "1", "5", "0"]),
    hostile_text,
)
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    st.dates(min_value=date(2016, 11, 1), max_value=date(2019, 11, 1)).map(date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "31.02.2017", "2017-13-01", "15.03.17", "²².03.2017", "2100-01-01"]),
    hostile_text,
)
booleans = st.one_of(st.sampled_from(["on", "", "true", "false", "0"]), hostile_text)
emails = st.one_of(st.emails(), st.sampled_from(["a@b", "ola@example.no\n", "@", "ola@exa\u202emple.no"]), hostile_text)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def choice(*valid) -> st.SearchStrategy:
    """A field with choices: one of them, or anything else (another programme's id, text, a huge number)."""
    return st.one_of(st.sampled_from([str(v) for v in valid]), numbers, st.sampled_from(["", "999999999"]))


@dataclass
class Fuzzed:
    """A field: the value the form accepts, and what is posted instead when the example picks the field."""

    valid: str | None  # None: not sent at all, as a browser sends no unticked checkbox
    strategy: st.SearchStrategy


def with_valid(strategy, valid) -> Fuzzed:
    return Fuzzed(valid, strategy)


@dataclass
class Case:
    url: str
    user: str | None  # a demo user's username, or None for an anonymous visitor
    fields: dict[str, Fuzzed | st.SearchStrategy]  # a bare strategy: the field may be left empty
    edited: object = None  # the object an edit form changes (compared field by field on a refusal)
    fixed: dict[str, str] = field(default_factory=dict)
    htmx: bool = False


def _first(queryset):
    return queryset.order_by("pk").first()


def _cases(plan: Programme) -> dict[str, Case]:
    slug = plan.slug
    areas = list(plan.areas.values_list("pk", flat=True)[:3])
    people = list(Person.objects.filter(organisation=plan.organisation).values_list("pk", flat=True)[:3])
    activity = plan.activities.order_by("code").first()
    phase = _first(Phase.objects.filter(programme=plan))
    submitted = _first(Proposal.objects.filter(programme=plan, status=Proposal.Status.SUBMITTED))
    assessed = _first(Proposal.objects.filter(programme=plan, status=Proposal.Status.NEEDS_ASSESSMENT))
    awaiting = _first(Proposal.objects.filter(programme=plan, status__in=Proposal.AWAITING_DECISION))
    decision = awaiting.steering_decisions()[0].value
    measure = _first(Proposal.objects.filter(programme=plan, status__in=Proposal.ACCEPTED_STATUSES))
    benefit_plan = _first(BenefitPlan.objects.filter(programme=plan))
    point = _first(DecisionPoint.objects.filter(programme=plan, status=DecisionPoint.Status.PLANNED))
    milestone = _first(Milestone.objects.filter(programme=plan))
    series = _first(MeetingSeries.objects.filter(programme=plan))
    line = _first(BudgetLine.objects.filter(phase__programme=plan))
    cash_line = _first(CashFlowLine.objects.filter(plan=benefit_plan))
    # The demo plan has no measurements: one to correct (created once, then found by the next examples).
    measurement = _first(BenefitMeasurement.objects.filter(benefit__plan=benefit_plan)) or (
        BenefitMeasurement.objects.create(benefit=benefit_plan.benefits.first(), measured_on=date(2018, 3, 15), value=9)
    )
    waiting = _first(Proposal.objects.filter(programme=plan).awaiting_moderation())
    in_period = "15.03.2018"
    return {
        "proposal_create": Case(
            reverse("proposal_create", args=[slug]),
            "ansatt",
            {
                "title": with_valid(texts, "Bedre wifi"),
                "description": texts,
                "problem": texts,
                "unit": texts,
                "expected_benefit": texts,
                "estimated_cost": with_valid(numbers, "150 000"),
                "area": with_valid(choice(*areas), str(areas[0])),
            },
        ),
        "public_proposal_form": Case(
            reverse("public_proposal_form", args=[slug]),
            None,
            {
                "title": with_valid(texts, "Bedre wifi"),
                "description": texts,
                "problem": texts,
                "area": with_valid(choice(*areas), str(areas[0])),
                "submitter_name": texts,
                "submitter_email": with_valid(emails, ""),
                "submission_token": with_valid(hostile_text, "8f0e2c1e-4a51-4a67-9d7e-0d6f1f0c9b10"),
            },
        ),
        "accessibility_statement": Case(
            reverse("accessibility_statement"),
            None,
            {
                "location": with_valid(texts, "/program/nordre-land-digitalisering/"),
                "programme": with_valid(numbers, ""),
                "description": with_valid(texts, "Knappen kan ikke nås med tastaturet"),
                "name": texts,
                "email": with_valid(emails, ""),
                "website": with_valid(texts, ""),
                "submission_token": with_valid(hostile_text, "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"),
            },
        ),
        "api_tokens": Case(
            reverse("api_tokens"),
            "leder",
            {"name": with_valid(texts, "Power BI"), "days": with_valid(numbers, "90")},
        ),
        "proposal_status": Case(
            reverse("proposal_status", args=[slug, submitted.pk]),
            "leder",
            {
                "status": with_valid(choice(*Proposal.Status.values), Proposal.Status.SCREENING),
                "comment": texts,
                "from_status": with_valid(choice(*Proposal.Status.values), submitted.status),
            },
            edited=submitted,
        ),
        "proposal_assess": Case(
            reverse("proposal_assess", args=[slug, assessed.pk]),
            "leder",
            {
                **{
                    name: with_valid(choice(1, 2, 3, 4, 5), "3")
                    for name in ("need", "benefit", "feasibility_technical", "feasibility_economic")
                },
                "estimated_cost": numbers,
                "estimated_effort_days": numbers,
                "version": with_valid(numbers, str(assessed.version)),
            },
            edited=assessed,
        ),
        "proposal_activity": Case(
            reverse("proposal_activity", args=[slug, measure.pk]),
            "leder",
            {
                "activity": with_valid(choice(activity.pk), str(activity.pk)),
                "version": with_valid(numbers, str(measure.version)),
            },
            edited=measure,
        ),
        "proposal_council": Case(
            reverse("proposal_council", args=[slug, measure.pk]),
            "leder",
            {
                "needs_change_council": booleans,
                "change_council_reviewed_on": with_valid(dates, in_period),
                "change_council_note": texts,
                "version": with_valid(numbers, str(measure.version)),
            },
            edited=measure,
        ),
        "round_list": Case(reverse("round_list", args=[slug]), "leder", {"year": with_valid(numbers, "2018")}),
        "benefit_measure": Case(
            reverse("benefit_measure", args=[slug, benefit_plan.code, benefit_plan.benefits.first().pk]),
            "leder",
            {"measured_on": with_valid(dates, in_period), "value": with_valid(numbers, "12,5"), "note": texts},
        ),
        "benefit_measurement_edit": Case(
            reverse(
                "benefit_measurement_edit",
                args=[slug, measurement.benefit.plan.code, measurement.benefit_id, measurement.pk],
            ),
            "leder",
            {
                "measured_on": with_valid(dates, measurement.measured_on.isoformat()),
                "value": with_valid(numbers, "1 500,5"),
                "note": texts,
                "confirmed": with_valid(booleans, "on"),
                "version": with_valid(numbers, str(measurement.version)),
            },
            edited=measurement,
        ),
        "moderate": Case(
            reverse("moderate", args=[slug, waiting.pk]),
            "leder",
            {"action": with_valid(choice("approve", "reject"), "reject"), "reason": with_valid(texts, "Reklame")},
            edited=waiting,
            htmx=True,
        ),
        "benefit_cash_flow": Case(
            reverse("benefit_cash_flow", args=[slug, benefit_plan.code]),
            "leder",
            {
                "year": with_valid(numbers, str(cash_line.year if cash_line else benefit_plan.analysis_start_year)),
                **{
                    name: with_valid(numbers, "1 500")
                    for name in ("investment", "operating_cost", "benefit_value", "realised_benefit_value")
                },
                "note": texts,
                "version": with_valid(numbers, str(cash_line.version) if cash_line else ""),
            },
            edited=cash_line,
        ),
        "benefit_create": Case(
            reverse("benefit_create", args=[slug, benefit_plan.code]),
            "leder",
            {
                "description": with_valid(texts, "Spart tid"),
                "kind": with_valid(choice(*Benefit.Kind.values), Benefit.Kind.values[0]),
                "is_financial": booleans,
                "indicator": with_valid(texts, "Timer"),
                "unit": texts,
                "baseline_value": numbers,
                "baseline_date": dates,
                "target_value": numbers,
                "target_date": dates,
                "method": texts,
                "frequency_months": numbers,
                "owner": choice(*people),
                "status": with_valid(choice(*Benefit.Status.values), Benefit.Status.values[0]),
            },
        ),
        "benefit_plan_create": Case(
            reverse("benefit_plan_create", args=[slug]),
            "leder",
            {
                "code": with_valid(codes, "GP-NY1"),
                "title": with_valid(texts, "Gevinstplan"),
                "activity": with_valid(choice(activity.pk), str(activity.pk)),
                "measure": choice(measure.pk),
                "description": texts,
                "change_actions": texts,
                "discount_rate": with_valid(numbers, "4"),
                "analysis_start_year": with_valid(numbers, "2018"),
                "analysis_years": with_valid(numbers, "5"),
                "is_example": booleans,
            },
        ),
        "risk_create": Case(
            reverse("risk_create", args=[slug]),
            "leder",
            {
                "code": with_valid(codes, "R99"),
                "title": with_valid(texts, "Ny risiko"),
                "description": texts,
                "activity": choice(activity.pk),
                "owner": choice(*people),
                "status": with_valid(choice(*Risk.Status.values), Risk.Status.values[0]),
                "next_review_on": dates,
                "note": texts,
            },
        ),
        "risk_rescore": Case(
            reverse("risk_rescore", args=[slug, "R1"]),
            "leder",
            {
                "probability": with_valid(choice(1, 2, 3, 4, 5), "3"),
                "consequence": with_valid(choice(1, 2, 3, 4, 5), "4"),
                "note": texts,
            },
            edited=Risk.objects.get(programme=plan, code="R1"),
        ),
        "mitigation_add": Case(
            reverse("mitigation_add", args=[slug, "R1"]),
            "leder",
            {
                "description": with_valid(texts, "Tiltak"),
                "responsible": choice(*people),
                "due_on": with_valid(dates, in_period),
            },
        ),
        "decision_record": Case(
            reverse("decision_record", args=[slug, point.code]),
            "leder",
            {
                "decision_text": with_valid(texts, "Vedtatt"),
                "reference": texts,
                "decided_on": with_valid(dates, in_period),
                "version": with_valid(numbers, str(point.version)),
            },
            edited=point,
        ),
        "decision_postpone": Case(
            reverse("decision_postpone", args=[slug, point.code]),
            "leder",
            {"new_date": with_valid(dates, "01.10.2019"), "version": with_valid(numbers, str(point.version))},
            edited=point,
        ),
        "decision_point_create": Case(
            reverse("decision_point_create", args=[slug]),
            "leder",
            {
                "code": with_valid(codes, "BP99"),
                "title": with_valid(texts, "Beslutning"),
                "date": with_valid(dates, in_period),
                "forum": texts,
                "basis": texts,
            },
        ),
        "milestone_create": Case(
            reverse("milestone_create", args=[slug]),
            "leder",
            {
                "code": with_valid(codes, "MP99"),
                "title": with_valid(texts, "Milepæl"),
                "activity": choice(activity.pk),
                "planned_date": with_valid(dates, in_period),
                "criteria": texts,
                "status": with_valid(choice(*Milestone.Status.values), Milestone.Status.values[0]),
                "actual_date": dates,
                "evidence": texts,
            },
        ),
        "milestone_edit": Case(
            reverse("milestone_edit", args=[slug, milestone.code]),
            "leder",
            {
                "code": with_valid(codes, milestone.code),
                "title": with_valid(texts, milestone.title),
                "planned_date": with_valid(dates, in_period),
                "status": with_valid(choice(*Milestone.Status.values), milestone.status),
                "actual_date": dates,
                "evidence": texts,
                "version": with_valid(numbers, str(milestone.version)),
            },
            edited=milestone,
        ),
        "schedule_edit": Case(
            reverse("schedule_edit", args=[slug, activity.code]),
            "leder",
            {f"m{phase.pk}_{month}": booleans for month in (1, 6, 12)} | {"version": numbers},
        ),
        "meeting_series_add": Case(
            reverse("meeting_series_add", args=[slug]),
            "leder",
            {
                "name": with_valid(texts, "Møte"),
                "participants": texts,
                "first_date": with_valid(dates, in_period),
                "interval_days": with_valid(numbers, "14"),
                "active": booleans,
            },
        ),
        "meeting_add": Case(
            reverse("meeting_add", args=[slug, series.pk]),
            "leder",
            {
                f"s{series.pk}-held_on": with_valid(dates, in_period),
                f"s{series.pk}-minutes": with_valid(texts, "Referat"),
            },
        ),
        "status_report_create": Case(
            reverse("status_report_create", args=[slug, activity.code]),
            "leder",
            {
                "period_end": with_valid(dates, in_period),
                **{name: with_valid(choice("green", "yellow", "red"), "green") for name in ("overall", "scope")},
                **{name: with_valid(choice("green", "yellow", "red"), "yellow") for name in ("time", "cost", "risk")},
                **dict.fromkeys(("comment", "scope_comment", "achievements", "next_steps"), texts),
            },
        ),
        "budget_line_actual": Case(
            reverse("budget_line_actual", args=[slug, line.pk]),
            "leder",
            {"actual_amount": numbers, "version": with_valid(numbers, str(line.version))},
            edited=line,
        ),
        "programme_edit": Case(
            reverse("programme_edit", args=[slug]),
            "leder",
            {
                "name": with_valid(texts, plan.name),
                "goal": texts,
                "scope": texts,
                "start_date": with_valid(dates, "01.11.2016"),
                "end_date": with_valid(dates, "01.11.2019"),
                "status_report_interval_days": with_valid(numbers, "14"),
                "version": with_valid(numbers, str(plan.version)),
            },
            edited=plan,
        ),
        "phase_create": Case(
            reverse("phase_create", args=[slug]),
            "leder",
            {
                "number": with_valid(numbers, "4"),
                "year": with_valid(numbers, "2016"),
                "name": with_valid(texts, "Fase"),
                "description": texts,
                "budget_note": texts,
            },
        ),
        "area_create": Case(
            reverse("area_create", args=[slug]),
            "leder",
            {"number": with_valid(numbers, "16"), "name": with_valid(texts, "Område")},
        ),
        "person_create": Case(
            reverse("person_create", args=[slug]),
            "leder",
            {"name": with_valid(texts, "Kari Nordmann"), "title": texts, "unit": texts, "email": emails},
        ),
        "activity_create": Case(
            reverse("activity_create", args=[slug]),
            "leder",
            {
                "code": with_valid(codes, "HA99"),
                "name": with_valid(texts, "Aktivitet"),
                "area": with_valid(choice(*areas), str(areas[0])),
                "responsible": with_valid(choice(*people), str(people[0])),
                "working_group": with_valid(choice(*people), None),
                **dict.fromkeys(("purpose", "tasks", "expected_result", "schedule_note"), texts),
            },
        ),
        "budget_line_create": Case(
            reverse("budget_line_create", args=[slug]),
            "leder",
            {
                "phase": with_valid(choice(phase.pk), str(phase.pk)),
                "activity": choice(activity.pk),
                "kind": with_valid(choice(*BudgetLine.Kind.values), BudgetLine.Kind.values[0]),
                "category": with_valid(choice(*BudgetLine.Category.values), BudgetLine.Category.values[0]),
                "description": with_valid(texts, "Lisenser"),
                "planned_amount": numbers,
                "note": texts,
            },
        ),
        "membership_create": Case(
            reverse("membership_create", args=[slug]),
            "leder",
            {
                "person": with_valid(choice(*people), str(people[0])),
                "role": with_valid(choice("owner", "sg", "pl"), "sg"),
                "description": texts,
            },
        ),
        "programme_members": Case(
            reverse("programme_members", args=[slug]),
            "leder",
            {"user": with_valid(texts, "ansatt"), "role": choice("prosjektgruppe", "styringsgruppe", "ansatt")},
        ),
        "member_invite": Case(
            reverse("member_invite", args=[slug]),
            "leder",
            {
                "name": with_valid(texts, "Kari Nordmann"),
                "email": with_valid(emails, "kari.nordmann@example.no"),
                "role": with_valid(choice("prosjektgruppe", "ansatt"), "prosjektgruppe"),
            },
        ),
        # A fresh file per example (each example builds its cases anew); the title and kind are generated.
        "object_documents": Case(
            reverse("object_documents", args=[slug, "milepael", milestone.pk]),
            "leder",
            {
                "title": texts,
                "kind": with_valid(choice("vedlegg", "dokumentasjon", "beslutningsgrunnlag"), "vedlegg"),
            },
            fixed={"file": SimpleUploadedFile("notat.pdf", b"%PDF-1.7 test")},
            htmx=True,
        ),
        "agenda_decide_point": Case(
            reverse("agenda_decide_point", args=[slug, point.code]),
            "styring",
            {
                f"bp-{point.code}-decision_text": with_valid(texts, "Vedtatt"),
                f"bp-{point.code}-reference": texts,
                f"bp-{point.code}-decided_on": with_valid(dates, in_period),
                f"bp-{point.code}-version": with_valid(numbers, str(point.version)),
                "dato": with_valid(dates, point.date.isoformat()),
            },
            edited=point,
            htmx=True,
        ),
        "agenda_decide_proposal": Case(
            reverse("agenda_decide_proposal", args=[slug, awaiting.pk]),
            "styring",
            {
                f"p{awaiting.pk}-status": with_valid(choice(*Proposal.Status.values), decision),
                f"p{awaiting.pk}-comment": texts,
                "dato": dates,
            },
            edited=awaiting,
            htmx=True,
        ),
    }


CASE_NAMES = [
    "proposal_create",
    "public_proposal_form",
    "proposal_status",
    "proposal_assess",
    "proposal_activity",
    "proposal_council",
    "round_list",
    "benefit_measure",
    "benefit_measurement_edit",
    "moderate",
    "benefit_cash_flow",
    "benefit_create",
    "benefit_plan_create",
    "risk_create",
    "risk_rescore",
    "mitigation_add",
    "decision_record",
    "decision_postpone",
    "decision_point_create",
    "milestone_create",
    "milestone_edit",
    "schedule_edit",
    "meeting_series_add",
    "meeting_add",
    "status_report_create",
    "budget_line_actual",
    "programme_edit",
    "phase_create",
    "area_create",
    "person_create",
    "activity_create",
    "budget_line_create",
    "membership_create",
    "programme_members",
    "member_invite",
    "agenda_decide_point",
    "agenda_decide_proposal",
    "accessibility_statement",
    "api_tokens",
    "object_documents",
]

# Where the templates put an error: Django's error lists, and the apps' own `class="error"` elements.
# A form's own error list, or a refusal told as an error message at the top of the page (templates/_messages.html)
# when the refused form is not on the page that answers.
ERROR_LIST = re.compile(
    r'<(ul|span|p|div|li)\b[^>]*class="(?:errorlist|error|message\b[^"]*\berror\b)[^"]*"[^>]*>(.*?)</\1>', re.S
)
TAG = re.compile(r"<[^>]+>")


def _fingerprint(edited) -> tuple:
    """How many rows every table of the project's apps has (audit history included), and the edited object."""
    counts = tuple(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APP_LABELS and not model._meta.proxy
    )
    row = None
    if edited is not None:
        row = type(edited)._default_manager.filter(pk=edited.pk).values().first()
    return counts, row


UNSAFE = (set(CONTROL) - {"\n", "\t"}) | set(BIDI)


def _stored_text_is_clean(edited) -> None:
    """What the request saved (the newest row of each table, and the edited object) carries no control or bidi
    characters; free text keeps its line breaks and tabs."""
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APP_LABELS or model._meta.proxy:
            continue
        rows = [model._default_manager.order_by("-pk").first()]
        if edited is not None and isinstance(edited, model):
            rows.append(model._default_manager.get(pk=edited.pk))
        for row in filter(None, rows):
            for model_field in model._meta.concrete_fields:
                value = getattr(row, model_field.attname)
                if isinstance(value, str):
                    assert not set(value) & UNSAFE, (model.__name__, model_field.name, value)


def _check(response, data: dict, before: tuple, after: tuple) -> None:
    assert response.status_code < 500, response.status_code
    body = response.content.decode()
    if response.status_code in (301, 302, 303):
        return  # saved, or a stale edit told through a message on the page it goes back to
    refused = bool(ERROR_MARK.search(body))
    if refused or response.status_code >= 400:
        assert response.status_code in (200, 400, 409, 422, 429), response.status_code
        assert after == before, "a refused form changed the database"
        errors = " ".join(TAG.sub(" ", html.unescape(e)) for _tag, e in ERROR_LIST.findall(body))
        assert errors.strip(), "refused without a readable message"
        for value in data.values():  # the user's own words, quoted in a message, are not the message's language
            if isinstance(value, str):  # (not an uploaded file)
                errors = errors.replace(value, " ")
        assert not ENGLISH.search(errors), errors
    else:
        assert response.status_code == 200, response.status_code


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Documents the examples attach are stored in a folder of the test's own (their rows are rolled back)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("name", CASE_NAMES)
@FAST
@given(draw=st.data())
def test_no_form_gives_a_500_or_half_saves(client, plan, name, draw):
    case = _cases(plan)[name]
    if case.user:
        client.force_login(_user(case.user))
    cache.clear()  # rate limits (the public form) would otherwise answer 429 after a few examples
    fields = {key: f if isinstance(f, Fuzzed) else Fuzzed("", f) for key, f in case.fields.items()}
    # A few fields get generated values, the others what the form accepts: so that an example also reaches
    # the checks behind the first bad field, and some examples save.
    fuzzed = draw.draw(st.sets(st.sampled_from(sorted(fields)), max_size=4), label="fuzzed")
    data = {key: draw.draw(f.strategy, label=key) if key in fuzzed else f.valid for key, f in fields.items()}
    data = {**case.fixed, **{key: value for key, value in data.items() if value is not None}}
    headers = {"HX-Request": "true"} if case.htmx and draw.draw(st.booleans(), label="htmx") else {}
    with rolled_back():
        before = _fingerprint(case.edited)
        response = client.post(case.url, data, headers=headers)
        after = _fingerprint(case.edited)
        _check(response, data, before, after)
        if after != before:
            _stored_text_is_clean(case.edited)


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_every_form_class_has_a_case():
    """A new form without a line in CASE_NAMES (or a reason in NOT_POSTED) fails here."""
    import inspect

    from django import forms

    covered = {
        # view name → the form classes its case posts
        "proposal_create": ["StaffProposalForm"],
        "public_proposal_form": ["CitizenProposalForm"],
        "proposal_status": ["StatusChangeForm"],
        "proposal_assess": ["measures.AssessmentForm"],
        "proposal_activity": ["measures.ActivityForm"],
        "proposal_council": ["ChangeCouncilForm"],
        "round_list": ["NewRoundForm"],
        "benefit_measure": ["MeasurementForm"],
        "benefit_measurement_edit": ["MeasurementForm"],
        "moderate": ["ModerationForm"],
        "benefit_cash_flow": ["CashFlowLineForm"],
        "benefit_create": ["BenefitForm"],
        "benefit_plan_create": ["BenefitPlanForm"],
        "risk_create": ["RiskForm"],
        "risk_rescore": ["risks.AssessmentForm"],
        "mitigation_add": ["MitigationForm"],
        "decision_record": ["DecisionForm", "DecisionPointVersion"],
        "decision_postpone": ["PostponeForm"],
        "decision_point_create": ["DecisionPointForm", "PlanItemForm"],
        "milestone_create": ["MilestonePlanForm"],
        "milestone_edit": ["MilestoneForm"],
        "schedule_edit": ["ScheduleForm"],
        "meeting_series_add": ["MeetingSeriesForm"],
        "meeting_add": ["MeetingForm"],
        "status_report_create": ["StatusReportForm"],
        "budget_line_actual": ["BudgetLineActualForm"],
        "programme_edit": ["ProgrammeForm"],
        "phase_create": ["PhaseForm"],
        "area_create": ["AreaForm"],
        "person_create": ["PersonForm"],
        "activity_create": ["portfolio.ActivityForm"],
        "budget_line_create": ["BudgetLineForm"],
        "membership_create": ["MembershipForm"],
        "programme_members": ["AddMemberForm"],
        "member_invite": ["InviteForm"],
        "agenda_decide_point": [],
        "agenda_decide_proposal": ["ProposalDecisionForm"],
        "accessibility_statement": ["BarrierReportForm"],
        "api_tokens": ["TokenForm"],
        "object_documents": ["DocumentForm"],
    }
    # Forms posted elsewhere: the import forms take a file (tests/common/test_uploads.py and the import
    # properties in test_input_properties.py), the register filter is a GET (test below), the person link
    # is a select of the organisation's people (tests/portfolio), RevisionReportForm (test below).
    elsewhere = {
        "measures.ImportForm",
        "benefits.ImportForm",
        "risks.ImportForm",
        "RegisterFilterForm",
        "PersonLinkForm",
        "RevisionReportForm",
        "PublicFormMixin",  # common/public_forms.py: the honeypot and token of the two public forms posted above
    }
    assert set(covered) == set(CASE_NAMES)
    named = {name for names in covered.values() for name in names} | elsewhere
    import importlib
    from pathlib import Path

    from django.apps import apps

    # Every forms module of every project app (forms.py and *_forms.py), so a new app's forms are found too.
    modules = ["workspace.agenda_views"]
    for label in PROJECT_APP_LABELS:
        folder = Path(apps.get_app_config(label).path)
        modules += [f"{label}.{path.stem}" for path in sorted(folder.glob("*forms.py"))]
    assert "accessibility.forms" in modules and "portfolio.setup_forms" in modules, modules

    found = set()
    for module_name in modules:
        module = importlib.import_module(module_name)
        app = module_name.split(".")[0]
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                found.add(f"{app}.{cls_name}" if f"{app}.{cls_name}" in named else cls_name)
    assert found <= named, found - named


@FAST
@given(
    band=st.one_of(st.sampled_from(["", "high", "low"]), texts),
    owner=numbers,
    activity=st.one_of(st.just("programme"), numbers),
    status=texts,
    overdue=booleans,
    sort=st.one_of(st.sampled_from(["rf", "rf_asc", "code"]), texts),
    s=numbers,
    k=numbers,
)
def test_risk_register_filters(client, plan, project_leader, band, owner, activity, status, overdue, sort, s, k):
    """The register's filters come from the query string: anything there is ignored or applied, never a 500."""
    client.force_login(project_leader)
    query = {"band": band, "owner": owner, "activity": activity, "status": status, "overdue": overdue}
    response = client.get(reverse("risk_register", args=[SLUG]), {**query, "sort": sort, "s": s, "k": k})
    assert response.status_code == 200


@settings(max_examples=4, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.one_of(numbers, st.just("2017")), recommendations=texts)
def test_revision_report_order(client, plan, project_leader, year, recommendations):
    """Few examples: an accepted order builds the PDF (Celery runs eagerly in tests), which takes a while."""
    from reports.models import RevisionReport

    client.force_login(project_leader)
    with rolled_back():
        before = RevisionReport.objects.count()
        response = client.post(
            reverse("revision_reports", args=[SLUG]), {"year": year, "recommendations": recommendations}
        )
        assert response.status_code < 500
        if RevisionReport.objects.count() == before:
            assert response.status_code in (200, 422), response.status_code
            assert ERROR_MARK.search(response.content.decode())
        else:
            stored = RevisionReport.objects.latest("pk").recommendations
            assert not set(stored) & UNSAFE
