"""The calendar page and the feed (included by config.urls under kalender/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.calendar_feed, name="calendar_feed"),
    path("<str:token>.ics", views.calendar_feed_ics, name="calendar_feed_ics"),
]
