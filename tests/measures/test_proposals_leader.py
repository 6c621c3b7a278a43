"""The project leader's list, the proposal page and its inline changes; the other roles' limits."""

from datetime import date

import pytest
from django.urls import reverse

from measures.models import Proposal
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
S = Proposal.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


def _titles(response) -> list[str]:
    return [p.title for p in response.context["page"]]


def test_list_filters_by_area_status_round_unit_and_submitter_type(client, plan, project_leader):
    area = plan.areas.get(number=7)
    match = factories.proposal(
        plan, title="Treff", area=area, status=S.SCREENING, unit="Teknisk drift", submitter_type="innbygger"
    )
    factories.proposal(
        plan, title="Feil enhet", area=area, status=S.SCREENING, unit="Skole", submitter_type="innbygger"
    )
    factories.proposal(plan, title="Feil type", area=area, status=S.SCREENING, unit="Teknisk drift")
    client.force_login(project_leader)
    url = reverse("proposal_list", args=[SLUG])
    query = {"omrade": 7, "status": "screening", "runde": 2017, "enhet": "Teknisk drift", "type": "innbygger"}
    response = client.get(url, query)
    assert _titles(response) == [match.title]
    # The htmx request gets only the table, for the same URL the browser shows and can share.
    partial = client.get(url, query, **HTMX)
    assert "<h1>" not in partial.text and "Treff" in partial.text and 'id="proposal-table"' in partial.text


def test_search_sort_and_paging_stay_in_the_url(client, plan, project_leader):
    for i in range(55):
        factories.proposal(plan, title=f"Velferdsteknologi sensor {i:02d}")
    factories.proposal(plan, title="Noe annet")
    client.force_login(project_leader)
    url = reverse("proposal_list", args=[SLUG])
    first = client.get(url, {"q": "sensor velferd", "sort": "tittel"})
    assert first.context["page"].paginator.count == 55
    assert _titles(first)[0] == "Velferdsteknologi sensor 00"
    assert "?q=sensor+velferd&amp;sort=tittel&amp;side=2" in first.text
    second = client.get(url, {"q": "sensor velferd", "sort": "tittel", "side": 2})
    assert _titles(second) == [f"Velferdsteknologi sensor {i}" for i in range(50, 55)]


def test_sort_by_priority_puts_unassessed_last(client, plan, project_leader):
    area = plan.areas.get(number=9)
    factories.proposal(
        plan, title="Sorttest Lav", area=area, need=1, benefit=1, feasibility_technical=1, feasibility_economic=1
    )
    factories.proposal(plan, title="Sorttest Uvurdert", area=area)
    factories.proposal(
        plan, title="Sorttest Høy", area=area, need=5, benefit=5, feasibility_technical=5, feasibility_economic=4
    )
    client.force_login(project_leader)
    response = client.get(reverse("proposal_list", args=[SLUG]), {"q": "Sorttest", "sort": "prioritet"})
    assert _titles(response) == ["Sorttest Høy", "Sorttest Lav", "Sorttest Uvurdert"]


def _bulk(plan, n):
    round_ = plan.revision_rounds.get(year=2017)
    areas = list(plan.areas.all())
    activity = plan.activities.first()
    Proposal.objects.bulk_create(
        Proposal(
            programme=plan,
            revision_round=round_,
            area=areas[i % len(areas)],
            activity=activity,
            title=f"Masse {i}",
            unit=f"Enhet {i % 7}",
            need=3,
            benefit=4,
            feasibility_technical=2,
            feasibility_economic=5,
        )
        for i in range(n)
    )


def test_list_query_count_is_the_same_for_10_and_1000_proposals(client, plan, project_leader):
    """Guards N+1 on area, activity and round per row, and the filter choices."""
    client.force_login(project_leader)
    url = reverse("proposal_list", args=[SLUG]) + "?sort=prioritet&q=Masse"
    _bulk(plan, 10)
    ten = count_queries(client, url)
    _bulk(plan, 990)
    assert count_queries(client, url) == ten
    assert count_queries(client, url + "&side=5", **HTMX) <= ten


def test_leader_changes_status_inline_and_the_timeline_shows_it(client, plan, project_leader):
    proposal = factories.proposal(plan)
    client.force_login(project_leader)
    url = reverse("proposal_status", args=[SLUG, proposal.pk])
    response = client.post(url, {"status": "screening", "comment": "Tas opp"}, **HTMX)
    assert response.status_code == 200
    assert 'id="status-panel"' in response.text and "<h1>" not in response.text
    assert "Under vurdering" in response.text and "Tas opp" in response.text
    proposal.refresh_from_db()
    assert proposal.status == S.SCREENING
    # Without htmx: a redirect back to the proposal.
    response = client.post(url, {"status": "needs_assessment", "comment": ""})
    assert response.status_code == 302
    page = client.get(reverse("proposal_detail", args=[SLUG, proposal.pk])).text
    assert page.index("Tas opp") < page.index("Krever utredning</strong>")


def test_illegal_or_unreasoned_status_change_is_refused_with_a_message(client, plan, project_leader):
    proposal = factories.proposal(plan)
    client.force_login(project_leader)
    url = reverse("proposal_status", args=[SLUG, proposal.pk])
    illegal = client.post(url, {"status": "done"}, **HTMX)
    assert "Denne statusendringen er ikke tillatt." in illegal.text
    unreasoned = client.post(url, {"status": "rejected", "comment": " "})
    assert unreasoned.status_code == 422
    assert "Et avslag må begrunnes i kommentaren." in unreasoned.text
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED and not proposal.transitions.exists()


def test_assessment_shows_the_derived_priority_score(client, plan, project_leader):
    proposal = factories.proposal(plan)
    client.force_login(project_leader)
    url = reverse("proposal_assess", args=[SLUG, proposal.pk])
    data = {
        "need": 5,
        "benefit": 4,
        "feasibility_technical": 3,
        "feasibility_economic": 1,
        "estimated_cost": "250000",
        "estimated_effort_days": "12.5",
        "version": proposal.version,
    }
    response = client.post(url, data, **HTMX)
    assert "67 / 100" in response.text  # (10 + 8 + 3 + 1 − 6) / 24 = 66.7 %
    bad = client.post(url, {**data, "need": 6, "version": proposal.version + 1})
    assert bad.status_code == 422 and "Bruk en verdi fra 1 til 5." in bad.text
    proposal.refresh_from_db()
    assert proposal.need == 5 and proposal.priority_score == 67


def test_accepted_proposal_is_attached_to_an_activity_and_council_review_unlocks_start(client, plan, project_leader):
    proposal = factories.proposal(plan, status=S.PRIORITISED, needs_change_council=True)
    activity = plan.activities.get(code="HA04")
    client.force_login(project_leader)
    response = client.post(
        reverse("proposal_activity", args=[SLUG, proposal.pk]), {"activity": activity.pk, "version": 1}, **HTMX
    )
    assert "HA04" in response.text
    refused = client.post(reverse("proposal_status", args=[SLUG, proposal.pk]), {"status": "in_progress"}, **HTMX)
    assert "endringsrådet før det settes i gang" in refused.text
    council = {
        "needs_change_council": "on",
        "change_council_reviewed_on": "02.05.2017",
        "change_council_note": "OK",
        "version": 2,
    }
    client.post(reverse("proposal_council", args=[SLUG, proposal.pk]), council, **HTMX)
    client.post(reverse("proposal_status", args=[SLUG, proposal.pk]), {"status": "in_progress"}, **HTMX)
    proposal.refresh_from_db()
    assert (proposal.activity, proposal.change_council_reviewed_on, proposal.status) == (
        activity,
        date(2017, 5, 2),
        S.IN_PROGRESS,
    )
    assert proposal.title in client.get(reverse("activity_detail", args=[SLUG, "HA04"])).text


def test_unaccepted_proposal_cannot_be_attached_to_an_activity(client, plan, project_leader):
    proposal = factories.proposal(plan)
    client.force_login(project_leader)
    response = client.post(
        reverse("proposal_activity", args=[SLUG, proposal.pk]), {"activity": plan.activities.first().pk, "version": 1}
    )
    assert response.status_code == 422 and "Bare forslag som er tatt inn i planen" in response.text
    proposal.refresh_from_db()
    assert proposal.activity is None


def test_steering_group_decides_but_does_not_assess(client, plan, steering_member):
    proposal = factories.proposal(plan, status=S.SCREENING)
    client.force_login(steering_member)
    page = client.get(reverse("proposal_detail", args=[SLUG, proposal.pk])).text
    assert "Endre status" in page and "Lagre vurdering" not in page
    assert client.post(reverse("proposal_assess", args=[SLUG, proposal.pk]), {"need": 5}).status_code == 403
    response = client.post(
        reverse("proposal_status", args=[SLUG, proposal.pk]), {"status": "prioritised", "comment": "Vedtatt i SG"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.PRIORITISED
    # Starting the work is the project leader's move, not a decision.
    refused = client.post(reverse("proposal_status", args=[SLUG, proposal.pk]), {"status": "in_progress"})
    assert refused.status_code == 403


def test_project_group_reads_but_changes_nothing(client, plan, project_member):
    proposal = factories.proposal(plan, status=S.SCREENING)
    client.force_login(project_member)
    assert client.get(reverse("proposal_list", args=[SLUG])).status_code == 200
    page = client.get(reverse("proposal_detail", args=[SLUG, proposal.pk])).text
    assert "Endre status" not in page
    assert client.post(reverse("proposal_status", args=[SLUG, proposal.pk]), {"status": "deferred"}).status_code == 403
    assert client.get(reverse("moderation_queue", args=[SLUG])).status_code == 403
    assert client.get(reverse("proposal_import", args=[SLUG])).status_code == 403
