"""What the API returns: one schema per kind, flat where Power BI and Excel want flat rows.

Related objects are named by what the pages show (a programme's slug, an activity's code, a person's name),
not by database ids, which mean nothing outside the installation (ids of the rows themselves are given, to
join on). Amounts are numbers (kroner), not strings, so that Power Query types them without a step.
"""

from datetime import date, datetime
from typing import Generic, TypeVar

from ninja import Field, Schema

Item = TypeVar("Item")


class Page(Schema, Generic[Item]):
    count: int = Field(description="Antall treff i alt (alle sider).")
    limit: int
    offset: int
    next: str | None = Field(description="Adressen til neste side, eller null på siste side.")
    items: list[Item]


class Error(Schema):
    detail: str


def _amount(value) -> float | None:
    return None if value is None else float(value)


def _code(obj) -> str | None:
    return obj.code if obj is not None else None


def _name(obj) -> str | None:
    return obj.name if obj is not None else None


class ProgrammeOut(Schema):
    slug: str
    name: str
    organisation: str
    organisation_slug: str
    goal: str
    scope: str
    start_date: date
    end_date: date
    can_read: bool = Field(description="Om nøkkelens bruker leser programmets innhold (aktiviteter, risiko, …).")
    changed_at: datetime | None

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_organisation_slug(obj) -> str:
        return obj.organisation.slug


class ActivityOut(Schema):
    id: int
    programme: str
    code: str
    name: str
    area_number: int | None
    area: str | None
    purpose: str
    tasks: str
    expected_result: str
    responsible: str | None
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.slug

    @staticmethod
    def resolve_area_number(obj) -> int | None:
        return obj.area.number if obj.area else None

    @staticmethod
    def resolve_area(obj) -> str | None:
        return _name(obj.area)

    @staticmethod
    def resolve_responsible(obj) -> str | None:
        return _name(obj.responsible)


class ProposalOut(Schema):
    id: int
    programme: str
    revision_round: int = Field(description="Rulleringsrundens år.")
    area: str
    activity: str | None = Field(description="Koden til hovedaktiviteten tiltaket hører til.")
    title: str
    description: str
    problem: str
    expected_benefit: str
    unit: str
    submitter_type: str
    submitted_on: date
    status: str
    status_label: str
    published: bool
    need: int | None
    benefit: int | None
    feasibility_technical: int | None
    feasibility_economic: int | None
    priority: int | None = Field(description="Prioritet 0–100, som på sidene; null til alle fire er vurdert.")
    estimated_cost: float | None
    estimated_effort_days: float | None
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.slug

    @staticmethod
    def resolve_revision_round(obj) -> int:
        return obj.revision_round.year

    @staticmethod
    def resolve_area(obj) -> str:
        return obj.area.name

    @staticmethod
    def resolve_activity(obj) -> str | None:
        return _code(obj.activity)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_priority(obj) -> int | None:
        return obj.priority_score

    @staticmethod
    def resolve_estimated_cost(obj) -> float | None:
        return _amount(obj.estimated_cost)

    @staticmethod
    def resolve_estimated_effort_days(obj) -> float | None:
        return _amount(obj.estimated_effort_days)


class AssessmentOut(Schema):
    assessed_on: date
    probability: int = Field(description="Sannsynlighet (S), 1–5.")
    consequence: int = Field(description="Konsekvens (K), 1–5.")
    rf: int = Field(description="Risikofaktor, S × K.")
    note: str


class RiskOut(Schema):
    id: int
    programme: str
    code: str
    title: str
    description: str
    activity: str | None
    owner: str | None
    status: str
    next_review_on: date | None
    note: str
    probability: int | None = Field(description="Siste vurderings S.")
    consequence: int | None = Field(description="Siste vurderings K.")
    rf: int | None = Field(description="Siste vurderings RF.")
    band: str | None = Field(description="low, medium eller high etter siste RF.")
    assessments: list[AssessmentOut] = Field(description="Alle vurderinger, nyeste først.")
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.slug

    @staticmethod
    def resolve_activity(obj) -> str | None:
        return _code(obj.activity)

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return _name(obj.owner)

    @staticmethod
    def resolve_probability(obj) -> int | None:
        return obj.latest_probability

    @staticmethod
    def resolve_consequence(obj) -> int | None:
        return obj.latest_consequence

    @staticmethod
    def resolve_rf(obj) -> int | None:
        return obj.latest_rf

    @staticmethod
    def resolve_band(obj) -> str | None:
        band = obj.band
        return band.value if band else None

    @staticmethod
    def resolve_assessments(obj) -> list:
        return list(obj.assessments.all())


class MilestoneOut(Schema):
    id: int
    programme: str
    code: str
    title: str
    activity: str | None
    planned_date: date
    criteria: str
    status: str
    actual_date: date | None
    evidence: str
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.slug

    @staticmethod
    def resolve_activity(obj) -> str | None:
        return _code(obj.activity)


class DecisionPointOut(Schema):
    id: int
    programme: str
    code: str
    title: str
    date: date
    forum: str
    basis: str
    status: str
    decision_text: str
    reference: str
    decided_on: date | None
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.slug


class BudgetLineOut(Schema):
    id: int
    programme: str
    phase: int = Field(description="Fasens nummer.")
    year: int = Field(description="Fasens år.")
    activity: str | None
    kind: str = Field(description="cost (kostnad) eller financing (finansiering).")
    category: str = Field(description="investment, operating eller units.")
    description: str
    planned_amount: float | None = Field(description="Kroner; null betyr ikke avklart.")
    actual_amount: float | None
    note: str
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.phase.programme.slug

    @staticmethod
    def resolve_phase(obj) -> int:
        return obj.phase.number

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.phase.year

    @staticmethod
    def resolve_activity(obj) -> str | None:
        return _code(obj.activity)

    @staticmethod
    def resolve_planned_amount(obj) -> float | None:
        return _amount(obj.planned_amount)

    @staticmethod
    def resolve_actual_amount(obj) -> float | None:
        return _amount(obj.actual_amount)


class StatusReportOut(Schema):
    id: int
    programme: str
    activity: str
    period_end: date
    created_at: datetime
    overall: str
    scope: str
    time: str
    cost: str
    risk: str
    comment: str
    scope_comment: str
    time_comment: str
    cost_comment: str
    risk_comment: str
    achievements: str
    next_steps: str
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.activity.programme.slug

    @staticmethod
    def resolve_activity(obj) -> str:
        return obj.activity.code


class MeasurementOut(Schema):
    measured_on: date
    value: float
    note: str

    @staticmethod
    def resolve_value(obj) -> float:
        return float(obj.value)


class BenefitOut(Schema):
    id: int
    programme: str
    plan: str = Field(description="Gevinstplanens kode.")
    plan_title: str
    activity: str | None = Field(description="Koden til hovedaktiviteten planen hører til.")
    description: str
    kind: str
    is_financial: bool
    indicator: str
    unit: str
    baseline_value: float | None
    baseline_date: date | None
    target_value: float | None
    target_date: date | None
    method: str
    frequency_months: int | None
    owner: str | None
    status: str
    measurements: list[MeasurementOut] = Field(description="Alle målinger, eldste først.")
    changed_at: datetime | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.plan.programme.slug

    @staticmethod
    def resolve_plan(obj) -> str:
        return obj.plan.code

    @staticmethod
    def resolve_plan_title(obj) -> str:
        return obj.plan.title

    @staticmethod
    def resolve_activity(obj) -> str | None:
        plan = obj.plan
        if plan.activity_id:
            return plan.activity.code
        return _code(plan.measure.activity) if plan.measure_id else None

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return _name(obj.owner)

    @staticmethod
    def resolve_baseline_value(obj) -> float | None:
        return _amount(obj.baseline_value)

    @staticmethod
    def resolve_target_value(obj) -> float | None:
        return _amount(obj.target_value)

    @staticmethod
    def resolve_measurements(obj) -> list:
        return list(obj.measurements.all())
