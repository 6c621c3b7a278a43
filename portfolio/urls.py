"""The programme core's pages, under the programme's URL (included by config.urls)."""

from django.urls import include, path

from . import import_views, status_views, views

urlpatterns = [
    path("aktiviteter/<str:code>/status/ny/", status_views.report_create, name="status_report_create"),
    path("aktiviteter/<str:code>/status/<int:pk>/", status_views.report_detail, name="status_report_detail"),
    path("aktiviteter/<str:code>/status/<int:pk>/rediger/", status_views.report_edit, name="status_report_edit"),
    path("status/", status_views.status_overview, name="status_overview"),
    path("budsjett/", views.budget, name="budget"),
    path("budsjett/linje/<int:pk>/", views.budget_line, name="budget_line"),
    path("budsjett/linje/<int:pk>/faktisk/", views.budget_line_actual, name="budget_line_actual"),
    path("importer/<int:job_id>/", import_views.import_job, name="import_job"),
    path("importer/<int:job_id>/bekreft/", import_views.import_job_confirm, name="import_job_confirm"),
    path("medlemmer/", include("portfolio.member_urls")),
    path("oppsett/", include("portfolio.setup_urls")),
]
