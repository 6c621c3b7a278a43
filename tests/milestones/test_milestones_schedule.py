"""The schedule (one timeline for the programme period from the scheduled months), its editor, and the meeting
series."""

import re
from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from milestones.charts import GanttRow, Marker, gantt, months_between, period_text
from milestones.models import Meeting, MeetingSeries, next_meeting
from portfolio.models import ScheduledMonth
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
SCHEDULE = reverse("schedule", args=[SLUG])
HTMX = {"HTTP_HX_REQUEST": "true"}


def rows_of(html: str) -> dict[str, str]:
    """Activity code → its scheduled months («2017-01 2017-02 …») as the timeline draws them."""
    return dict(re.findall(r'class="gantt-row" data-label="([^"]+)" data-months="([^"]*)"', html))


def months(year: int, numbers) -> str:
    return " ".join(f"{year}-{m:02d}" for m in numbers)


def test_one_timeline_for_the_whole_programme_period(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(SCHEDULE).text
    assert page.count('class="gantt-chart"') == 1  # not one chart per year
    assert "<svg" not in page[page.index('id="schedule"') :]
    rows = rows_of(page)
    assert len(rows) == 17
    assert rows["HA01"] == months(2017, [1, 2, 3])
    assert rows["HA02"].startswith(months(2017, range(1, 13)))
    assert rows["HA05"].startswith(months(2017, range(3, 13)))
    # The programme period 01.11.2016–01.11.2019 as months, with a year header per year.
    assert re.findall(r'class="gantt-year">(\d{4})<', page) == ["2016", "2017", "2018", "2019"]
    assert page.count('class="gantt-month') == 37


def test_every_decision_point_and_milestone_is_marked_bp1_too(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(SCHEDULE).text
    table = page[page.index('class="gantt-chart"') : page.index("</table>")]
    marked = set(re.findall(r'data-code="([^"]+)"', table))
    codes = set(plan.decision_points.values_list("code", flat=True)) | set(
        plan.milestones.values_list("code", flat=True)
    )
    assert codes and codes <= marked
    assert 'data-code="BP1"' in table and "(20.12.2016)" in table  # in December 2016, before the first phase


def test_every_activity_name_is_on_the_timeline_and_in_the_text_alternative(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(SCHEDULE).text
    table = page[page.index('class="gantt-chart"') : page.index("</table>")]
    text = page[page.index('class="schedule-text"') :]
    for code, name in plan.activities.values_list("code", "name"):
        assert f'<th scope="row" class="gantt-name">{code} {escape(name)}</th>' in table
        assert f"<strong>{code} {escape(name)}</strong>" in text
    # The bars carry the activity's code; the text alternative gives periods and marks in words.
    assert re.search(r'<td class="bar"( colspan="\d+")?><span class="bar-label">HA01</span></td>', table)
    assert "<strong>HA01 " in text and "jan 2017–mar 2017" in text
    assert "BP1 " in text and "(20.12.2016)" in text
    assert "Rull sideveis for å se hele tidslinjen." in page


def test_bars_join_consecutive_months_and_marks_get_their_own_month():
    row = GanttRow("HA01", "HA01 Navn", {(2017, m) for m in (1, 2, 3, 6)}, [Marker(date(2017, 2, 10), "MP9", "x")])
    table = gantt(months_between((2017, 1), (2017, 6)), [row], [])
    cells = re.findall(r"<td[^>]*>", table[table.index('class="gantt-row"') :])
    # jan (bar), feb (bar with MP9), mar (bar), apr–mai (empty), jun (bar); the top row is one empty cell.
    assert cells == ['<td class="bar">', '<td class="bar">', '<td class="bar">', '<td colspan="2">', '<td class="bar">']
    assert table.count('<span class="bar-label">HA01</span>') == 2  # jan and jun: each run starts with the code
    assert 'data-code="MP9"' in table


def test_period_text_names_runs_of_months():
    assert period_text({(2016, 11), (2016, 12), (2017, 1), (2017, 6)}) == "nov 2016–jan 2017, jun 2017"
    assert period_text(set()) == ""


@time_machine.travel(date(2017, 6, 2), tick=False)
def test_today_and_overdue_markers(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(SCHEDULE).text
    assert page.count('<th scope="col" class="gantt-month today"') == 1
    assert '<span class="today-label">i dag</span>' in page
    assert 'class="mark overdue" data-code="MP2"' in page  # due 01.06.2017, not achieved
    assert "MP2 Inngått kontrakt sak- og arkivsystem (01.06.2017) – forfalt" in page
    assert 'class="mark" data-code="MP3"' in page


def test_a_window_of_the_timeline_with_fra_and_til(client, plan, project_leader):
    """The seam for large programmes (issue #19): one stretch of the timeline at a time."""
    client.force_login(project_leader)
    page = client.get(SCHEDULE + "?fra=2018-01&til=2018-12").text
    assert re.findall(r'class="gantt-year">(\d{4})<', page) == ["2018"]
    assert page.count('class="gantt-month') == 12
    assert 'data-code="BP1"' not in page[: page.index("</table>")]
    assert "HA01" not in rows_of(page)  # planned only in 2017: no empty row
    assert client.get(SCHEDULE + "?fra=tull").status_code == 200


def test_project_leader_edits_an_activitys_months_with_htmx(client, plan, project_leader):
    client.force_login(project_leader)
    edit = reverse("schedule_edit", args=[SLUG, "HA01"])
    phase1, phase2 = plan.phases.get(number=1), plan.phases.get(number=2)
    form = client.get(edit, **HTMX)
    assert form["HX-Retarget"] == "#editor"
    assert f'name="m{phase1.pk}_1"' in form.text and "checked" in form.text
    response = client.post(edit, {f"m{phase1.pk}_2": "on", f"m{phase1.pk}_3": "on", f"m{phase2.pk}_1": "on"}, **HTMX)
    assert response.text.lstrip().startswith('<div id="schedule">')
    assert rows_of(response.text)["HA01"] == f"{months(2017, [2, 3])} 2018-01"
    stored = set(ScheduledMonth.objects.filter(activity__code="HA01").values_list("phase__number", "month"))
    assert stored == {(1, 2), (1, 3), (2, 1)}


@pytest.mark.parametrize("user_fixture", ["steering_member", "project_member"])
def test_only_the_project_leader_edits_the_schedule(client, plan, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    edit = reverse("schedule_edit", args=[SLUG, "HA01"])
    assert client.get(SCHEDULE).status_code == 200
    assert client.post(edit, {}).status_code == 403
    assert ScheduledMonth.objects.filter(activity__code="HA01").count() == 3
    assert edit not in client.get(SCHEDULE).text


def test_schedule_query_count_is_constant_for_10x_and_100x_data(client, plan, project_leader):
    """Guards scheduled months and milestones per activity, per phase."""
    client.force_login(project_leader)
    phase = plan.phases.first()

    def grow(times):
        for _ in range(times):
            activity = factories.activity(plan)
            factories.schedule(activity, phase, [1, 2, 5])
            factories.milestone(plan, activity=activity)
            factories.decision_point(plan)

    grow(10)
    base = count_queries(client, SCHEDULE)
    grow(90)
    assert count_queries(client, SCHEDULE) == base


@pytest.fixture
def no_meeting_series(plan):
    """setup_demo creates the plan's two series; these tests build their own."""
    MeetingSeries.objects.filter(programme=plan).delete()


@pytest.mark.usefixtures("no_meeting_series")
def test_next_meeting_follows_each_series_interval(plan):
    MeetingSeries.objects.create(programme=plan, name="Møte PL–PA", first_date=date(2017, 1, 9), interval_days=14)
    MeetingSeries.objects.create(
        programme=plan, name="Prosjektgruppemøte", first_date=date(2017, 1, 13), interval_days=21
    )
    MeetingSeries.objects.create(
        programme=plan, name="Nedlagt", first_date=date(2017, 1, 10), interval_days=1, active=False
    )
    series, day = next_meeting(plan, today=date(2017, 1, 10))
    assert (series.name, day) == ("Prosjektgruppemøte", date(2017, 1, 13))
    series, day = next_meeting(plan, today=date(2017, 1, 23))
    assert (series.name, day) == ("Møte PL–PA", date(2017, 1, 23))  # a meeting day itself counts
    assert next_meeting(plan, today=date(2017, 1, 24))[1] == date(2017, 2, 3)  # 13.01 + 21 days
    assert next_meeting(plan, today=date(2019, 12, 1)) is None  # after the programme's end


@time_machine.travel(date(2017, 2, 1), tick=False)
@pytest.mark.usefixtures("no_meeting_series")
def test_project_leader_records_a_held_meeting_with_minutes(client, plan, project_leader, steering_member):
    series = MeetingSeries.objects.create(
        programme=plan, name="Møte PL–PA", first_date=date(2017, 1, 9), interval_days=14
    )
    client.force_login(project_leader)
    page = client.get(reverse("meetings", args=[SLUG])).text
    assert "Neste møte: Møte PL–PA, mandag 06.02.2017." in page
    add = reverse("meeting_add", args=[SLUG, series.pk])
    refused = client.post(add, {f"s{series.pk}-held_on": "03.02.2017", f"s{series.pk}-minutes": ""})
    assert "Et holdt møte kan ikke ha en dato fram i tid." in refused.text and "Skriv referatet." in refused.text
    assert (
        client.post(add, {f"s{series.pk}-held_on": "23.01.2017", f"s{series.pk}-minutes": "Status HA02."}).status_code
        == 302
    )
    meeting = Meeting.objects.get(series=series)
    assert (meeting.held_on, meeting.minutes, meeting.recorded_by) == (
        date(2017, 1, 23),
        "Status HA02.",
        project_leader,
    )
    client.force_login(steering_member)
    assert "Status HA02." in client.get(reverse("meetings", args=[SLUG])).text
    assert client.post(add, {f"s{series.pk}-held_on": "23.01.2017", f"s{series.pk}-minutes": "x"}).status_code == 403


@pytest.mark.usefixtures("no_meeting_series")
def test_project_leader_creates_a_meeting_series(client, plan, project_leader):
    client.force_login(project_leader)
    url = reverse("meeting_series_add", args=[SLUG])
    refused = client.post(url, {"name": "", "first_date": "", "interval_days": "0", "active": "on"})
    assert "Gi møteserien et navn." in refused.text and "Intervallet må være minst 1 dag." in refused.text
    ok = client.post(
        url, {"name": "Prosjektgruppemøte", "first_date": "13.01.2017", "interval_days": "21", "active": "on"}
    )
    assert ok.status_code == 302
    assert MeetingSeries.objects.get(programme=plan).interval_days == 21


@pytest.mark.usefixtures("no_meeting_series")
def test_setup_meetings_creates_the_plans_two_series_once(plan):
    call_command("setup_meetings", SLUG, verbosity=0)
    call_command("setup_meetings", SLUG, verbosity=0)
    series = {s.name: s.interval_days for s in MeetingSeries.objects.filter(programme=plan)}
    assert series == {"Møte PL–PA": 14, "Prosjektgruppemøte": 21}
    with pytest.raises(CommandError, match="Fant ikke programmet"):
        call_command("setup_meetings", "finnes-ikke")


def test_the_activity_list_names_planned_periods_instead_of_month_grids(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(reverse("activity_list", args=[SLUG])).text
    assert 'class="m"' not in page and 'class="m on"' not in page  # no month grids, empty or not
    assert page.count("<table") == 1
    assert "<td>jan 2017–mar 2017</td>" in page  # HA01
    assert f'href="{SCHEDULE}"' in page
