"""The workspace's pages, under the programme's URL (included by config.urls)."""

from django.urls import path

from . import agenda_views, views

urlpatterns = [
    path("", views.programme_overview, name="programme"),
    path("aktiviteter/", views.activity_list, name="activity_list"),
    path("aktiviteter/<str:code>/", views.activity_detail, name="activity_detail"),
    # The steering group's agenda sits beside the meetings it is for.
    path("milepaeler/moter/agenda/", agenda_views.agenda, name="meeting_agenda"),
    path("milepaeler/moter/agenda/beslutning/<str:code>/", agenda_views.decide_point, name="agenda_decide_point"),
    path("milepaeler/moter/agenda/forslag/<int:pk>/", agenda_views.decide_proposal, name="agenda_decide_proposal"),
]
