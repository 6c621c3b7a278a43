"""The iCalendar (RFC 5545) feed of one user: what is coming up in the programmes they read.

`build_feed(user, link)` holds, for every programme where the user has a reader role (Prosjektleder,
Styringsgruppe, Prosjektgruppe: the people who read its meetings, decision points and milestones, docs/roles.md):

- the meeting series, each as one recurring event (RRULE, from its first date every `interval_days` days to the
  programme's end), and the meetings that were held off the series' dates;
- the decision points and the milestones;
- the user's own due dates: the next status report of each activity they are responsible for (the date the
  dashboard and the reminder e-mails use, `Activity.status_report_due_on`), and the next measurement of each
  active benefit they own (`Benefit.next_measurement_due`, as the measurement reminders).

"Own" means through the user's Person records (`Person.user`). Every date in the plan is a day without a time of
day, so every event is an all-day event (DTSTART;VALUE=DATE): no conversion can move it to another day. The
calendar still names its time zone, Europe/Oslo (a VTIMEZONE and X-WR-TIMEZONE), so that clients place the days
in Norwegian time. The number of queries does not depend on how many programmes or objects there are.
"""

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from benefits.models import Benefit
from milestones.models import DecisionPoint, Meeting, MeetingSeries, Milestone
from portfolio.access import readable_programme_ids
from portfolio.models import Activity

TIME_ZONE = "Europe/Oslo"
PRODID = "-//Portefølje//Kalender//NO"
REFRESH = timedelta(hours=1)  # how often clients that honour REFRESH-INTERVAL / X-PUBLISHED-TTL fetch again


@cache
def oslo_timezone() -> Timezone:
    """The VTIMEZONE of Europe/Oslo from the tz database (built once per process: it is the same every time)."""
    return Timezone.from_tzid(TIME_ZONE, first_date=date(1990, 1, 1), last_date=date(2070, 1, 1))


def uid(kind: str, pk: int) -> str:
    """A UID that stays the same while the object lives: its kind and database id at this installation's host."""
    host = urlsplit(settings.SITE_URL or "").hostname or "portefolje"
    return f"{kind}-{pk}@{host}"


def _event(*, kind: str, pk: int, day: date, summary: str, description: str, url: str, category: str, stamp) -> Event:
    event = Event.new(
        uid=uid(kind, pk),
        stamp=stamp,
        start=day,
        end=day + timedelta(days=1),
        summary=summary,
        description=description,
        url=url,
    )
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")  # a deadline or a decision date does not make the day busy
    return event


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def on_schedule(series: MeetingSeries, day: date) -> bool:
    """Is `day` one of the series' planned dates (which the recurring event already shows)?"""
    offset = (day - series.first_date).days
    return series.active and offset >= 0 and offset % series.interval_days == 0 and day <= series.programme.end_date


def build_feed(user, link: Callable[[str], str]) -> bytes:
    """The user's calendar as iCalendar bytes; `link(path)` makes an absolute address of a path."""
    stamp = timezone.now()
    programmes = readable_programme_ids(user) if user.is_active else set()
    calendar = Calendar.new(
        prodid=PRODID,
        name=_("Portefølje – %(user)s") % {"user": user.get_full_name() or user.username},
        description=_("Møter, beslutningspunkter, milepæler og dine frister i programmene du har en rolle i."),
        refresh_interval=REFRESH,
        uid=uid("kalender", user.pk),
    )
    calendar.add("x-wr-timezone", TIME_ZONE)
    calendar.add("x-published-ttl", "PT1H")  # Outlook's name for REFRESH-INTERVAL (REFRESH)
    calendar.add_component(oslo_timezone())
    for event in _events(user, programmes, link, stamp):
        calendar.add_component(event)
    return calendar.to_ical()


def _events(user, programmes: set[int], link, stamp):
    yield from _meeting_events(programmes, link, stamp)
    for point in DecisionPoint.objects.filter(programme_id__in=programmes).select_related("programme"):
        yield _event(
            kind="beslutningspunkt",
            pk=point.pk,
            day=point.date,
            summary=_("Beslutningspunkt %(code)s: %(title)s") % {"code": point.code, "title": point.title},
            description=_lines(
                point.programme.name,
                _("Forum: %(forum)s") % {"forum": point.forum} if point.forum else "",
                _("Status: %(status)s") % {"status": point.get_status_display()},
            ),
            url=link(reverse("milestone_overview", args=[point.programme.slug])),
            category=point.programme.name,
            stamp=stamp,
        )
    for milestone in Milestone.objects.filter(programme_id__in=programmes).select_related("programme", "activity"):
        yield _event(
            kind="milepael",
            pk=milestone.pk,
            day=milestone.planned_date,
            summary=_("Milepæl %(code)s: %(title)s") % {"code": milestone.code, "title": milestone.title},
            description=_lines(
                milestone.programme.name,
                str(milestone.activity) if milestone.activity_id else "",
                _("Status: %(status)s") % {"status": milestone.get_status_display()},
            ),
            url=link(reverse("milestone_overview", args=[milestone.programme.slug])),
            category=milestone.programme.name,
            stamp=stamp,
        )
    yield from _own_due_dates(user, programmes, link, stamp)


def _meeting_events(programmes: set[int], link, stamp):
    all_series = list(MeetingSeries.objects.filter(programme_id__in=programmes).select_related("programme"))
    by_id = {series.pk: series for series in all_series}
    for series in all_series:
        if not series.active or series.first_date > series.programme.end_date:
            continue  # a stopped series plans nothing; its held meetings are still shown below
        event = _event(
            kind="moteserie",
            pk=series.pk,
            day=series.first_date,
            summary=series.name,
            description=_lines(series.programme.name, series.participants),
            url=link(reverse("meetings", args=[series.programme.slug])),
            category=series.programme.name,
            stamp=stamp,
        )
        event.add("rrule", {"freq": "daily", "interval": series.interval_days, "until": series.programme.end_date})
        event["transp"] = "OPAQUE"  # a meeting takes the day's time
        yield event
    held = Meeting.objects.filter(series__programme_id__in=programmes).only("pk", "series_id", "held_on")
    for meeting in held:
        series = by_id[meeting.series_id]
        if on_schedule(series, meeting.held_on):
            continue  # the recurring event already has this day
        event = _event(
            kind="mote",
            pk=meeting.pk,
            day=meeting.held_on,
            summary=series.name,
            description=_lines(series.programme.name, series.participants),
            url=link(reverse("meetings", args=[series.programme.slug])),
            category=series.programme.name,
            stamp=stamp,
        )
        event["transp"] = "OPAQUE"
        yield event


def _own_due_dates(user, programmes: set[int], link, stamp):
    activities = (
        Activity.objects.filter(programme_id__in=programmes, responsible__user=user)
        .with_status_dates()
        .select_related("programme")
        .order_by("programme_id", "code")
    )
    for activity in activities:
        due = activity.status_report_due_on
        if due > activity.programme.end_date:
            continue  # no report is due after the programme has ended
        yield _event(
            kind="statusrapport",
            pk=activity.pk,
            day=due,
            summary=_("Frist for statusrapport: %(activity)s") % {"activity": activity},
            description=_lines(
                activity.programme.name,
                _("Din neste statusrapport for %(code)s skal leveres denne dagen.") % {"code": activity.code},
            ),
            url=link(reverse("status_report_create", args=[activity.programme.slug, activity.code])),
            category=activity.programme.name,
            stamp=stamp,
        )
    benefits = (
        Benefit.objects.filter(plan__programme_id__in=programmes, owner__user=user, frequency_months__isnull=False)
        .active()
        .with_latest()
        .select_related("plan__programme")
        .order_by("plan__programme_id", "plan__code", "id")
    )
    for benefit in benefits:
        due = benefit.next_measurement_due
        if due is None:
            continue  # neither a baseline date nor a measurement to count from
        programme = benefit.plan.programme
        yield _event(
            kind="gevinstmaling",
            pk=benefit.pk,
            day=due,
            summary=_("Frist for gevinstmåling: %(indicator)s") % {"indicator": benefit.indicator},
            description=_lines(
                programme.name,
                _("Plan %(code)s: %(title)s") % {"code": benefit.plan.code, "title": benefit.plan.title},
                _("Neste måling av gevinsten du eier skal gjøres denne dagen."),
            ),
            url=link(reverse("benefit_detail", args=[programme.slug, benefit.plan.code, benefit.pk])),
            category=programme.name,
            stamp=stamp,
        )
