"""The schedule (Gantt per phase from the scheduled months), its editor, and the meeting series."""

import re
from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from milestones.charts import GanttRow, Marker, gantt
from milestones.models import Meeting, MeetingSeries, next_meeting
from portfolio.models import ScheduledMonth
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
SCHEDULE = reverse("schedule", args=[SLUG])
HTMX = {"HTTP_HX_REQUEST": "true"}


def rows_of(html: str) -> dict[str, str]:
    """Activity code → its scheduled months as the chart draws them, for the first (2017) chart."""
    first = html[: html.index("</svg>")]
    return dict(re.findall(r'class="gantt-row" data-label="([^"]+)" data-months="([^"]*)"', first))


def test_gantt_rows_follow_the_seed_schedule(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(SCHEDULE).text
    rows = rows_of(page)
    assert len(rows) == 17
    assert rows["HA01"] == "1 2 3"
    assert rows["HA02"] == " ".join(str(m) for m in range(1, 13))
    assert rows["HA05"] == " ".join(str(m) for m in range(3, 13))
    assert rows["HA17"] == "8 9 10 11 12"
    assert page.count('class="gantt-chart"') == 3  # one chart per phase
    # Markers: MP1–MP3 in 2017, BP2–BP5 in 2017 (BP1 is in December 2016).
    first = page[: page.index("</svg>")]
    assert set(re.findall(r'data-code="((?:MP|BP)\d)"', first)) == {"MP1", "MP2", "MP3", "BP2", "BP3", "BP4", "BP5"}


def test_bars_join_consecutive_months():
    svg = gantt(2017, [GanttRow("HA01", "HA01", {1, 2, 3, 6})], [])
    bars = re.findall(r'class="bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    assert len(bars) == 2  # jan–mar and jun
    assert float(bars[0][1]) > 2 * float(bars[1][1])


@time_machine.travel(date(2017, 6, 2), tick=False)
def test_today_line_and_overdue_markers(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(SCHEDULE).text
    assert page.count('class="today"') == 1  # only in the 2017 chart
    assert "I dag 02.06.2017" in page
    assert 'class="marker overdue" data-code="MP2"' in page  # due 01.06.2017, not achieved
    assert "MP2 Inngått kontrakt sak- og arkivsystem (01.06.2017) – forfalt" in page
    assert 'class="marker" data-code="MP3"' in page


def test_marker_sits_at_the_day_in_its_month():
    svg = gantt(2017, [GanttRow("A", "A", {1}, [Marker(date(2017, 3, 1), "MP9", "x")])], [])
    start_of_march = re.search(r'data-code="MP9"><title>[^<]*</title><polygon points="([\d.]+),', svg).group(1)
    assert float(start_of_march) == 150 + 2 * 44  # LABEL_W + two month columns


def test_project_leader_edits_an_activitys_months_with_htmx(client, plan, project_leader):
    client.force_login(project_leader)
    edit = reverse("schedule_edit", args=[SLUG, "HA01"])
    phase1, phase2 = plan.phases.get(number=1), plan.phases.get(number=2)
    form = client.get(edit, **HTMX)
    assert form["HX-Retarget"] == "#editor"
    assert f'name="m{phase1.pk}_1"' in form.text and "checked" in form.text
    response = client.post(edit, {f"m{phase1.pk}_2": "on", f"m{phase1.pk}_3": "on", f"m{phase2.pk}_1": "on"}, **HTMX)
    assert response.text.lstrip().startswith('<div id="schedule">')
    assert rows_of(response.text)["HA01"] == "2 3"
    months = set(ScheduledMonth.objects.filter(activity__code="HA01").values_list("phase__number", "month"))
    assert months == {(1, 2), (1, 3), (2, 1)}


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
