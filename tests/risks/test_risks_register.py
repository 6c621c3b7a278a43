"""The risk register: bands, heat map, filters, sorting, overdue flags and its query count."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from portfolio.models import Person
from risks.models import Mitigation, Risk
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
REGISTER = reverse("risk_register", args=[SLUG])
HTMX = {"HTTP_HX_REQUEST": "true"}


def heat_counts(html: str) -> dict[tuple[int, int], int]:
    cells = re.findall(r'class="heat-cell" data-s="(\d)" data-k="(\d)" data-count="(\d+)"', html)
    return {(int(s), int(k)): int(n) for s, k, n in cells}


def listed_codes(html: str) -> list[str]:
    table = html[html.index('id="risk-table"') :]
    return re.findall(r'/risiko/([^/"]+)/">', table)


# RF 7 and 14 cannot come from whole S and K in 1–5, so the register's edges are 6|8 and 12|15
# (band_for itself is tested at 7/8 and 14/15 in test_risk_scoring).
@pytest.mark.parametrize(
    ("s", "k", "band", "label"),
    [
        (2, 3, "low", "6 · Lav"),
        (2, 4, "medium", "8 · Middels"),
        (3, 4, "medium", "12 · Middels"),
        (3, 5, "high", "15 · Høy"),
    ],
)
def test_band_filter_puts_a_risk_on_the_right_side_of_each_edge(client, plan, project_leader, s, k, band, label):
    client.force_login(project_leader)
    risk = factories.risk(plan, s=s, k=k)
    shown = client.get(REGISTER + f"?band={band}")
    assert risk.code in listed_codes(shown.text)
    assert label in shown.text
    for other in {"low", "medium", "high"} - {band}:
        assert risk.code not in listed_codes(client.get(REGISTER + f"?band={other}").text)


def test_register_lists_the_latest_assessment_sorted_by_rf(client, plan, project_leader):
    client.force_login(project_leader)
    risk = Risk.objects.get(programme=plan, code="R7")  # seed: 3 × 3 = 9
    risk.rescore(5, 5, note="Verre enn ventet")
    codes = listed_codes(client.get(REGISTER).text)
    assert codes[0] == "R7"  # 25 now tops R1's 20
    assert codes[1] == "R1"
    ascending = listed_codes(client.get(REGISTER + "?sort=rf_asc").text)
    assert ascending[-1] == "R7"
    assert ascending[0] in {"R3", "R4"}  # RF 8, the lowest in the seed


def test_heat_map_counts_match_the_register_cell_by_cell(client, plan, project_leader):
    client.force_login(project_leader)
    factories.risk(plan, s=4, k=5)
    factories.risk(plan, s=1, k=1)
    page = client.get(REGISTER).text
    counts = heat_counts(page)
    assert len(counts) == 25
    assert counts[(4, 5)] == 2  # R1 and the new one
    assert counts[(2, 5)] == 2  # R2 and R5
    assert sum(counts.values()) == len(listed_codes(page)) == 10
    for (s, k), n in counts.items():
        if n:
            assert len(listed_codes(client.get(REGISTER + f"?s={s}&k={k}", **HTMX).text)) == n


def test_clicking_a_cell_filters_the_list_with_htmx(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(REGISTER).text
    link = f"{REGISTER}?s=2&amp;k=5"
    assert f'href="{link}" hx-get="{link}" hx-target="#risk-register"' in page
    response = client.get(REGISTER + "?s=2&k=5", **HTMX)
    assert "<html" not in response.text
    assert sorted(listed_codes(response.text)) == ["R2", "R5"]
    assert "filtrert på S 2 × K 5" in response.text


def test_filters_by_owner_activity_and_status(client, plan, project_leader):
    client.force_login(project_leader)
    owner = Person.objects.get(name="Anne Marit Eng")
    activity = plan.activities.get(code="HA02")
    owned = factories.risk(plan, owner=owner)
    on_activity = factories.risk(plan, activity=activity)
    closed = factories.risk(plan, status=Risk.Status.CLOSED)
    assert listed_codes(client.get(REGISTER + f"?owner={owner.pk}", **HTMX).text) == [owned.code]
    assert listed_codes(client.get(REGISTER + f"?activity={activity.pk}", **HTMX).text) == [on_activity.code]
    assert on_activity.code not in listed_codes(client.get(REGISTER + "?activity=programme", **HTMX).text)
    assert listed_codes(client.get(REGISTER + "?status=closed", **HTMX).text) == [closed.code]
    # The heat map follows the filters, so its counts still match the list.
    filtered = client.get(REGISTER + "?status=closed", **HTMX).text
    assert sum(heat_counts(filtered).values()) == 1


def test_invalid_filter_values_are_ignored_not_an_error(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.get(REGISTER + "?band=purple&owner=x&s=9&sort=nope")
    assert response.status_code == 200
    assert len(listed_codes(response.text)) == 8


@time_machine.travel(date(2017, 6, 1), tick=False)
def test_overdue_review_and_mitigation_are_flagged_around_today(client, plan, project_leader):
    client.force_login(project_leader)
    yesterday, today = date(2017, 5, 31), date(2017, 6, 1)
    late_review = factories.risk(plan, next_review_on=yesterday)
    due_today = factories.risk(plan, next_review_on=today)
    closed = factories.risk(plan, next_review_on=yesterday, status=Risk.Status.CLOSED)
    late_action = factories.risk(plan)
    Mitigation.objects.create(risk=late_action, description="Sent tiltak", due_on=yesterday)
    Mitigation.objects.create(risk=due_today, description="Frist i dag", due_on=today)
    Mitigation.objects.create(risk=closed, description="Gjort", due_on=yesterday, done=True)

    attention = set(Risk.objects.filter(programme=plan).needing_attention().values_list("code", flat=True))
    assert attention == {late_review.code, late_action.code}
    page = client.get(REGISTER).text
    assert "2 risikoer har forfalt gjennomgang eller forfalte tiltak" in page
    assert page.count("gjennomgang forfalt") == 1
    assert 'Sent tiltak – frist 31.05.2017 <span class="badge overdue">forfalt</span>' in page
    assert "Frist i dag – frist 01.06.2017</li>" in page
    overdue_only = listed_codes(client.get(REGISTER + "?overdue=on", **HTMX).text)
    assert sorted(overdue_only) == sorted([late_review.code, late_action.code])


@time_machine.travel(date(2020, 3, 1), tick=False)
def test_after_the_programmes_end_nothing_in_the_register_is_overdue(client, plan, project_leader):
    """The programme ended 01.11.2019: its register shows the final state, as the dashboard does."""
    client.force_login(project_leader)
    late_review = factories.risk(plan, next_review_on=date(2019, 5, 31))
    Mitigation.objects.create(risk=late_review, description="Sent tiltak", due_on=date(2019, 5, 31))
    page = client.get(REGISTER).text
    assert "gjennomgang forfalt" not in page and ">forfalt<" not in page and "forfalte tiltak" not in page
    assert "Sent tiltak – frist 31.05.2019</li>" in page
    detail = client.get(reverse("risk_detail", args=[SLUG, late_review.code])).text
    assert "gjennomgang forfalt" not in detail and ">forfalt<" not in detail and "31.05.2019" in detail
    assert listed_codes(client.get(REGISTER + "?overdue=on", **HTMX).text) == []


def test_staff_cannot_see_the_register(client, plan, staff):
    client.force_login(staff)
    assert client.get(REGISTER).status_code == 403
    assert client.get(reverse("risk_detail", args=[SLUG, "R1"])).status_code == 403
    assert client.get(reverse("risk_export", args=[SLUG, "csv"])).status_code == 403


def test_steering_group_reads_the_register_without_edit_links(client, plan, steering_member):
    client.force_login(steering_member)
    assert client.get(REGISTER).status_code == 200
    page = client.get(reverse("risk_detail", args=[SLUG, "R1"])).text
    assert "Ny vurdering" not in page
    assert "Rediger risikoen" not in page


def grow(plan, times: int) -> None:
    owner = factories.person(name=f"Eier {Person.objects.count()}")
    for _ in range(times):
        activity = factories.activity(plan)
        risk = factories.risk(plan, activity=activity, owner=owner, next_review_on=date(2017, 1, 1))
        risk.rescore(4, 4)
        Mitigation.objects.create(risk=risk, description="Forfalt", due_on=date(2017, 1, 1))


@pytest.mark.parametrize("query", ["", "?band=high&sort=rf_asc", "?s=4&k=4&overdue=on"])
def test_register_query_count_is_constant_for_10x_and_100x_data(client, plan, project_leader, query):
    """Guards N+1 on the latest assessment, owner, activity, mitigations and overdue flags per risk."""
    client.force_login(project_leader)
    grow(plan, 10)
    base = count_queries(client, REGISTER + query)
    grow(plan, 90)
    assert count_queries(client, REGISTER + query) == base
    assert count_queries(client, REGISTER + query, **HTMX) <= base
