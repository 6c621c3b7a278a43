"""The data generator behind the load test: N× the Nordre Land plan, deterministic, and usable by the pages."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine
from demo.datagen import generate
from measures.models import Proposal, ProposalTransition, RevisionRound
from milestones.models import DecisionPoint, Meeting, MeetingSeries, Milestone
from portfolio.models import (
    Activity,
    Area,
    BudgetLine,
    Membership,
    Phase,
    Programme,
    ScheduledMonth,
    StatusReport,
)
from risks.models import Mitigation, Risk, RiskAssessment

pytestmark = pytest.mark.django_db

SEED = "nordre-land-digitalisering"

# Every kind of row that belongs to one programme, and the lookup from it to its programme's slug.
KINDS = {
    Phase: "programme__slug",
    Area: "programme__slug",
    Membership: "programme__slug",
    Activity: "programme__slug",
    ScheduledMonth: "activity__programme__slug",
    BudgetLine: "phase__programme__slug",
    StatusReport: "activity__programme__slug",
    RevisionRound: "programme__slug",
    Proposal: "programme__slug",
    ProposalTransition: "proposal__programme__slug",
    Risk: "programme__slug",
    RiskAssessment: "risk__programme__slug",
    Mitigation: "risk__programme__slug",
    DecisionPoint: "programme__slug",
    Milestone: "programme__slug",
    MeetingSeries: "programme__slug",
    Meeting: "series__programme__slug",
    BenefitPlan: "programme__slug",
    Benefit: "plan__programme__slug",
    BenefitMeasurement: "benefit__plan__programme__slug",
    CashFlowLine: "plan__programme__slug",
}


def counts(slugs) -> dict[str, int]:
    return {model.__name__: model.objects.filter(**{f"{path}__in": slugs}).count() for model, path in KINDS.items()}


def test_scale_two_and_three_give_two_and_three_times_the_topped_up_seed(plan):
    generate(2)
    per_programme = counts([SEED])
    assert counts([SEED, "generert-002"]) == {kind: 2 * n for kind, n in per_programme.items()}

    generate(3)
    assert counts([SEED, "generert-002", "generert-003"]) == {kind: 3 * n for kind, n in per_programme.items()}
    # The seed's plan, topped up to the real plan's ~130 proposals, with history to show.
    assert per_programme["Activity"] == 17
    assert per_programme["Area"] == 15
    assert per_programme["Phase"] == 3
    assert per_programme["Risk"] == 8
    assert per_programme["DecisionPoint"] == 5
    assert per_programme["Milestone"] == 4
    assert per_programme["Proposal"] == 130
    assert per_programme["RiskAssessment"] > per_programme["Risk"]
    for kind in ("StatusReport", "ProposalTransition", "Meeting", "BenefitMeasurement", "CashFlowLine"):
        assert per_programme[kind] > 0, kind


def test_generated_programme_is_a_plausible_plan(plan):
    generate(2)
    copy = Programme.objects.get(slug="generert-002")
    proposals = Proposal.objects.filter(programme=copy)
    assert set(proposals.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert proposals.values("revision_round").distinct().count() == 3
    assert RevisionRound.objects.filter(programme=copy, status=RevisionRound.Status.OPEN).count() == 1
    assert not Activity.objects.filter(programme=copy, responsible__isnull=True).exists()
    # Like the seed, some budget lines have no settled planned amount.
    assert BudgetLine.objects.filter(phase__programme=copy, planned_amount__isnull=True).exists()
    # Each generated proposal's transitions end in its status, through legal steps only.
    for proposal in proposals.exclude(status=Proposal.Status.SUBMITTED).prefetch_related("transitions")[:40]:
        steps = list(proposal.transitions.all())
        if not steps:
            continue  # copied from the seed's plan, which records no transitions
        assert steps[-1].to_status == proposal.status
        for step in steps:
            assert step.to_status in Proposal.TRANSITIONS[Proposal.Status(step.from_status)]


def fingerprint(slug: str) -> tuple:
    return (
        list(
            Proposal.objects.filter(programme__slug=slug)
            .order_by("title", "submitted_on", "status")
            .values_list("title", "status", "need", "benefit", "submitted_on")
        ),
        list(
            RiskAssessment.objects.filter(risk__programme__slug=slug)
            .order_by("risk__code", "assessed_on", "probability", "consequence")
            .values_list("risk__code", "probability", "consequence")
        ),
        sorted(Membership.objects.filter(programme__slug=slug).values_list("person__name", flat=True)),
    )


def generated_with(seed: int) -> tuple:
    with transaction.atomic():
        generate(2, seed=seed)
        result = fingerprint(SEED), fingerprint("generert-002")
        transaction.set_rollback(True)
    return result


def test_same_seed_gives_the_same_data_and_another_seed_other_data(plan):
    first = generated_with(5)
    assert generated_with(5) == first
    assert generated_with(6) != first


def test_running_again_creates_nothing(plan):
    generate(2)
    assert generate(2) == {}


def test_scale_below_one_is_refused(plan):
    with pytest.raises(ValueError, match="minst 1"):
        generate(0)


PAGES = [
    "/program/{slug}/",
    "/program/{slug}/aktiviteter/",
    "/program/{slug}/aktiviteter/HA05/",
    "/program/{slug}/budsjett/",
    "/program/{slug}/forslag/",
    "/program/{slug}/forslag/?status=prioritised&side=2",
    "/program/{slug}/forslag/prioritering/",
    "/program/{slug}/risiko/",
    "/program/{slug}/risiko/R1/",
    "/program/{slug}/milepaeler/",
    "/program/{slug}/milepaeler/moter/",
    "/program/{slug}/gevinster/",
    "/program/{slug}/gevinster/plan/GP-G01/",
]


def test_pages_of_a_generated_programme_answer(client, plan, project_leader):
    generate(2)
    client.force_login(project_leader)
    for page in PAGES:
        url = page.format(slug="generert-002")
        response = client.get(url)
        assert response.status_code == 200, url
    proposal = Proposal.objects.filter(programme__slug="generert-002").order_by("id").last()
    assert client.get(f"/program/generert-002/forslag/{proposal.pk}/").status_code == 200
    assert "Testkommune 002" in client.get("/program/generert-002/").content.decode()


def test_command_prints_counts(plan, settings, capsys):
    settings.DEBUG = True
    call_command("generate_data", "--scale", "2")
    out = capsys.readouterr().out
    assert "measures.Proposal" in out
    assert "skala 2" in out
    assert Programme.objects.filter(slug="generert-002").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "ti"], "--scale må være et helt tall"),
        (["--scale", "0"], "--scale må være minst 1"),
        (["--scale", "2", "--seed", "x"], "--seed må være et helt tall"),
    ],
)
def test_command_refuses_bad_arguments_in_norwegian(plan, settings, args, message):
    settings.DEBUG = True
    with pytest.raises(CommandError, match=message):
        call_command("generate_data", *args)
    assert not Programme.objects.filter(slug__startswith="generert-").exists()


def test_command_refuses_without_debug_unless_allowed(plan, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="kjøres ikke når DEBUG er av"):
        call_command("generate_data", "--scale", "2")
    assert not Programme.objects.filter(slug="generert-002").exists()
    call_command("generate_data", "--scale", "2", "--allow-production", stdout=None)
    assert Programme.objects.filter(slug="generert-002").exists()
