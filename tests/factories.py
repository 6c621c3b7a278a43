"""Small builders for test data beyond the seed plan. Plain functions: the models are simple enough."""

import itertools
from datetime import date
from decimal import Decimal

from benefits.models import Benefit, BenefitPlan
from measures.models import Proposal, RevisionRound
from milestones.models import DecisionPoint, Milestone
from portfolio.models import Activity, BudgetLine, Organisation, Person, Phase, Programme, ProgrammeRole, ScheduledMonth
from risks.models import Mitigation, Risk

_seq = itertools.count(1)


def organisation(**kwargs) -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(**{"name": f"Testkommune {n}", "slug": f"testkommune-{n}", **kwargs})


def person(**kwargs) -> Person:
    """A person; in the Nordre Land organisation unless another is given."""
    kwargs.setdefault("organisation", Organisation.objects.get(slug="nordre-land"))
    return Person.objects.create(**kwargs)


def programme(**kwargs) -> Programme:
    n = next(_seq)
    defaults = {
        "slug": f"program-{n}",
        "name": f"Testprogram {n}",
        "start_date": date(2020, 1, 1),
        "end_date": date(2022, 12, 31),
    }
    if "organisation" not in kwargs:
        kwargs["organisation"] = organisation()
    return Programme.objects.create(**{**defaults, **kwargs})


def grant(user, programme: Programme, *roles: str) -> None:
    """Give `user` these roles (prosjektleder, styringsgruppe, prosjektgruppe, ansatt) in `programme`."""
    for role in roles:
        ProgrammeRole.objects.get_or_create(user=user, programme=programme, role=role)


def activity(programme: Programme, **kwargs) -> Activity:
    n = next(_seq)
    return Activity.objects.create(**{"programme": programme, "code": f"HX{n:03d}", "name": f"Aktivitet {n}", **kwargs})


def proposal(programme: Programme, **kwargs) -> Proposal:
    round_ = kwargs.pop("revision_round", None) or programme.revision_rounds.order_by("-year").first()
    if round_ is None:
        round_ = RevisionRound.objects.create(programme=programme, year=2017)
    area = kwargs.pop("area", None) or programme.areas.first()
    n = next(_seq)
    return Proposal.objects.create(
        **{"programme": programme, "revision_round": round_, "area": area, "title": f"Forslag {n}", **kwargs}
    )


def risk(programme: Programme, s: int = 3, k: int = 3, **kwargs) -> Risk:
    n = next(_seq)
    r = Risk.objects.create(**{"programme": programme, "code": f"T{n}", "title": f"Risiko {n}", **kwargs})
    r.rescore(s, k)
    Mitigation.objects.create(risk=r, description=f"Tiltak {n}")
    return r


def milestone(programme: Programme, **kwargs) -> Milestone:
    n = next(_seq)
    return Milestone.objects.create(
        **{
            "programme": programme,
            "code": f"MT{n}",
            "title": f"Milepæl {n}",
            "planned_date": date(2017, 6, 1),
            **kwargs,
        }
    )


def decision_point(programme: Programme, **kwargs) -> DecisionPoint:
    n = next(_seq)
    return DecisionPoint.objects.create(
        **{"programme": programme, "code": f"BT{n}", "title": f"Beslutning {n}", "date": date(2017, 6, 1), **kwargs}
    )


def benefit_plan(programme: Programme, activity: Activity, benefits: int = 2) -> BenefitPlan:
    n = next(_seq)
    plan = BenefitPlan.objects.create(programme=programme, code=f"GT{n}", title=f"Plan {n}", activity=activity)
    for i in range(benefits):
        Benefit.objects.create(
            plan=plan,
            description=f"Gevinst {i}",
            kind=Benefit.Kind.TIME_SAVED,
            indicator=f"Indikator {n}-{i}",
            baseline_value=Decimal("10"),
            target_value=Decimal("5"),
        )
    return plan


def budget_line(phase: Phase, **kwargs) -> BudgetLine:
    return BudgetLine.objects.create(
        **{
            "phase": phase,
            "kind": BudgetLine.Kind.COST,
            "category": BudgetLine.Category.OPERATING,
            "description": f"Linje {next(_seq)}",
            "planned_amount": Decimal("1000"),
            **kwargs,
        }
    )


def schedule(activity: Activity, phase: Phase, months) -> None:
    ScheduledMonth.objects.bulk_create([ScheduledMonth(activity=activity, phase=phase, month=m) for m in months])
