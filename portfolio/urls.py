from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import status_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("program/<slug:slug>/", views.programme_overview, name="programme"),
    path("program/<slug:slug>/aktiviteter/", views.activity_list, name="activity_list"),
    path("program/<slug:slug>/aktiviteter/<str:code>/", views.activity_detail, name="activity_detail"),
    path(
        "program/<slug:slug>/aktiviteter/<str:code>/status/ny/", status_views.report_create, name="status_report_create"
    ),
    path(
        "program/<slug:slug>/aktiviteter/<str:code>/status/<int:pk>/",
        status_views.report_detail,
        name="status_report_detail",
    ),
    path(
        "program/<slug:slug>/aktiviteter/<str:code>/status/<int:pk>/rediger/",
        status_views.report_edit,
        name="status_report_edit",
    ),
    path("program/<slug:slug>/status/", status_views.status_overview, name="status_overview"),
    path("program/<slug:slug>/budsjett/", views.budget, name="budget"),
    path("program/<slug:slug>/budsjett/linje/<int:pk>/", views.budget_line, name="budget_line"),
    path("program/<slug:slug>/budsjett/linje/<int:pk>/faktisk/", views.budget_line_actual, name="budget_line_actual"),
    path("program/<slug:slug>/rapporter/", views.revision_reports, name="revision_reports"),
    path("program/<slug:slug>/rapporter/endringer/", views.plan_changes, name="plan_changes"),
    path("program/<slug:slug>/rapporter/<int:pk>/status/", views.revision_report_status, name="revision_report_status"),
    path(
        "program/<slug:slug>/rapporter/<int:pk>/pdf/", views.revision_report_download, name="revision_report_download"
    ),
    path("program/<slug:slug>/forslag/", include("measures.urls")),
    path("forslag/", include("measures.public_urls")),
    path("program/<slug:slug>/risiko/", include("risks.urls")),
    path("program/<slug:slug>/milepaeler/", include("milestones.urls")),
    path("program/<slug:slug>/gevinster/", include("benefits.urls")),
]

admin.site.site_header = "Portefølje – administrasjon"
admin.site.site_title = "Portefølje"
admin.site.index_title = "Administrasjon"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
