"""Feedback after every kind of action: a message after a save, a status change, a moderation, a re-scoring and
a logout, whether the page was posted normally (shown on the page it goes to) or through htmx (sent along out of
band into the page's messages region, common.middleware.HtmxMessagesMiddleware)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from measures.models import Proposal
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
HTMX = {"HTTP_HX_REQUEST": "true"}
OOB = re.compile(r'<div id="messages" role="status" hx-swap-oob="true">.*?</div>', re.S)


def oob_message(response) -> str:
    found = OOB.search(response.text)
    assert found, response.text[-500:]
    return found.group(0)


def test_every_page_has_a_messages_region_for_htmx_to_fill(client, project_leader):
    client.force_login(project_leader)
    page = client.get(reverse("programme", args=[SLUG])).text
    assert '<div id="messages" role="status">' in page


def test_a_save_says_so(client, plan, project_leader):
    client.force_login(project_leader)
    risk = Risk.objects.filter(programme=plan).first()
    data = {
        "code": risk.code,
        "title": "Ny tittel",
        "description": risk.description,
        "activity": risk.activity_id or "",
        "owner": risk.owner_id or "",
        "status": risk.status,
        "next_review_on": "",
        "note": "",
        "version": risk.version,
    }
    response = client.post(reverse("risk_edit", args=[SLUG, risk.code]), data, follow=True)
    assert f"Risikoen {risk.code} er lagret." in response.text


def test_a_status_change_says_so_with_htmx_too(client, plan, project_leader):
    proposal = factories.proposal(plan)
    client.force_login(project_leader)
    data = {"status": Proposal.Status.SCREENING, "comment": "", "from_status": proposal.status}
    response = client.post(reverse("proposal_status", args=[SLUG, proposal.pk]), data, **HTMX)
    assert response.status_code == 200
    assert "Status er endret til «Under vurdering»." in oob_message(response)


def test_a_moderation_says_so_with_htmx(client, plan, project_leader):
    waiting = factories.proposal(plan, title="Benk i parken", submitter_type="innbygger", published=False)
    client.force_login(project_leader)
    response = client.post(reverse("moderate", args=[SLUG, waiting.pk]), {"action": "approve"}, **HTMX)
    assert "«Benk i parken» er godkjent og synlig." in oob_message(response)


def test_a_rescoring_says_so_with_htmx_and_without(client, plan, project_leader):
    risk = Risk.objects.filter(programme=plan).first()
    client.force_login(project_leader)
    url = reverse("risk_rescore", args=[SLUG, risk.code])
    response = client.post(url, {"probability": "2", "consequence": "4"}, **HTMX)
    assert f"Ny vurdering av {risk.code} er lagret (S 2, K 4)." in oob_message(response)
    response = client.post(url, {"probability": "3", "consequence": "3"}, follow=True)
    assert f"Ny vurdering av {risk.code} er lagret (S 3, K 3)." in response.text


def test_a_measurement_says_so_with_htmx(client, plan, project_leader):
    benefit = factories.benefit_plan(plan, plan.activities.get(code="HA03"), benefits=1).benefits.get()
    client.force_login(project_leader)
    url = reverse("benefit_measure", args=[SLUG, benefit.plan.code, benefit.pk])
    response = client.post(url, {"measured_on": "15.03.2018", "value": "7,5"}, **HTMX)
    assert "Målingen er lagret." in oob_message(response)


def test_an_htmx_refusal_sends_no_stale_message_and_a_full_page_shows_it_once(client, plan, project_leader):
    benefit = factories.benefit_plan(plan, plan.activities.get(code="HA03"), benefits=1).benefits.get()
    client.force_login(project_leader)
    url = reverse("benefit_measure", args=[SLUG, benefit.plan.code, benefit.pk])
    refused = client.post(url, {"measured_on": "15.03.2018", "value": "12abc"}, **HTMX)
    assert refused.status_code == 422 and not OOB.search(refused.text)
    saved = client.post(url, {"measured_on": "15.03.2018", "value": "7,5"}, follow=True)
    assert saved.text.count("Målingen er lagret.") == 1 and not OOB.search(saved.text)


def test_logout_says_so(client, project_leader):
    client.force_login(project_leader)
    response = client.post(reverse("logout"), follow=True)
    assert "Du er logget ut." in response.text


def test_rejecting_in_moderation_needs_a_reason(client, plan, project_leader):
    waiting = factories.proposal(plan, title="Kjøp klokker", submitter_type="innbygger", published=False)
    client.force_login(project_leader)
    url = reverse("moderate", args=[SLUG, waiting.pk])
    refused = client.post(url, {"action": "reject", "reason": "  "}, **HTMX)
    assert refused.status_code == 422 and "Et avslag må begrunnes." in refused.text
    waiting.refresh_from_db()
    assert waiting.status != Proposal.Status.REJECTED
    response = client.post(url, {"action": "reject", "reason": "Reklame"}, follow=True)
    assert "«Kjøp klokker» er avvist og forblir skjult." in response.text
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.REJECTED
    assert "Reklame" in waiting.transitions.latest("pk").comment
    assert client.post(url, {"action": "slett"}).status_code in (404, 422)  # no longer waiting, or unknown


def test_forms_start_from_a_date_inside_the_programme_period(client, plan, project_leader):
    """After the programme has ended (the demo plan ran 2017–2019), a form's default date is its last day."""
    assert plan.end_date < date.today()
    assert plan.clamp() == plan.end_date
    assert plan.clamp(date(2000, 1, 1)) == plan.start_date
    assert plan.clamp(date(2018, 5, 1)) == date(2018, 5, 1)
    client.force_login(project_leader)
    meetings = client.get(reverse("meetings", args=[SLUG])).text
    held_on = re.search(r'name="s\d+-held_on" value="([0-9-]+)"', meetings)
    assert held_on and held_on.group(1) == plan.end_date.isoformat()
    reports = client.get(reverse("revision_reports", args=[SLUG])).text
    assert f'value="{plan.end_date.year}"' in reports
    point = plan.decision_points.exclude(status="decided").first()
    editor = client.get(reverse("decision_record", args=[SLUG, point.code])).text
    assert f'value="{plan.end_date.isoformat()}"' in editor or point.decided_on
