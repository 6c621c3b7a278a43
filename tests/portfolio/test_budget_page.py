"""The budget page: per phase cost and financing side by side, differences, and the project leader's actuals."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from portfolio.models import BudgetLine
from portfolio.roles import PROJECT_LEADER
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(line):
    return reverse("budget_line_actual", args=[SLUG, line.pk])


@pytest.fixture
def salary(plan):
    """Phase 1's «Lønn prosjektleder», planned 500 000."""
    return BudgetLine.objects.get(phase__programme=plan, phase__number=1, description__startswith="Lønn prosjektleder")


@pytest.fixture
def unknown(plan):
    """A phase 2 cost line whose planned amount the plan leaves open."""
    return BudgetLine.objects.get(phase__programme=plan, phase__number=2, kind="cost", planned_amount=None)


def test_unknown_amounts_and_their_differences_are_ikke_avklart_never_zero(client, plan, steering_member, unknown):
    unknown.actual_amount = Decimal("100000")
    unknown.save()
    client.force_login(steering_member)
    html = client.get(reverse("budget", args=[SLUG])).text
    row = html[html.index(f'id="linje-{unknown.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = row.split('<td class="num">')[1:]
    assert [c.split("</td>")[0].strip() for c in cells] == ["ikke avklart", "100\xa0000\xa0kr", "ikke avklart"]
    # The phase 2 cost total has an unknown line, so its total and difference are not settled either.
    phase2 = html[html.index('id="phase-2"') : html.index('id="phase-3"')]
    foot = phase2[phase2.index("<tfoot>") : phase2.index("</tfoot>")]
    assert foot.count("ikke avklart") >= 2
    assert ">0\xa0kr<" not in foot


def test_difference_is_planned_minus_actual_per_line_and_in_total(client, plan, steering_member, salary):
    salary.actual_amount = Decimal("420000")
    salary.save()
    client.force_login(steering_member)
    html = client.get(reverse("budget", args=[SLUG])).text
    row = html[html.index(f'id="linje-{salary.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "80\xa0000\xa0kr" in row
    phase1 = html[html.index('id="phase-1"') : html.index('id="phase-2"')]
    cost_foot = phase1[phase1.index("<tfoot>") : phase1.index("</tfoot>")]
    # Phase 1 costs: 2 960 000 planned, 420 000 actual.
    assert (
        "2\xa0960\xa0000\xa0kr" in cost_foot
        and "420\xa0000\xa0kr" in cost_foot
        and "2\xa0540\xa0000\xa0kr" in cost_foot
    )


def test_cost_and_financing_side_by_side_per_phase(client, plan, steering_member):
    client.force_login(steering_member)
    html = client.get(reverse("budget", args=[SLUG])).text
    assert html.count('class="budget-sides"') == 3
    assert html.count("<caption>Kostnad</caption>") == 3 and html.count("<caption>Finansiering</caption>") == 3
    assert "Endre" not in html  # only the project leader edits


def test_project_leader_edits_an_actual_with_htmx(client, plan, project_leader, salary):
    client.force_login(project_leader)
    form = client.get(edit_url(salary), **HTMX)
    assert form.text.strip().startswith(f'<tr id="linje-{salary.pk}"')
    assert 'name="version" value="1"' in form.text
    response = client.post(edit_url(salary), {"actual_amount": "1 500 000", "version": "1"}, **HTMX)
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="linje-{salary.pk}">')
    assert "1\xa0500\xa0000\xa0kr" in response.text
    assert "−1\xa0000\xa0000\xa0kr" in response.text  # over budget: a negative difference
    salary.refresh_from_db()
    assert (salary.actual_amount, salary.version) == (Decimal("1500000.00"), 2)


@pytest.mark.parametrize(
    "typed, stored", [("1500000", "1500000"), ("12 345,50", "12345.50"), ("700 000,-", "700000"), ("", None)]
)
def test_norwegian_amounts_are_accepted(client, plan, project_leader, salary, typed, stored):
    client.force_login(project_leader)
    client.post(edit_url(salary), {"actual_amount": typed, "version": "1"})
    salary.refresh_from_db()
    assert salary.actual_amount == (Decimal(stored) if stored else None)


@pytest.mark.parametrize("typed", ["-5", "kr 1,5 mill.", "abc"])
def test_bad_amounts_get_a_norwegian_error_and_save_nothing(client, plan, project_leader, salary, typed):
    client.force_login(project_leader)
    response = client.post(edit_url(salary), {"actual_amount": typed, "version": "1"}, **HTMX)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert "negativt" in response.text or "ikke et beløp" in response.text
    salary.refresh_from_db()
    assert (salary.actual_amount, salary.version) == (None, 1)


def test_without_htmx_the_edit_is_a_full_page_and_saving_redirects_to_the_line(client, plan, project_leader, salary):
    client.force_login(project_leader)
    page = client.get(edit_url(salary))
    assert "<html" in page.text and "Faktisk beløp" in page.text
    response = client.post(edit_url(salary), {"actual_amount": "250000", "version": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("budget", args=[SLUG]) + f"#linje-{salary.pk}"
    # «Avbryt» without htmx goes back to the page; with htmx it gets the row.
    row = client.get(reverse("budget_line", args=[SLUG, salary.pk]), **HTMX)
    assert "250\xa0000\xa0kr" in row.text and "<html" not in row.text
    assert client.get(reverse("budget_line", args=[SLUG, salary.pk])).status_code == 302


def test_two_editors_the_second_sees_the_first_ones_value_and_nothing_is_overwritten(plan, project_leader, salary):
    other = get_user_model().objects.create_user("leder2", password="x")
    factories.grant(other, plan, PROJECT_LEADER)
    first, second = Client(), Client()
    first.force_login(project_leader)
    second.force_login(other)
    # Both open the form at version 1.
    assert 'value="1"' in first.get(edit_url(salary), **HTMX).text
    assert 'value="1"' in second.get(edit_url(salary), **HTMX).text
    first.post(edit_url(salary), {"actual_amount": "300 000", "version": "1"}, **HTMX)
    response = second.post(edit_url(salary), {"actual_amount": "999 999", "version": "1"}, **HTMX)
    assert "Noen andre har endret dette" in response.text
    assert "Lagret faktisk beløp nå: <strong>300\xa0000\xa0kr</strong>" in response.text
    assert 'name="version" value="2"' in response.text  # the form starts again from the stored version
    salary.refresh_from_db()
    assert (salary.actual_amount, salary.version) == (Decimal("300000.00"), 2)


@pytest.mark.parametrize("user_fixture", ["steering_member", "project_member", "staff"])
def test_only_the_project_leader_may_edit_actuals(client, plan, request, salary, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(edit_url(salary)).status_code == 403
    assert client.post(edit_url(salary), {"actual_amount": "1", "version": "1"}).status_code == 403
    assert client.post(edit_url(salary), {"actual_amount": "1", "version": "1"}, **HTMX).status_code == 403
    salary.refresh_from_db()
    assert salary.actual_amount is None


def test_a_line_of_another_programme_is_404(client, plan, project_leader):
    from tests import factories

    other = factories.programme()
    phase = other.phases.create(number=1, year=2020, name="Fase 1")
    line = factories.budget_line(phase)
    client.force_login(project_leader)
    assert client.get(edit_url(line)).status_code == 404
