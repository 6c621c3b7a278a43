"""Status reports: who writes them, what the form refuses, the history per activity and the status page."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from portfolio.models import Activity, StatusReport
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

GREEN, YELLOW, RED = "green", "yellow", "red"


def report_data(period_end="2017-03-01", **overrides) -> dict:
    data = {
        "period_end": period_end,
        "overall": YELLOW,
        "comment": "Litt forsinket",
        "scope": GREEN,
        "scope_comment": "",
        "time": RED,
        "time_comment": "Leverandøren er tre uker sent ute",
        "cost": GREEN,
        "cost_comment": "",
        "risk": YELLOW,
        "risk_comment": "",
        "achievements": "Kravspesifikasjon ferdig",
        "next_steps": "Kontraktsmøte",
    }
    return {**data, **overrides}


def make_report(activity, period_end, author=None, **statuses) -> StatusReport:
    values = {name: statuses.get(name, GREEN) for name in StatusReport.DIMENSIONS}
    return StatusReport.objects.create(activity=activity, period_end=period_end, author=author, **values)


@pytest.fixture
def ha01(plan) -> Activity:
    return plan.activities.get(code="HA01")


def create_url(activity) -> str:
    return reverse("status_report_create", args=[activity.programme.slug, activity.code])


def detail_url(report) -> str:
    return reverse("status_report_detail", args=[report.activity.programme.slug, report.activity.code, report.pk])


def edit_url(report) -> str:
    return reverse("status_report_edit", args=[report.activity.programme.slug, report.activity.code, report.pk])


@pytest.fixture
def responsible_member(project_member, ha01):
    """The demo project-group user, made responsible for HA01 through a Person record."""
    person = factories.person(name="Prosjekt Medlem", user=project_member, email="pm@example.no")
    ha01.responsible = person
    ha01.save()
    return project_member


def test_leader_submits_a_report_and_it_shows_in_the_activity_history(client, project_leader, ha01):
    client.force_login(project_leader)
    response = client.post(create_url(ha01), report_data())
    report = StatusReport.objects.get(activity=ha01)
    assert response.status_code == 302
    assert response.url == detail_url(report)
    assert report.author == project_leader
    assert (report.overall, report.time, report.time_comment) == (YELLOW, RED, "Leverandøren er tre uker sent ute")
    url = reverse("activity_detail", args=[ha01.programme.slug, ha01.code])
    page = client.get(url, {"fane": "status"}).content.decode()
    assert "Status per 01.03.2017" in page
    assert "Leverandøren er tre uker sent ute" in page
    # Each badge carries its status as text, not only as colour.
    assert '<span class="badge rag-red">Rød</span>' in page


def test_responsible_and_working_group_may_write_but_not_others(
    client, responsible_member, steering_member, project_leader, ha01, plan
):
    client.force_login(responsible_member)
    assert client.post(create_url(ha01), report_data()).status_code == 302
    other = plan.activities.get(code="HA02")
    assert client.get(create_url(other)).status_code == 403
    other.working_group.add(responsible_member.people.get())
    assert client.get(create_url(other)).status_code == 200
    client.force_login(steering_member)
    assert client.get(create_url(ha01)).status_code == 403
    assert client.post(create_url(ha01), report_data("2017-03-02")).status_code == 403
    assert client.get(detail_url(StatusReport.objects.get(activity=ha01))).status_code == 200
    assert StatusReport.objects.filter(activity=ha01).count() == 1


def test_staff_and_outsiders_cannot_read_status(client, staff, outsider, ha01):
    report = make_report(ha01, date(2017, 3, 1))
    # Staff are members without reading rights (403); a user with no role in the programme gets 404.
    for user, status in ((staff, 403), (outsider, 404)):
        client.force_login(user)
        assert client.get(detail_url(report)).status_code == status
        assert client.get(reverse("status_overview", args=[ha01.programme.slug])).status_code == status


def test_new_report_form_starts_from_previous_statuses_and_today(client, project_leader, ha01):
    make_report(ha01, date(2017, 2, 1), overall=RED, scope=YELLOW)
    client.force_login(project_leader)
    with time_machine.travel(date(2017, 2, 15)):
        form = client.get(create_url(ha01)).context["form"]
    assert form.initial["overall"] == RED
    assert form.initial["scope"] == YELLOW
    assert form.initial["time"] == GREEN
    assert form.initial["period_end"] == date(2017, 2, 15)


def test_second_report_for_same_period_is_refused_in_norwegian(client, project_leader, ha01):
    make_report(ha01, date(2017, 3, 1))
    client.force_login(project_leader)
    response = client.post(create_url(ha01), report_data("2017-03-01"))
    assert response.status_code == 422
    assert "HA01 har allerede en statusrapport per 01.03.2017" in response.content.decode()
    assert StatusReport.objects.filter(activity=ha01).count() == 1


@pytest.mark.parametrize(
    "period_end, message",
    [
        ("2016-10-31", "Datoen må ligge i programperioden, 01.11.2016–01.11.2019."),
        ("2019-11-02", "Datoen må ligge i programperioden, 01.11.2016–01.11.2019."),
        ("2019-11-21", "En statusrapport kan ikke gjelde en dato fram i tid."),
        ("1. mars", "Skriv datoen som dd.mm.åååå."),
    ],
)
def test_bad_period_end_is_refused(client, project_leader, ha01, period_end, message):
    client.force_login(project_leader)
    with time_machine.travel(date(2019, 11, 20)):
        response = client.post(create_url(ha01), report_data(period_end))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not StatusReport.objects.exists()


def test_every_dimension_must_be_given(client, project_leader, ha01):
    client.force_login(project_leader)
    data = report_data()
    del data["cost"]
    data["risk"] = "purple"
    response = client.post(create_url(ha01), data)
    assert response.status_code == 422
    assert response.content.decode().count("Velg grønn, gul eller rød.") == 2
    assert not StatusReport.objects.exists()


def test_the_activitys_people_and_the_leader_edit_others_may_not(
    client, responsible_member, project_leader, steering_member, ha01
):
    report = make_report(ha01, date(2017, 3, 1), author=project_leader)
    client.force_login(responsible_member)  # not the author, but responsible for the activity
    response = client.post(edit_url(report), report_data("2017-03-01", overall=RED, version=report.version))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.overall, report.version) == (RED, 2)
    client.force_login(project_leader)
    assert client.get(edit_url(report)).status_code == 200
    client.force_login(steering_member)
    assert client.get(edit_url(report)).status_code == 403
    ha01.responsible = None
    ha01.save()
    client.force_login(responsible_member)  # no longer on the activity: no longer edits its reports
    assert client.get(edit_url(report)).status_code == 403


def test_editing_a_report_changed_meanwhile_is_refused(client, project_leader, ha01):
    report = make_report(ha01, date(2017, 3, 1), author=project_leader, overall=GREEN)
    client.force_login(project_leader)
    assert client.post(edit_url(report), report_data("2017-03-01", overall=YELLOW, version=1)).status_code == 302
    response = client.post(edit_url(report), report_data("2017-03-01", overall=RED, version=1))
    assert response.status_code == 409
    assert "Noen andre har endret dette mens du redigerte" in response.content.decode()
    assert response.context["form"].initial["overall"] == YELLOW  # the form starts again from the stored version
    report.refresh_from_db()
    assert report.overall == YELLOW


def test_detail_shows_report_and_older_reports_newest_first(client, steering_member, ha01):
    old = make_report(ha01, date(2017, 2, 1), overall=GREEN)
    old.achievements = "Prosjektplan vedtatt"
    old.save()
    middle = make_report(ha01, date(2017, 2, 15), overall=YELLOW)
    new = make_report(ha01, date(2017, 3, 1), overall=RED)
    client.force_login(steering_member)
    page = client.get(detail_url(new)).content.decode()
    assert "Statusrapport HA01 per 01.03.2017" in page
    assert page.index("Status per 15.02.2017") < page.index("Status per 01.02.2017")
    assert "Prosjektplan vedtatt" in page
    assert detail_url(middle) in page
    assert "Endringshistorikk" in page  # the steering group sees the audit history


def test_due_date_follows_latest_report_or_activity_start(plan, ha01):
    # HA01 is first scheduled in January 2017: its first report is due one interval later.
    assert ha01.status_report_due_on == date(2017, 1, 15)
    make_report(ha01, date(2017, 3, 1))
    assert Activity.objects.get(pk=ha01.pk).status_report_due_on == date(2017, 3, 15)
    plan.status_report_interval_days = 28
    plan.save()
    annotated = plan.activities.with_status_dates().get(pk=ha01.pk)
    assert annotated.status_report_due_on == date(2017, 3, 29)
    unscheduled = factories.activity(plan)
    assert unscheduled.status_report_due_on == plan.start_date + timedelta(days=28)


def test_status_page_lists_latest_report_due_date_and_overdue(client, steering_member, plan, ha01):
    make_report(ha01, date(2017, 2, 1), overall=GREEN)
    make_report(ha01, date(2017, 3, 1), overall=RED, scope=YELLOW)
    client.force_login(steering_member)
    with time_machine.travel(date(2017, 3, 20)):
        response = client.get(reverse("status_overview", args=[plan.slug]))
    page = response.content.decode()
    rows = {row["activity"].code: row for row in response.context["rows"]}
    assert rows["HA01"]["report"].period_end == date(2017, 3, 1)
    assert rows["HA01"]["due_on"] == date(2017, 3, 15)
    assert rows["HA01"]["overdue"]
    assert rows["HA17"]["due_on"] == date(2017, 8, 15)  # first scheduled in August
    assert not rows["HA17"]["overdue"]
    assert '<span class="badge rag-red">Rød</span>' in page
    assert "forfalt" in page
    assert "Skriv rapport" not in page  # the steering group reads


def test_status_page_query_count_is_constant(client, project_leader, plan):
    client.force_login(project_leader)
    url = reverse("status_overview", args=[plan.slug])
    counts = []
    for size in (1, 5, 15):
        for activity in plan.activities.all()[:size]:
            make_report(activity, date(2017, 1, 1) + timedelta(days=size), overall=RED)
        factories.activity(plan)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1] == counts[2], counts
