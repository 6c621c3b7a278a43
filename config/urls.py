"""The root URLconf: each app's pages under the programme's URL, plus login, admin and the health check."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from common.views import healthz
from portfolio.views import organisation_logo, organisation_theme
from workspace.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("program/<slug:slug>/", include("workspace.urls")),
    path("program/<slug:slug>/", include("portfolio.urls")),
    path("program/<slug:slug>/rapporter/", include("reports.urls")),
    path("program/<slug:slug>/forslag/", include("measures.urls")),
    path("forslag/", include("measures.public_urls")),
    path("kommune/<slug:organisation>/tema.css", organisation_theme, name="organisation_theme"),
    path("kommune/<slug:organisation>/logo", organisation_logo, name="organisation_logo"),
    path("program/<slug:slug>/risiko/", include("risks.urls")),
    path("program/<slug:slug>/milepaeler/", include("milestones.urls")),
    path("program/<slug:slug>/gevinster/", include("benefits.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
