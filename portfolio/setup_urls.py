"""The project leader's set-up pages of a programme, under /program/<slug>/oppsett/ (included by portfolio.urls)."""

from django.urls import path

from . import setup_views

urlpatterns = [
    path("", setup_views.programme_setup, name="programme_setup"),
    path("program/", setup_views.programme_edit, name="programme_edit"),
    path("fase/ny/", setup_views.phase_create, name="phase_create"),
    path("fase/<int:pk>/", setup_views.phase_edit, name="phase_edit"),
    path("omrade/ny/", setup_views.area_create, name="area_create"),
    path("omrade/<int:pk>/", setup_views.area_edit, name="area_edit"),
    path("person/ny/", setup_views.person_create, name="person_create"),
    path("person/<int:pk>/", setup_views.person_edit, name="person_edit"),
    # «ny» before the code. Codes are stored in capitals, so an activity coded NY is still edited at aktivitet/NY/.
    path("aktivitet/ny/", setup_views.activity_create, name="activity_create"),
    path("aktivitet/<str:code>/", setup_views.activity_edit, name="activity_edit"),
    path("budsjett/ny/", setup_views.budget_line_create, name="budget_line_create"),
    path("budsjett/<int:pk>/", setup_views.budget_line_edit, name="budget_line_edit"),
    path("organisering/ny/", setup_views.membership_create, name="membership_create"),
    path("organisering/<int:pk>/fjern/", setup_views.membership_delete, name="membership_delete"),
]
