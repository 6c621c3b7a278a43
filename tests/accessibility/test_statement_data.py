"""The statement's data (accessibility/statement.py) is complete and says nothing it cannot back."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from accessibility import statement
from accessibility.statement import Status
from tests import factories
from tests.across_apps.test_permission_matrix import EXPECTED
from tests.utils import count_queries

WCAG_21_A_AA = 50  # 30 at level A, 20 at level AA


def test_every_wcag_21_criterion_of_level_a_and_aa_is_there_once():
    numbers = [c.number for c in statement.CRITERIA]
    assert len(numbers) == len(set(numbers)) == WCAG_21_A_AA
    levels = [c.level for c in statement.CRITERIA]
    assert (levels.count("A"), levels.count("AA")) == (30, 20)
    assert all(c.status in Status.LABELS for c in statement.CRITERIA)


def test_a_criterion_claimed_as_met_says_how_it_was_checked():
    unbacked = [c.number for c in statement.CRITERIA if c.status == Status.MET and not (c.axe_rules or c.note)]
    assert not unbacked


def test_every_unmet_criterion_has_a_deviation_and_every_deviation_an_unmet_criterion():
    unmet = {c.number for c in statement.CRITERIA if c.status == Status.NOT_MET}
    deviating = {number for d in statement.DEVIATIONS for number in d.criteria}
    assert unmet == deviating


def test_the_last_check_is_not_in_the_future():
    assert statement.FIRST_PUBLISHED <= statement.LAST_CHECKED <= date.today()


def test_the_checked_pages_exist_and_are_in_the_permission_matrix():
    names = [name for name, _kwargs, _label in statement.CHECKED_PAGES]
    names += [name for name, _label in statement.CHECKED_OBJECT_PAGES + statement.CHECKED_PUBLIC_PAGES]
    names += [name for name, _label in statement.CHECKED_STAFF_PAGES + statement.CHART_PAGES]
    assert not [name for name in names if name not in EXPECTED]
    for name, kwargs, _label in statement.CHECKED_PAGES:
        try:
            reverse(name, kwargs={"slug": "nordre-land-digitalisering", **kwargs})
        except NoReverseMatch:  # pragma: no cover - the failure message
            pytest.fail(f"{name} {kwargs}")


@pytest.mark.django_db
def test_the_statement_page_runs_the_same_queries_however_many_programmes(client, plan):
    url = reverse("accessibility_statement")
    before = count_queries(client, url)
    for _ in range(5):
        programme = factories.programme()
        leader = get_user_model().objects.create_user(f"leder-{programme.slug}", "l@example.no", "x")
        factories.grant(leader, programme, "prosjektleder")
    assert count_queries(client, url) == before


@pytest.mark.django_db
def test_an_administrator_reads_the_reports_in_the_admin(client, plan):
    from accessibility.models import BarrierReport

    report = BarrierReport.objects.create(location="/", description="Knappen svarer ikke.", programme=plan)
    client.force_login(get_user_model().objects.create_superuser("drift", "drift@example.no", "x"))
    assert client.get(reverse("admin:accessibility_barrierreport_changelist")).status_code == 200
    page = client.get(reverse("admin:accessibility_barrierreport_change", args=[report.pk]))
    assert page.status_code == 200 and "Knappen svarer ikke." in page.text
