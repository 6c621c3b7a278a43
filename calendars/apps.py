from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Personal, revocable calendar feeds (iCalendar) of meetings, decision points and due dates."""

    name = "calendars"
    verbose_name = _("Kalendere")
