import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db
S = Proposal.Status


def test_legal_transition_is_recorded_with_who_and_comment(plan, project_leader):
    proposal = factories.proposal(plan)
    proposal.transition_to(S.SCREENING, by=project_leader, comment="Tas opp i prosjektgruppa")
    proposal.refresh_from_db()
    assert proposal.status == S.SCREENING
    (t,) = proposal.transitions.all()
    assert (t.from_status, t.to_status, t.by, t.comment) == (
        S.SUBMITTED,
        S.SCREENING,
        project_leader,
        "Tas opp i prosjektgruppa",
    )


def test_illegal_transition_is_refused_with_a_norwegian_message(plan):
    proposal = factories.proposal(plan)
    with pytest.raises(ValidationError, match="Kan ikke endre status fra «Innsendt» til «Gjennomført»"):
        proposal.transition_to(S.DONE)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert not proposal.transitions.exists()


def test_rejection_needs_a_reason(plan):
    proposal = factories.proposal(plan)
    with pytest.raises(ValidationError, match="begrunnes"):
        proposal.transition_to(S.REJECTED, comment="  ")


def test_change_council_before_in_progress(plan):
    proposal = factories.proposal(plan, status=S.PRIORITISED, needs_change_council=True)
    with pytest.raises(ValidationError, match="endringsrådet"):
        proposal.transition_to(S.IN_PROGRESS)


def test_stale_object_does_not_overwrite_a_newer_status(plan):
    proposal = factories.proposal(plan)
    stale = Proposal.objects.get(pk=proposal.pk)
    proposal.transition_to(S.SCREENING)
    proposal.transition_to(S.DEFERRED)
    with pytest.raises(ValidationError, match="endret av en annen bruker"):
        stale.transition_to(S.REJECTED, comment="for sent")
    assert Proposal.objects.get(pk=proposal.pk).status == S.DEFERRED


@pytest.mark.parametrize(
    ("need", "benefit", "tech", "econ", "expected"),
    [
        (1, 1, 1, 1, 0),  # weighted 6 → lowest
        (5, 5, 5, 5, 100),  # weighted 30 → highest
        (3, 3, 3, 3, 50),  # weighted 18 → (18-6)/24
        (5, 4, 3, 1, 67),  # 10+8+3+1 = 22 → (22-6)/24 = 66.7 %
        (2, 1, 5, 5, 42),  # 4+2+5+5 = 16 → (16-6)/24 = 41.7 %: easy but not needed ranks low
    ],
)
def test_priority_score_hand_computed(plan, need, benefit, tech, econ, expected):
    proposal = factories.proposal(
        plan, need=need, benefit=benefit, feasibility_technical=tech, feasibility_economic=econ
    )
    annotated = Proposal.objects.with_priority().get(pk=proposal.pk)
    assert proposal.priority_score == expected
    assert round(annotated.priority) == expected


def test_priority_is_empty_until_fully_assessed(plan):
    proposal = factories.proposal(plan, need=5, benefit=5)
    assert proposal.priority_score is None
    assert Proposal.objects.with_priority().get(pk=proposal.pk).priority is None


def test_scores_outside_1_to_5_refused_by_database(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.proposal(plan, need=6)
