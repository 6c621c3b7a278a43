from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="milestone_overview"),
    # "ny" before the <code> patterns, so that it is not taken for a code (the forms refuse "ny" as a code).
    path("beslutning/ny/", views.decision_point_create, name="decision_point_create"),
    path("beslutning/<str:code>/", views.decision_record, name="decision_record"),
    path("beslutning/<str:code>/rediger/", views.decision_point_edit, name="decision_point_edit"),
    path("beslutning/<str:code>/utsett/", views.decision_postpone, name="decision_postpone"),
    path("milepael/ny/", views.milestone_create, name="milestone_create"),
    path("milepael/<str:code>/", views.milestone_edit, name="milestone_edit"),
    path("tidsplan/", views.schedule, name="schedule"),
    path("tidsplan/<str:code>/", views.schedule_edit, name="schedule_edit"),
    path("moter/", views.meetings, name="meetings"),
    path("moter/ny-serie/", views.series_add, name="meeting_series_add"),
    path("moter/<int:pk>/", views.meeting_add, name="meeting_add"),
]
