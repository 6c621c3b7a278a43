"""The personal calendar feed: valid iCalendar with the user's meetings, decision points, milestones and own
due dates, in Europe/Oslo; revocable; scoped to the programmes the user reads; a constant number of queries."""

from datetime import date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from benefits.models import Benefit, BenefitMeasurement, add_months
from calendars.models import CalendarFeed
from milestones.models import Meeting, MeetingSeries
from portfolio.models import OrganisationMember, StatusReport
from portfolio.roles import PROJECT_GROUP, PROJECT_LEADER, STAFF, STEERING_GROUP
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    feed = CalendarFeed.objects.filter(user=user).first() or CalendarFeed.renew(user)
    return reverse("calendar_feed_ics", args=[feed.token])


def fetch(client, user) -> Calendar:
    response = client.get(feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def summaries(calendar: Calendar) -> dict[str, object]:
    """Each event's summary → its start (a date for all-day events)."""
    return {str(event["SUMMARY"]): event.decoded("DTSTART") for event in calendar.walk("VEVENT")}


@pytest.fixture
def member(plan, project_member):
    """The demo project-group member, responsible for HA03 and owner of a benefit measured every 3 months."""
    person = factories.person(name="Prosjekt Demo", user=project_member)
    activity = plan.activities.get(code="HA03")
    activity.responsible = person
    activity.save()
    benefit_plan = factories.benefit_plan(plan, activity, benefits=1)
    benefit = benefit_plan.benefits.get()
    benefit.owner, benefit.frequency_months, benefit.baseline_date = person, 3, date(2018, 1, 31)
    benefit.indicator = "Ventetid i resepsjonen"
    benefit.save()
    return project_member


def test_the_feed_is_valid_icalendar_in_europe_oslo(client, plan, project_leader):
    calendar = fetch(client, project_leader)
    calendar.validate()  # VERSION and PRODID are there
    assert str(calendar["VERSION"]) == "2.0" and "Portefølje" in str(calendar["PRODID"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Oslo"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Oslo"
    # The VTIMEZONE's own rules (not a lookup by name) give Norwegian summer and winter time.
    oslo = zone.to_tz(lookup_tzid=False)
    assert datetime(2026, 7, 1, 12, tzinfo=oslo).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 1, 15, 12, tzinfo=oslo).utcoffset() == timedelta(hours=1)
    events = calendar.walk("VEVENT")
    assert events
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        # All-day: a DATE, never a datetime that a time zone could move to another day.
        start = event.decoded("DTSTART")
        assert type(start) is date and event.decoded("DTEND") == start + timedelta(days=1)
        stamp = event.decoded("DTSTAMP")
        assert stamp.utcoffset() == timedelta(0)  # DTSTAMP in UTC, as RFC 5545 requires
    assert b"DTSTART;VALUE=DATE:" in client.get(feed_url(project_leader)).content


def test_meetings_decision_points_and_milestones_fall_on_their_days(client, plan, project_leader):
    point = plan.decision_points.order_by("date").first()
    milestone = plan.milestones.order_by("planned_date").first()
    series = MeetingSeries.objects.filter(programme=plan, active=True).order_by("name").first()
    off_schedule = Meeting.objects.create(series=series, held_on=series.first_date + timedelta(days=3))
    on_schedule = Meeting.objects.create(
        series=series, held_on=series.first_date + timedelta(days=series.interval_days)
    )
    calendar = fetch(client, project_leader)
    by_summary = summaries(calendar)
    assert by_summary[f"Beslutningspunkt {point.code}: {point.title}"] == point.date
    assert by_summary[f"Milepæl {milestone.code}: {milestone.title}"] == milestone.planned_date
    recurring = [e for e in calendar.walk("VEVENT") if "RRULE" in e and str(e["SUMMARY"]) == series.name]
    assert len(recurring) == 1
    rule = recurring[0]["RRULE"]
    assert rule["FREQ"] == ["DAILY"] and rule["INTERVAL"] == [series.interval_days]
    assert rule["UNTIL"] == [plan.end_date]
    assert recurring[0].decoded("DTSTART") == series.first_date
    held = [e for e in calendar.walk("VEVENT") if "RRULE" not in e and str(e["SUMMARY"]) == series.name]
    # The meeting held off the series' dates is an event of its own; the one on a planned date is not repeated.
    assert [e.decoded("DTSTART") for e in held] == [off_schedule.held_on]
    assert on_schedule.held_on not in [e.decoded("DTSTART") for e in held]


def test_uids_stay_the_same_from_one_fetch_to_the_next(client, plan, project_leader):
    first = {str(e["SUMMARY"]): str(e["UID"]) for e in fetch(client, project_leader).walk("VEVENT")}
    point = plan.decision_points.order_by("date").first()
    point.postpone(point.date + timedelta(days=30))
    second = {str(e["SUMMARY"]): str(e["UID"]) for e in fetch(client, project_leader).walk("VEVENT")}
    assert first == second


def test_the_users_own_status_report_and_measurement_due_dates(client, plan, member, project_leader):
    activity = plan.activities.get(code="HA03")
    calendar = summaries(fetch(client, member))
    status_title = f"Frist for statusrapport: {activity}"
    assert calendar[status_title] == activity.status_report_due_on  # the dashboard's and the reminders' date
    assert calendar["Frist for gevinstmåling: Ventetid i resepsjonen"] == date(2018, 4, 30)
    assert not [s for s in calendar if s.startswith("Frist for statusrapport") and s != status_title]
    # Someone else's due dates are not in the project leader's calendar.
    assert not [s for s in summaries(fetch(client, project_leader)) if s.startswith("Frist")]

    # A report and a measurement move the due dates forward.
    StatusReport.objects.create(
        activity=activity,
        period_end=date(2018, 3, 1),
        overall="green",
        scope="green",
        time="green",
        cost="green",
        risk="green",
    )
    benefit = Benefit.objects.get(indicator="Ventetid i resepsjonen")
    BenefitMeasurement.objects.create(benefit=benefit, measured_on=date(2018, 5, 15), value=7)
    calendar = summaries(fetch(client, member))
    assert calendar[status_title] == date(2018, 3, 1) + timedelta(days=plan.status_report_interval_days)
    assert calendar["Frist for gevinstmåling: Ventetid i resepsjonen"] == add_months(date(2018, 5, 15), 3)

    # A realised benefit needs no more measurements.
    benefit.status = Benefit.Status.REALISED
    benefit.save()
    assert "Frist for gevinstmåling: Ventetid i resepsjonen" not in summaries(fetch(client, member))


def test_a_renewed_address_replaces_the_old_and_a_deleted_one_is_gone(client, project_leader):
    client.force_login(project_leader)
    page = reverse("calendar_feed")
    assert client.post(page, {"action": "ny"}).status_code == 302
    old = reverse("calendar_feed_ics", args=[CalendarFeed.objects.get(user=project_leader).token])
    assert old in client.get(page).text
    assert client.get(old).status_code == 200
    client.post(page, {"action": "ny"})
    new = reverse("calendar_feed_ics", args=[CalendarFeed.objects.get(user=project_leader).token])
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    response = client.post(page, {"action": "slett"}, follow=True)
    assert "Kalenderadressen er slettet" in response.text and new not in response.text
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.filter(user=project_leader).exists()


def test_an_unknown_action_changes_nothing(client, project_leader):
    client.force_login(project_leader)
    response = client.post(reverse("calendar_feed"), {"action": "hack"})
    assert response.status_code == 400 and "Velg om du vil" in response.text
    assert not CalendarFeed.objects.exists()


def test_the_page_needs_a_login(client):
    response = client.get(reverse("calendar_feed"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.post(reverse("calendar_feed"), {"action": "ny"})
    assert not CalendarFeed.objects.exists()


def test_a_deactivated_users_feed_is_gone(client, project_leader):
    url = feed_url(project_leader)
    project_leader.is_active = False
    project_leader.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "a.b",
        "..",
        "x" * 5000,
        "æøå.ÆØÅ",
        "%00",
        "null",
        "a" * 43 + "." + "b" * 43,
    ],
)
def test_bad_tokens_are_404_never_500(client, project_leader, token):
    CalendarFeed.renew(project_leader)
    assert client.get(f"/kalender/{quote(token)}.ics").status_code == 404


def test_a_key_without_its_signature_or_signed_for_something_else_is_404(client, project_leader):
    feed = CalendarFeed.renew(project_leader)
    key, signature = feed.token.rsplit(".", 1)
    for token in (
        key,  # the database's value alone opens nothing
        f"{key}.{signature[:-2]}xx",
        signing.Signer(sep=".").sign(key),  # signed without the feed's salt
        f"{key}.{signature}".upper(),
    ):
        assert client.get(reverse("calendar_feed_ics", args=[token])).status_code == 404, token
    assert client.post(reverse("calendar_feed_ics", args=[feed.token])).status_code == 405


def _other_programme(organisation, marker: str):
    programme = factories.programme(organisation=organisation, name=f"Program {marker}")
    activity = factories.activity(programme, name=f"Aktivitet {marker}")
    factories.milestone(programme, title=f"Milepæl {marker}", activity=activity)
    factories.decision_point(programme, title=f"Beslutning {marker}")
    MeetingSeries.objects.create(
        programme=programme, name=f"Møte {marker}", first_date=programme.start_date, interval_days=14
    )
    return programme, activity


def test_nothing_of_a_programme_without_a_reader_role(client, plan, member, project_leader):
    """Another programme of the same municipality and one of another: nothing of theirs, even where the user is
    responsible for an activity there, unless they hold a reader role in it; staff (Ansatt) reads nothing."""
    same, same_activity = _other_programme(plan.organisation, "NORDRE-HEMMELIG")
    other_org = factories.organisation(name="Søndre Land kommune", slug="sondre-land")
    far, far_activity = _other_programme(other_org, "SONDRE-HEMMELIG")
    # The member is responsible there through their Person records, but holds no role (or only staff).
    same_activity.responsible = member.people.get()
    same_activity.save()
    far_activity.responsible = factories.person(organisation=other_org, name="Prosjekt Sør", user=member)
    far_activity.save()
    factories.grant(member, far, STAFF)
    OrganisationMember.objects.create(user=member, organisation=plan.organisation)

    body = client.get(feed_url(member)).content.decode()
    assert "HEMMELIG" not in body and "Program " not in body
    assert plan.name in body

    # A reader role in Søndre Land's programme brings it in, and only it.
    factories.grant(member, far, PROJECT_GROUP)
    body = client.get(feed_url(member)).content.decode()
    assert "SONDRE-HEMMELIG" in body and "NORDRE-HEMMELIG" not in body
    assert f"Frist for statusrapport: {far_activity}" in summaries(Calendar.from_ical(body.encode()))

    # A staff member of the plan's organisation with no other role sees nothing at all.
    staff_only = get_user_model().objects.create_user("bare-ansatt", password="x")
    OrganisationMember.objects.create(user=staff_only, organisation=plan.organisation)
    assert fetch(client, staff_only).walk("VEVENT") == []


def test_the_steering_group_and_the_project_leader_see_the_same_programme_items(client, plan, steering_member):
    leader = get_user_model().objects.get(username="leder")
    assert set(summaries(fetch(client, steering_member))) == set(summaries(fetch(client, leader)))


def test_the_page_lists_the_programmes_in_the_calendar(client, plan, staff, project_leader):
    client.force_login(staff)
    assert plan.name not in client.get(reverse("calendar_feed")).text
    client.force_login(project_leader)
    assert plan.name in client.get(reverse("calendar_feed")).text


def test_the_query_count_does_not_grow_with_the_data(client, plan, member):
    url = feed_url(member)
    base = count_queries(client, url)
    for n in range(5):
        activity = factories.activity(plan, responsible=member.people.get())
        factories.milestone(plan, activity=activity)
        factories.decision_point(plan)
        series = MeetingSeries.objects.create(
            programme=plan, name=f"Serie {n}", first_date=plan.start_date, interval_days=7
        )
        Meeting.objects.create(series=series, held_on=plan.start_date + timedelta(days=3))
        benefit_plan = factories.benefit_plan(plan, activity, benefits=2)
        benefit_plan.benefits.update(owner=member.people.get(), frequency_months=6, baseline_date=plan.start_date)
        other, _activity = _other_programme(plan.organisation, f"VOKST-{n}")
        factories.grant(member, other, STEERING_GROUP if n % 2 else PROJECT_LEADER)
    grown = client.get(url).content.decode()
    assert "VOKST-4" in grown and "Serie 4" in grown
    assert count_queries(client, url) == base


def test_a_removed_role_leaves_the_calendar_at_the_next_fetch(client, plan, project_leader):
    other, _activity = _other_programme(factories.organisation(), "FJERNES")
    factories.grant(project_leader, other, STEERING_GROUP)
    url = feed_url(project_leader)
    assert "FJERNES" in client.get(url).content.decode()
    other.roles.filter(user=project_leader).delete()
    assert "FJERNES" not in client.get(url).content.decode()


def test_the_page_runs_a_fixed_number_of_queries(client, plan, project_leader):
    """Guards a query per programme in the page's list of programmes in the calendar."""
    client.force_login(project_leader)
    CalendarFeed.renew(project_leader)
    url = reverse("calendar_feed")
    base = count_queries(client, url)
    for n in range(5):
        other, _activity = _other_programme(factories.organisation(), f"SIDE-{n}")
        factories.grant(project_leader, other, PROJECT_LEADER)
    assert "SIDE-4" in client.get(url).text
    assert count_queries(client, url) == base
