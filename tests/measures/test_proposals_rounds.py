"""Annual revision rounds: roll-over of deferred proposals, the round summary, the steering group's ranking."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.models import Proposal, RevisionRound
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
S = Proposal.Status


def test_new_round_carries_deferred_proposals_and_keeps_their_history(plan, project_leader):
    old = plan.revision_rounds.get(year=2017)
    deferred = factories.proposal(plan, title="Utsatt", revision_round=old)
    deferred.transition_to(S.SCREENING, by=project_leader)
    deferred.transition_to(S.DEFERRED, by=project_leader, comment="Neste år")
    stays = factories.proposal(plan, title="Prioritert", revision_round=old, status=S.PRIORITISED)

    new = RevisionRound.open_new(plan, 2018, by=project_leader)

    old.refresh_from_db()
    assert (old.status, new.status) == (RevisionRound.Status.CLOSED, RevisionRound.Status.OPEN)
    assert RevisionRound.current(plan) == new
    deferred.refresh_from_db()
    stays.refresh_from_db()
    assert (deferred.revision_round, deferred.carried_from, deferred.status) == (new, old, S.SCREENING)
    # Prioritised but not started: carried too, with its status and a line in its history.
    assert (stays.revision_round, stays.carried_from, stays.status) == (new, old, S.PRIORITISED)
    assert [(t.from_status, t.to_status, t.comment) for t in stays.transitions.all()] == [
        (S.PRIORITISED, S.PRIORITISED, "Overført fra rullering 2017 til 2018.")
    ]
    steps = [(t.from_status, t.to_status) for t in deferred.transitions.all()]
    assert steps == [(S.SUBMITTED, S.SCREENING), (S.SCREENING, S.DEFERRED), (S.DEFERRED, S.SCREENING)]
    assert deferred.transitions.last().comment == "Overført fra rullering 2017 til 2018."
    assert old.summary()["carried_on"] >= 1


def test_every_open_proposal_is_carried_over_and_ranked_in_the_new_round(client, plan, project_leader, steering_member):
    """Everything still open moves on – also from a round before the previous one; settled proposals stay."""
    older = RevisionRound.objects.create(programme=plan, year=2016, status=RevisionRound.Status.CLOSED)
    old = plan.revision_rounds.get(year=2017)
    open_ones = {
        status: factories.proposal(plan, title=f"Åpen {status}", revision_round=old, status=status)
        for status in (S.SUBMITTED, S.SCREENING, S.QUICK_WIN, S.NEEDS_ASSESSMENT, S.PRIORITISED)
    }
    forgotten = factories.proposal(plan, title="Glemt i 2016", revision_round=older, status=S.NEEDS_ASSESSMENT)
    settled = {
        status: factories.proposal(plan, title=f"Avgjort {status}", revision_round=old, status=status)
        for status in Proposal.SETTLED_STATUSES
    }
    still_open_2017 = Proposal.objects.filter(revision_round=old).exclude(status__in=Proposal.SETTLED_STATUSES).count()

    new = RevisionRound.open_new(plan, 2018, by=project_leader)

    for status, proposal in open_ones.items():
        proposal.refresh_from_db()
        assert (proposal.revision_round, proposal.status) == (new, status)
    forgotten.refresh_from_db()
    assert (forgotten.revision_round, forgotten.carried_from) == (new, older)
    assert forgotten.transitions.last().comment == "Overført fra rullering 2016 til 2018."
    for proposal in settled.values():
        proposal.refresh_from_db()
        assert proposal.revision_round == old
    assert old.summary()["carried_on"] == still_open_2017 >= len(open_ones)
    assert not Proposal.objects.filter(revision_round=old).exclude(status__in=Proposal.SETTLED_STATUSES).exists()
    client.force_login(steering_member)
    ranking = client.get(reverse("proposal_ranking", args=[SLUG]), {"runde": 2018}).text
    assert "Åpen prioritised" in ranking and "Åpen needs_assessment" in ranking and "Glemt i 2016" in ranking
    assert "Avgjort rejected" not in ranking


def test_a_round_year_can_only_be_opened_once(plan):
    with pytest.raises(ValidationError, match="finnes allerede en rullering for 2017"):
        RevisionRound.open_new(plan, 2017)


def test_leader_opens_a_round_in_the_browser_and_sees_its_summary(client, plan, project_leader, steering_member):
    factories.proposal(plan, title="Utsatt", status=S.DEFERRED, area=plan.areas.get(number=5))
    still_open = Proposal.objects.filter(programme=plan).exclude(status__in=Proposal.SETTLED_STATUSES).visible()
    carried = still_open.count()
    screening = still_open.filter(status__in=[S.DEFERRED, S.SCREENING]).count()  # deferred ones are screened again
    client.force_login(steering_member)
    assert client.post(reverse("round_list", args=[SLUG]), {"year": 2018}).status_code == 403
    client.force_login(project_leader)
    bad = client.post(reverse("round_list", args=[SLUG]), {"year": "neste"})
    assert bad.status_code == 422 and "Skriv et årstall." in bad.text
    response = client.post(reverse("round_list", args=[SLUG]), {"year": 2018}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("round_detail", args=[SLUG, 2018])
    summary = response.context["summary"]
    assert summary["total"] == carried
    assert dict(summary["by_status"])["Under vurdering"] == screening
    assert sum(row["n"] for row in summary["by_area"]) == carried
    assert "Rullering 2018 er åpnet." in response.text


def test_round_summary_counts_per_status_and_area(client, plan, project_member):
    round_ = RevisionRound.objects.create(programme=plan, year=2016, status=RevisionRound.Status.CLOSED)
    one, two = plan.areas.get(number=1), plan.areas.get(number=2)
    factories.proposal(plan, revision_round=round_, area=one, status=S.PRIORITISED)
    factories.proposal(plan, revision_round=round_, area=one, status=S.REJECTED)
    factories.proposal(plan, revision_round=round_, area=two, status=S.PRIORITISED)
    factories.proposal(plan, revision_round=round_, area=two, published=False)  # not moderated: not counted
    client.force_login(project_member)
    summary = client.get(reverse("round_detail", args=[SLUG, 2016])).context["summary"]
    assert summary["total"] == 3
    assert dict(summary["by_status"])["Prioritert i årets plan"] == 2
    assert [(row["area__number"], row["n"]) for row in summary["by_area"]] == [(1, 2), (2, 1)]


def test_steering_ranking_orders_by_score_with_quick_wins_apart(client, plan, steering_member):
    round_ = RevisionRound.objects.create(programme=plan, year=2016)
    factories.proposal(
        plan,
        title="Høy",
        revision_round=round_,
        status=S.SCREENING,
        need=5,
        benefit=5,
        feasibility_technical=5,
        feasibility_economic=5,
    )
    factories.proposal(
        plan,
        title="Lav",
        revision_round=round_,
        status=S.PRIORITISED,
        need=1,
        benefit=2,
        feasibility_technical=1,
        feasibility_economic=1,
    )
    factories.proposal(plan, title="Uvurdert", revision_round=round_, status=S.NEEDS_ASSESSMENT)
    factories.proposal(
        plan,
        title="Straks",
        revision_round=round_,
        status=S.QUICK_WIN,
        need=3,
        benefit=3,
        feasibility_technical=3,
        feasibility_economic=3,
    )
    factories.proposal(plan, title="Avslått", revision_round=round_, status=S.REJECTED)
    client.force_login(steering_member)
    response = client.get(reverse("proposal_ranking", args=[SLUG]), {"runde": 2016})
    assert [p.title for p in response.context["ranked"]] == ["Høy", "Lav", "Uvurdert"]
    assert [p.title for p in response.context["quick_wins"]] == ["Straks"]
    assert {p.title for p in response.context["awaiting"]} == {"Høy", "Uvurdert"}


def test_ranking_query_count_is_constant(client, plan, steering_member):
    """Guards N+1 on area and activity per ranked proposal."""
    client.force_login(steering_member)
    url = reverse("proposal_ranking", args=[SLUG])
    base = count_queries(client, url)
    for _ in range(20):
        factories.proposal(
            plan,
            status=S.SCREENING,
            activity=plan.activities.first(),
            need=2,
            benefit=3,
            feasibility_technical=4,
            feasibility_economic=5,
        )
    assert count_queries(client, url) == base


def test_a_new_round_must_come_after_the_latest(plan):
    with pytest.raises(ValidationError, match="senere år enn 2017"):
        RevisionRound.open_new(plan, 2016)
