"""Audit history on each object's page: who changed which field from what to what, for PL and SG only."""

from dataclasses import dataclass
from html import escape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from benefits.models import Benefit, BenefitPlan
from milestones.models import DecisionPoint, Milestone
from risks.models import Risk
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


@dataclass
class Page:
    get: object  # plan -> the object
    url: object  # object -> its page
    field: str


def _proposal(plan):
    return factories.proposal(plan, title="Forslag med historikk")


PAGES = {
    "proposal": Page(_proposal, lambda p: reverse("proposal_detail", args=[SLUG, p.pk]), "title"),
    "risk": Page(
        lambda plan: Risk.objects.get(programme=plan, code="R1"),
        lambda r: reverse("risk_detail", args=[SLUG, r.code]),
        "title",
    ),
    "benefit plan": Page(
        lambda plan: BenefitPlan.objects.get(programme=plan, code="GP-HA02"),
        lambda p: reverse("benefit_plan", args=[SLUG, p.code]),
        "title",
    ),
    "benefit": Page(
        lambda plan: Benefit.objects.get(indicator="Portoutgifter for utgående post"),
        lambda b: reverse("benefit_detail", args=[SLUG, b.plan.code, b.pk]),
        "indicator",
    ),
    "milestone": Page(
        lambda plan: Milestone.objects.get(programme=plan, code="MP1"),
        lambda m: reverse("milestone_edit", args=[SLUG, m.code]),
        "evidence",
    ),
    "decision point": Page(
        lambda plan: DecisionPoint.objects.get(programme=plan, code="BP2"),
        lambda d: reverse("decision_record", args=[SLUG, d.code]),
        "basis",
    ),
}


@pytest.fixture
def editor_a(db):
    return get_user_model().objects.create_user("anna", first_name="Anna", last_name="Endresen")


def change(obj, field: str, value: str, by) -> str:
    """Save a change as `by` (what HistoryRequestMiddleware does for a request); returns the old value."""
    old = getattr(obj, field)
    setattr(obj, field, value)
    obj._history_user = by
    obj.save()
    return old


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("reader", ["project_leader", "steering_member"])
def test_leader_and_steering_group_see_who_changed_what(client, plan, request, editor_a, name, reader):
    page = PAGES[name]
    obj = page.get(plan)
    old = change(obj, page.field, "Ny verdi fra Anna", editor_a)
    client.force_login(request.getfixturevalue(reader))
    response = client.get(page.url(obj))
    assert response.status_code == 200
    text = response.text
    assert "Endringshistorikk" in text
    label = str(type(obj)._meta.get_field(page.field).verbose_name)
    newest = text.split('class="history-list"', 1)[1].split("</li>", 2)[0] + "</li>"
    assert "Anna Endresen" in newest
    assert f"{label}: <del>{escape(old) if old else '–'}</del> → <ins>Ny verdi fra Anna</ins>" in newest


@pytest.mark.parametrize("name", PAGES)
def test_project_group_does_not_see_history(client, plan, project_member, editor_a, name):
    page = PAGES[name]
    obj = page.get(plan)
    change(obj, page.field, "Ny verdi fra Anna", editor_a)
    client.force_login(project_member)
    response = client.get(page.url(obj))
    # The milestone and decision editors are not the project group's (403 there); where it reads, no history.
    assert response.status_code in (200, 403)
    assert "Endringshistorikk" not in response.text and "Anna Endresen" not in response.text


def test_staff_do_not_see_history_of_their_own_proposal(client, plan, staff, editor_a):
    proposal = factories.proposal(plan, submitted_by=staff)
    change(proposal, "title", "Omdøpt av Anna", editor_a)
    client.force_login(staff)
    response = client.get(reverse("proposal_detail", args=[SLUG, proposal.pk]))
    assert response.status_code == 200
    assert "Omdøpt av Anna" in response.text  # the proposal itself, yes
    assert "Endringshistorikk" not in response.text and "Anna Endresen" not in response.text


@pytest.mark.parametrize("name", PAGES)
def test_page_queries_do_not_grow_with_the_history(client, plan, project_leader, editor_a, name):
    """Guards against fetching the previous record (or its user) per history row."""
    page = PAGES[name]
    obj = page.get(plan)
    client.force_login(project_leader)
    change(obj, page.field, "Første endring", editor_a)
    few = count_queries(client, page.url(obj))
    for n in range(25):
        change(obj, page.field, f"Endring {n}", project_leader if n % 2 else editor_a)
    many = count_queries(client, page.url(obj))
    assert many == few, f"{name}: {few} queries with 2 history rows, {many} with 27"
