"""A project leader who changes a proposal's status from a page that shows an old status gets a 409 with a
Norwegian message and a fresh form for the status it has now (issue #14: this answered 500)."""

import pytest
from django.test import Client
from django.urls import reverse

from measures.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"


@pytest.mark.parametrize("htmx", [False, True])
def test_second_leader_on_a_stale_status_gets_409_not_500(plan, project_leader, htmx):
    proposal = factories.proposal(plan, status=Proposal.Status.SUBMITTED)
    url = reverse("proposal_status", args=[SLUG, proposal.pk])
    first, second = Client(), Client()
    first.force_login(project_leader)
    second.force_login(project_leader)
    assert first.post(url, {"status": "screening", "from_status": "submitted"}).status_code == 302

    headers = {"HX-Request": "true"} if htmx else {}
    refused = second.post(url, {"status": "screening", "from_status": "submitted"}, headers=headers)

    assert refused.status_code == 409
    assert "Statusen er endret av en annen bruker i mellomtiden" in refused.text
    assert 'name="from_status" value="screening"' in refused.text  # the fresh form is for the status it has now
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SCREENING
    assert proposal.transitions.count() == 1
