"""Generated data at 1×, 10× and 100× the Nordre Land plan, for the load test and the benchmarks.

    from demo.datagen import generate
    counts = generate(10)          # the seed plus 9 generated programmes
    counts = generate(100, seed=7)  # ~13 000 proposals, 1 700 activities

`generate(scale)` makes `scale` programmes' worth of data modelled on the seed plan (loaded by
`setup_demo`, which must have run first). The first programme is the seed itself: it is topped up to
~130 proposals (the real plan's count) with transitions, assessments, status reports, extra risk
assessments and mitigations, meetings, benefit plans, benefits, measurements and cash-flow lines.
Every further programme (slug `generert-002`, `generert-003`, …, municipality «Testkommune 002», …) is a
copy of the topped-up seed — phases, areas, people and roles, activities with responsible persons and
scheduled months, budget lines (some with unknown planned amounts, like the seed), rounds, proposals with
their transitions, status reports, risks with assessments and mitigations, decision points, milestones,
meeting series and meetings, benefit plans with benefits, measurements and cash-flow lines — with its own
people, responsible persons, risk scores, status-report colours and proposal assessments. So each
programme has the same number of rows of each kind, and scale N has N times the topped-up seed's counts.

Deterministic: the same `seed` gives the same data (each programme draws from its own random generator,
keyed by `seed` and its number). Re-running is safe: programmes that exist are skipped, and the seed is
topped up only once (by the first run, with that run's `seed`). Rows are written with `bulk_create` in
batches, so no audit history is recorded for generated rows (an object page's history panel stays empty).
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine
from measures.models import Proposal, ProposalTransition, RevisionRound
from milestones.models import DecisionPoint, Meeting, MeetingSeries, Milestone
from portfolio.models import (
    RAG,
    Activity,
    Area,
    BudgetLine,
    Membership,
    Organisation,
    Person,
    Phase,
    Programme,
    ProgrammeRole,
    ScheduledMonth,
    StatusReport,
)
from risks.models import Mitigation, Risk, RiskAssessment

SEED_SLUG = "nordre-land-digitalisering"
GENERATED_SLUG = "generert-{index:03d}"
# Written into generated rows and used to recognise them on a re-run, so the text stays as it was first
# written (it names the module by its path before the move to demo/).
GENERATED_NOTE = "Generert testdata (portfolio.datagen)."

PROPOSALS_PER_PROGRAMME = 130  # "ca. 120–130 forslag" in the real plan
STATUS_REPORTS_PER_ACTIVITY = 6
EXTRA_ASSESSMENTS_PER_RISK = 2
EXTRA_MITIGATIONS_PER_RISK = 1
MEETINGS_PER_SERIES = 5
EXTRA_BENEFIT_PLANS = 3
BENEFITS_PER_EXTRA_PLAN = 2
MEASUREMENTS_PER_BENEFIT = 3
BATCH_SIZE = 1000

# Status of the generated proposals, with weights (the life cycle of docs/domain-model.md).
S = Proposal.Status
STATUS_WEIGHTS = [
    (S.SUBMITTED, 10),
    (S.SCREENING, 10),
    (S.QUICK_WIN, 10),
    (S.NEEDS_ASSESSMENT, 10),
    (S.PRIORITISED, 15),
    (S.DEFERRED, 10),
    (S.REJECTED, 10),
    (S.IN_PROGRESS, 13),
    (S.DONE, 12),
]
# A legal path from `submitted` to each status, so the recorded transitions tell a true story.
PATHS = {
    S.SUBMITTED: [S.SUBMITTED],
    S.SCREENING: [S.SUBMITTED, S.SCREENING],
    S.QUICK_WIN: [S.SUBMITTED, S.SCREENING, S.QUICK_WIN],
    S.NEEDS_ASSESSMENT: [S.SUBMITTED, S.SCREENING, S.NEEDS_ASSESSMENT],
    S.PRIORITISED: [S.SUBMITTED, S.SCREENING, S.NEEDS_ASSESSMENT, S.PRIORITISED],
    S.DEFERRED: [S.SUBMITTED, S.SCREENING, S.DEFERRED],
    S.REJECTED: [S.SUBMITTED, S.SCREENING, S.REJECTED],
    S.IN_PROGRESS: [S.SUBMITTED, S.SCREENING, S.PRIORITISED, S.IN_PROGRESS],
    S.DONE: [S.SUBMITTED, S.SCREENING, S.QUICK_WIN, S.IN_PROGRESS, S.DONE],
}
ASSESSED = {S.QUICK_WIN, S.NEEDS_ASSESSMENT, S.PRIORITISED, S.DEFERRED, S.REJECTED, S.IN_PROGRESS, S.DONE}

FIRST_NAMES = [
    "Anne", "Berit", "Eirik", "Gunnar", "Hilde", "Ingrid", "Jon", "Kari", "Lars", "Marit",
    "Nils", "Ole", "Randi", "Siri", "Tone", "Trond", "Vidar", "Åse",
]  # fmt: skip
LAST_NAMES = [
    "Bakken", "Berg", "Dahl", "Haugen", "Hagen", "Johansen", "Lie", "Moen", "Nilsen", "Olsen",
    "Røed", "Solberg", "Strand", "Sveen", "Torp", "Øverby",
]  # fmt: skip
UNITS = ["Skole", "Barnehage", "Helse/Omsorg", "NAV", "Teknisk", "Kultur", "Økonomi", "Servicetorget", "IKT"]
WORDS = [
    "Digital", "Elektronisk", "Automatisk", "Mobil", "Felles", "Ny", "Forenklet", "Sikker",
]  # fmt: skip
THINGS = [
    "timebestilling", "søknad om SFO-plass", "fakturamottak", "møtebehandling", "byggesøknad", "vaktplan",
    "postmottak", "innbyggerdialog", "medisindosering", "arkivering", "tilbakemelding", "læringsplattform",
    "rapportering", "skjemaløsning", "varsling", "kartinnsyn",
]  # fmt: skip
STATUS_COMMENTS = [
    "Arbeidet går etter planen.",
    "Noe forsinket på grunn av ferieavvikling.",
    "Venter på leverandør.",
    "Opplæring gjennomført for første gruppe.",
    "Behov for avklaring i styringsgruppen.",
]


def generate(scale: int, *, seed: int = 2017, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Make `scale` programmes' worth of data modelled on the seed plan; return the counts created.

    The seed (slug `nordre-land-digitalisering`, from `setup_demo`) is programme 1 and is topped up;
    programmes 2…scale are generated copies with slugs `generert-002` … Deterministic for a given
    `seed`; programmes that already exist are left alone. Raises ValueError (Norwegian message) when
    `scale` is below 1 or the seed plan is missing. Returns {model label: rows created}.
    """
    if scale < 1:
        raise ValueError("Skalaen må være et helt tall på minst 1.")
    source = Programme.objects.filter(slug=SEED_SLUG).first()
    if source is None:
        raise ValueError("Planen for Nordre Land finnes ikke. Kjør «python manage.py setup_demo» først.")
    writer = _Writer(batch_size)
    with transaction.atomic():
        if not Proposal.objects.filter(programme=source, source_note=GENERATED_NOTE).exists():
            _add_extras(source, random.Random(f"{seed}:1"), writer)
        template = _Template(source)
        existing = set(Programme.objects.filter(slug__startswith="generert-").values_list("slug", flat=True))
        for index in range(2, scale + 1):
            if GENERATED_SLUG.format(index=index) in existing:
                continue
            rng = random.Random(f"{seed}:{index}")
            template.clone(index, rng, writer)
    return dict(sorted(writer.counts.items()))


class _Writer:
    """bulk_create in batches, counting rows per model."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()

    def create(self, model, objects: list) -> list:
        if objects:
            model.objects.bulk_create(objects, batch_size=self.batch_size)
            self.counts[model._meta.label] += len(objects)
        return objects


def _clear(obj, **changes):
    """The object as a new, unsaved row with the given field values changed."""
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


class _Template:
    """The seed programme's rows, read once, to be copied into each generated programme."""

    def __init__(self, source: Programme):
        self.programme = Programme.objects.get(pk=source.pk)
        self.phases = list(Phase.objects.filter(programme=source))
        self.areas = list(Area.objects.filter(programme=source))
        self.memberships = list(Membership.objects.filter(programme=source).select_related("person"))
        self.roles = list(ProgrammeRole.objects.filter(programme=source))
        self.activities = list(Activity.objects.filter(programme=source))
        self.working_groups = list(
            Activity.working_group.through.objects.filter(activity__programme=source).values_list(
                "activity_id", "person_id"
            )
        )
        self.months = list(ScheduledMonth.objects.filter(activity__programme=source))
        self.status_reports = list(StatusReport.objects.filter(activity__programme=source))
        self.budget_lines = list(BudgetLine.objects.filter(phase__programme=source))
        self.rounds = list(RevisionRound.objects.filter(programme=source).order_by("year"))
        self.proposals = list(Proposal.objects.filter(programme=source).order_by("id"))
        self.transitions = list(ProposalTransition.objects.filter(proposal__programme=source))
        self.risks = list(Risk.objects.filter(programme=source))
        self.assessments = list(RiskAssessment.objects.filter(risk__programme=source))
        self.mitigations = list(Mitigation.objects.filter(risk__programme=source))
        self.decision_points = list(DecisionPoint.objects.filter(programme=source))
        self.milestones = list(Milestone.objects.filter(programme=source))
        self.series = list(MeetingSeries.objects.filter(programme=source))
        self.meetings = list(Meeting.objects.filter(series__programme=source))
        self.plans = list(BenefitPlan.objects.filter(programme=source))
        self.benefits = list(Benefit.objects.filter(plan__programme=source))
        self.measurements = list(BenefitMeasurement.objects.filter(benefit__plan__programme=source))
        self.cash_flow = list(CashFlowLine.objects.filter(plan__programme=source))
        people = {m.person_id: m.person for m in self.memberships}
        for person in Person.objects.filter(pk__in=self._person_ids() - set(people)):
            people[person.pk] = person
        self.people = people

    def _person_ids(self) -> set[int]:
        ids = {a.responsible_id for a in self.activities} | {p for _a, p in self.working_groups}
        ids |= {r.owner_id for r in self.risks} | {m.responsible_id for m in self.mitigations}
        ids |= {b.owner_id for b in self.benefits}
        return {pk for pk in ids if pk is not None}

    def clone(self, index: int, rng: random.Random, writer: _Writer) -> Programme:
        """A new programme with copies of every seed row, re-pointed at the copies."""
        src = self.programme
        municipality = f"Testkommune {index:03d}"
        organisation, _created = Organisation.objects.get_or_create(
            slug=f"testkommune-{index:03d}", defaults={"name": municipality}
        )
        programme = _clear(
            Programme.objects.get(pk=src.pk),
            slug=GENERATED_SLUG.format(index=index),
            name=f"Digitalisering i {municipality}",
            organisation=organisation,
            version=1,
        )
        programme.save()
        writer.counts[Programme._meta.label] += 1
        # The seed's users hold the same roles in every copy, so the load test can sign in to any of them.
        writer.create(
            ProgrammeRole, [ProgrammeRole(user_id=r.user_id, programme=programme, role=r.role) for r in self.roles]
        )

        # People: same titles and units, new (unique) names.
        names = rng.sample([(f, last) for f in FIRST_NAMES for last in LAST_NAMES], len(self.people))
        person_map = {}
        new_people = []
        for (old_id, person), (first, last) in zip(sorted(self.people.items()), names, strict=True):
            new = Person(
                organisation=organisation, name=f"{first} {last} ({municipality})", title=person.title, unit=person.unit
            )
            person_map[old_id] = new
            new_people.append(new)
        writer.create(Person, new_people)
        members = list(person_map.values())
        writer.create(
            Membership,
            [
                Membership(
                    programme=programme,
                    person=person_map[m.person_id],
                    role=m.role,
                    description=m.description,
                )
                for m in self.memberships
            ],
        )

        phase_map = {p.pk: _clear(_copy(p), programme=programme) for p in self.phases}
        writer.create(Phase, list(phase_map.values()))
        area_map = {a.pk: _clear(_copy(a), programme=programme) for a in self.areas}
        writer.create(Area, list(area_map.values()))
        activity_map = {}
        for activity in self.activities:
            old_id = activity.pk
            responsible = person_map.get(activity.responsible_id) or rng.choice(members)
            activity_map[old_id] = _clear(
                _copy(activity),
                programme=programme,
                area=area_map.get(activity.area_id),
                responsible=responsible,
                status_reminded_on=None,
            )
        writer.create(Activity, list(activity_map.values()))
        through = Activity.working_group.through
        writer.create(
            through,
            [
                through(activity_id=activity_map[a].pk, person_id=person_map[p].pk)
                for a, p in self.working_groups
                if a in activity_map and p in person_map
            ],
        )
        writer.create(
            ScheduledMonth,
            [
                ScheduledMonth(activity=activity_map[m.activity_id], phase=phase_map[m.phase_id], month=m.month)
                for m in self.months
            ],
        )
        colours = [RAG.GREEN] * 6 + [RAG.YELLOW] * 3 + [RAG.RED]
        writer.create(
            StatusReport,
            [
                _clear(
                    _copy(r),
                    activity=activity_map[r.activity_id],
                    author=None,
                    overall=rng.choice(colours),
                    scope=rng.choice(colours),
                    time=rng.choice(colours),
                    cost=rng.choice(colours),
                    risk=rng.choice(colours),
                )
                for r in self.status_reports
            ],
        )
        writer.create(
            BudgetLine,
            [
                _clear(
                    _copy(line),
                    phase=phase_map[line.phase_id],
                    activity=activity_map.get(line.activity_id),
                )
                for line in self.budget_lines
            ],
        )

        round_map = {r.pk: _clear(_copy(r), programme=programme) for r in self.rounds}
        writer.create(RevisionRound, list(round_map.values()))
        proposal_map = {}
        for proposal in self.proposals:
            proposal_map[proposal.pk] = _clear(
                _copy(proposal),
                programme=programme,
                revision_round=round_map[proposal.revision_round_id],
                area=area_map[proposal.area_id],
                activity=activity_map.get(proposal.activity_id),
                carried_from=round_map.get(proposal.carried_from_id),
                submitted_by=None,
            )
            if proposal.source_note == GENERATED_NOTE and proposal.need is not None:
                # Same life cycle as the seed's row, different assessment: rankings differ per programme.
                for field in Proposal.PRIORITY_WEIGHTS:
                    setattr(proposal_map[proposal.pk], field, rng.randint(1, 5))
        writer.create(Proposal, list(proposal_map.values()))
        writer.create(
            ProposalTransition,
            [_clear(_copy(t), proposal=proposal_map[t.proposal_id], by=None) for t in self.transitions],
        )

        risk_map = {}
        for risk in self.risks:
            risk_map[risk.pk] = _clear(
                _copy(risk),
                programme=programme,
                activity=activity_map.get(risk.activity_id),
                owner=person_map.get(risk.owner_id) or rng.choice(members),
            )
        writer.create(Risk, list(risk_map.values()))
        writer.create(
            RiskAssessment,
            [
                _clear(
                    _copy(a),
                    risk=risk_map[a.risk_id],
                    assessed_by=None,
                    probability=rng.randint(1, 5),
                    consequence=rng.randint(1, 5),
                )
                for a in self.assessments
            ],
        )
        writer.create(
            Mitigation,
            [
                _clear(_copy(m), risk=risk_map[m.risk_id], responsible=person_map.get(m.responsible_id))
                for m in self.mitigations
            ],
        )
        writer.create(DecisionPoint, [_clear(_copy(d), programme=programme) for d in self.decision_points])
        writer.create(
            Milestone,
            [_clear(_copy(m), programme=programme, activity=activity_map.get(m.activity_id)) for m in self.milestones],
        )
        series_map = {s.pk: _clear(_copy(s), programme=programme) for s in self.series}
        writer.create(MeetingSeries, list(series_map.values()))
        writer.create(
            Meeting,
            [_clear(_copy(m), series=series_map[m.series_id], recorded_by=None) for m in self.meetings],
        )

        plan_map = {}
        for plan in self.plans:
            plan_map[plan.pk] = _clear(
                _copy(plan),
                programme=programme,
                activity=activity_map.get(plan.activity_id),
                measure=proposal_map.get(plan.measure_id),
            )
        writer.create(BenefitPlan, list(plan_map.values()))
        benefit_map = {}
        for benefit in self.benefits:
            benefit_map[benefit.pk] = _clear(
                _copy(benefit),
                plan=plan_map[benefit.plan_id],
                owner=person_map.get(benefit.owner_id),
                last_reminded_on=None,
            )
        writer.create(Benefit, list(benefit_map.values()))
        writer.create(
            BenefitMeasurement,
            [_clear(_copy(m), benefit=benefit_map[m.benefit_id], recorded_by=None) for m in self.measurements],
        )
        writer.create(CashFlowLine, [_clear(_copy(c), plan=plan_map[c.plan_id]) for c in self.cash_flow])
        return programme


def _copy(obj):
    """A shallow copy, so the template's own rows stay untouched for the next clone."""
    new = obj.__class__.__new__(obj.__class__)
    new.__dict__ = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    new._state = obj._state.__class__()
    # Drop cached related objects: the FK ids are set again through the attributes.
    new._state.fields_cache = {}
    return new


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=timezone.get_current_timezone())


def _add_extras(programme: Programme, rng: random.Random, writer: _Writer) -> None:
    """What a programme collects over its life: rounds, ~130 proposals, reports, assessments, meetings, benefits."""
    phases = list(Phase.objects.filter(programme=programme).order_by("number"))
    areas = list(Area.objects.filter(programme=programme))
    activities = list(Activity.objects.filter(programme=programme).order_by("code"))
    people = list(Person.objects.filter(memberships__programme=programme).distinct().order_by("name"))
    years = [p.year for p in phases] or [programme.start_date.year]

    # One revision round per phase year; the last is the open one.
    rounds = {r.year: r for r in RevisionRound.objects.filter(programme=programme)}
    new_rounds = [
        RevisionRound(programme=programme, year=y, opened_on=date(y - 1, 11, 1), note=GENERATED_NOTE)
        for y in years
        if y not in rounds
    ]
    writer.create(RevisionRound, new_rounds)
    rounds.update({r.year: r for r in new_rounds})
    last_year = max(rounds)
    RevisionRound.objects.filter(programme=programme, year__lt=last_year).update(
        status=RevisionRound.Status.CLOSED, closed_on=date(last_year - 1, 10, 31)
    )
    RevisionRound.objects.filter(programme=programme, year=last_year).update(
        status=RevisionRound.Status.OPEN, closed_on=None
    )
    ordered_rounds = [rounds[y] for y in sorted(rounds)]

    # Proposals up to the real plan's ~130, spread over statuses, rounds, areas and activities.
    missing = PROPOSALS_PER_PROGRAMME - Proposal.objects.filter(programme=programme).count()
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    proposals = []
    for number in range(max(missing, 0)):
        status = rng.choices(statuses, weights)[0]
        round_ = rng.choices(ordered_rounds, [5, 3, 2][: len(ordered_rounds)] or None)[0]
        citizen = rng.random() < 0.15
        assessed = status in ASSESSED or (status == S.SCREENING and rng.random() < 0.5)
        accepted = status in Proposal.ACCEPTED_STATUSES
        council = accepted and rng.random() < 0.3
        submitted_on = date(round_.year - 1, 11, 1) + timedelta(days=rng.randrange(300))
        proposals.append(
            Proposal(
                programme=programme,
                revision_round=round_,
                area=rng.choice(areas),
                activity=rng.choice(activities) if accepted or rng.random() < 0.3 else None,
                title=f"{rng.choice(WORDS)} {rng.choice(THINGS)} ({number + 1})",
                description=f"{rng.choice(WORDS)} løsning for {rng.choice(THINGS)} i enhet {rng.choice(UNITS)}.",
                problem="Manuelle rutiner tar tid og gir dobbeltarbeid.",
                unit=rng.choice(UNITS),
                submitter_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                submitter_type=Proposal.SubmitterType.CITIZEN if citizen else Proposal.SubmitterType.STAFF,
                submitted_on=submitted_on,
                status=status,
                published=not (citizen and status == S.SUBMITTED and rng.random() < 0.5),
                need=rng.randint(1, 5) if assessed else None,
                benefit=rng.randint(1, 5) if assessed else None,
                feasibility_technical=rng.randint(1, 5) if assessed else None,
                feasibility_economic=rng.randint(1, 5) if assessed else None,
                estimated_cost=Decimal(rng.randrange(0, 2_000_000, 5_000)) if assessed else None,
                estimated_effort_days=Decimal(rng.randrange(1, 200)) if assessed else None,
                needs_change_council=council,
                change_council_reviewed_on=submitted_on + timedelta(days=40) if council else None,
                is_demo=True,
                source_note=GENERATED_NOTE,
                carried_from=ordered_rounds[0] if round_ != ordered_rounds[0] and rng.random() < 0.1 else None,
            )
        )
    writer.create(Proposal, proposals)
    transitions = []
    for proposal in proposals:
        path = PATHS[S(proposal.status)]
        for step, (old, new) in enumerate(pairwise(path)):
            transitions.append(
                ProposalTransition(
                    proposal=proposal,
                    from_status=old,
                    to_status=new,
                    at=_moment(proposal.submitted_on + timedelta(days=14 * (step + 1))),
                    comment="Passer ikke i årets plan." if new == S.REJECTED else "",
                    notified_at=_moment(proposal.submitted_on + timedelta(days=14 * (step + 1))),
                )
            )
    writer.create(ProposalTransition, transitions)

    # Status reports: every activity reports every two months from the start.
    colours = [RAG.GREEN] * 6 + [RAG.YELLOW] * 3 + [RAG.RED]
    writer.create(
        StatusReport,
        [
            StatusReport(
                activity=activity,
                period_end=programme.start_date + timedelta(days=61 * (n + 1)),
                overall=rng.choice(colours),
                scope=rng.choice(colours),
                time=rng.choice(colours),
                cost=rng.choice(colours),
                risk=rng.choice(colours),
                comment=rng.choice(STATUS_COMMENTS),
                achievements="Se arbeidsgruppens referat.",
                next_steps="Fortsette etter planen.",
            )
            for activity in activities
            for n in range(STATUS_REPORTS_PER_ACTIVITY)
        ],
    )

    # Risks are re-scored over time and get one more mitigation each.
    risks = list(Risk.objects.filter(programme=programme).order_by("code"))
    start = programme.start_date
    writer.create(
        RiskAssessment,
        [
            RiskAssessment(
                risk=risk,
                probability=rng.randint(1, 5),
                consequence=rng.randint(1, 5),
                assessed_on=start + timedelta(days=180 * (n + 1) + rng.randrange(30)),
                note="Ny vurdering i styringsgruppemøte.",
            )
            for risk in risks
            for n in range(EXTRA_ASSESSMENTS_PER_RISK)
        ],
    )
    writer.create(
        Mitigation,
        [
            Mitigation(
                risk=risk,
                description=f"Oppfølging av {risk.title.lower()}"[:300],
                responsible=rng.choice(people) if people else None,
                due_on=start + timedelta(days=rng.randrange(60, 1000)),
                done=rng.random() < 0.4,
            )
            for risk in risks
            for _n in range(EXTRA_MITIGATIONS_PER_RISK)
        ],
    )

    # Meetings held in each series, with minutes.
    writer.create(
        Meeting,
        [
            Meeting(
                series=series,
                held_on=series.first_date + timedelta(days=series.interval_days * n),
                minutes=f"Referat fra {series.name.lower()} nr. {n + 1}.",
            )
            for series in MeetingSeries.objects.filter(programme=programme).order_by("name")
            for n in range(MEETINGS_PER_SERIES)
        ],
    )

    # Benefit plans for some accepted measures, with benefits, measurements and cash flows.
    accepted = [p for p in proposals if p.status in Proposal.ACCEPTED_STATUSES]
    plans = [
        BenefitPlan(
            programme=programme,
            code=f"GP-G{n + 1:02d}",
            title=f"Gevinstrealiseringsplan – {measure.title}"[:200],
            measure=measure,
            description=GENERATED_NOTE,
            analysis_start_year=years[0],
            is_example=True,
        )
        for n, measure in enumerate(rng.sample(accepted, min(EXTRA_BENEFIT_PLANS, len(accepted))))
    ]
    writer.create(BenefitPlan, plans)
    kinds = [k for k, _label in Benefit.Kind.choices]
    new_benefits = []
    for plan in plans:
        for _n in range(BENEFITS_PER_EXTRA_PLAN):
            baseline = Decimal(rng.randrange(20, 200))
            new_benefits.append(
                Benefit(
                    plan=plan,
                    description=f"Mindre tid brukt på {rng.choice(THINGS)}.",
                    kind=rng.choice(kinds),
                    indicator=f"Timer per måned til {rng.choice(THINGS)}",
                    unit="timer per måned",
                    baseline_value=baseline,
                    baseline_date=date(years[0], 1, 1),
                    target_value=baseline * Decimal("0.6"),
                    target_date=date(years[-1], 12, 31),
                    frequency_months=6,
                    owner=rng.choice(people) if people else None,
                    status=Benefit.Status.REALISING,
                )
            )
    writer.create(Benefit, new_benefits)
    measurements = []
    for benefit in Benefit.objects.filter(plan__programme=programme).order_by("id"):
        baseline = benefit.baseline_value if benefit.baseline_value is not None else Decimal(100)
        target = benefit.target_value if benefit.target_value is not None else baseline
        first = benefit.baseline_date or date(years[0], 1, 1)
        for n in range(MEASUREMENTS_PER_BENEFIT):
            share = Decimal(n + 1) / Decimal(MEASUREMENTS_PER_BENEFIT + 1)
            measurements.append(
                BenefitMeasurement(
                    benefit=benefit,
                    measured_on=first + timedelta(days=182 * (n + 1)),
                    value=(baseline + (target - baseline) * share).quantize(Decimal("0.01")),
                    note="Generert måling.",
                )
            )
    writer.create(BenefitMeasurement, measurements)
    writer.create(
        CashFlowLine,
        [
            CashFlowLine(
                plan=plan,
                year=years[0] + n,
                investment=Decimal(rng.randrange(0, 1_000_000, 10_000)) if n < 2 else Decimal(0),
                operating_cost=Decimal(rng.randrange(10_000, 200_000, 5_000)),
                benefit_value=Decimal(rng.randrange(0, 600_000, 10_000)) if n else Decimal(0),
            )
            for plan in plans
            for n in range(plan.analysis_years)
        ],
    )
