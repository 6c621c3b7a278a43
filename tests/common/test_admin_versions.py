"""The admin is an edit path too: saving over another user's newer change is refused there as in the app."""

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import BudgetLine

pytestmark = pytest.mark.django_db


def _form_data(line) -> dict:
    return {
        "phase": line.phase_id,
        "activity": "",
        "kind": line.kind,
        "category": line.category,
        "description": line.description,
        "planned_amount": line.planned_amount if line.planned_amount is not None else "",
        "actual_amount": "",
        "position": line.position,
        "note": line.note,
        "edit_version": line.version,
    }


def test_second_admin_save_over_a_newer_version_is_refused(plan, admin_user):
    line = BudgetLine.objects.filter(phase__programme=plan).first()
    url = reverse("admin:portfolio_budgetline_change", args=[line.pk])
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(admin_user)
    assert 'name="edit_version"' in first.get(url).content.decode()
    opened = _form_data(line)  # both opened the same version

    response = first.post(url, opened | {"actual_amount": "1000"})
    assert response.status_code == 302
    response = second.post(url, opened | {"actual_amount": "2000"})
    assert response.status_code == 200
    assert "Noen andre har endret dette mens du redigerte" in response.content.decode()
    line.refresh_from_db()
    assert line.actual_amount == 1000
    assert line.version == 2
