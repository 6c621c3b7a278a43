"""Audit history: every change to a domain object is recorded with who and when, and shown as old → new."""

import pytest

from common.history import history_entries
from portfolio.access import ProgrammeAccess
from risks.models import Risk


@pytest.mark.django_db
def test_changes_are_recorded_with_user_and_old_and_new_values(plan, project_leader):
    risk = Risk.objects.get(programme=plan, code="R1")
    risk._history_user = project_leader
    old_title = risk.title
    risk.title = "Ny tittel på risikoen"
    risk.status = Risk.Status.CLOSED
    risk.save()
    entries = history_entries(risk)
    newest = entries[0]
    assert newest.who == project_leader.get_full_name()
    assert newest.kind == "Endret"
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["risikofaktor"] == (old_title, "Ny tittel på risikoen")
    assert changes["status"][1] == str(Risk.Status.CLOSED.label)
    assert "versjon" not in changes


@pytest.mark.django_db
def test_history_costs_a_constant_number_of_queries(plan, django_assert_max_num_queries):
    risk = Risk.objects.get(programme=plan, code="R1")
    for n in range(30):
        risk.title = f"Tittel {n}"
        risk.save()
    with django_assert_max_num_queries(3):
        entries = history_entries(risk, limit=20)
    assert len(entries) == 20


def test_only_project_leader_and_steering_group_see_history(
    plan, project_leader, steering_member, project_member, staff
):
    def can_see_history(user):
        return ProgrammeAccess.of(user, plan).can_see_history

    assert can_see_history(project_leader)
    assert can_see_history(steering_member)
    assert not can_see_history(project_member)
    assert not can_see_history(staff)
