"""The root URLconf: each app's pages under the programme's URL, plus login, admin and the health check."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from api.api import api
from common.views import healthz
from portfolio.views import organisation_logo, organisation_theme
from sso import views as sso_views
from workspace.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Before Django's auth URLs, which they replace: login and logout also know single sign-on (sso/).
    path("accounts/login/", sso_views.login, name="login"),
    path("accounts/logout/", sso_views.logout, name="logout"),
    path("accounts/sso/", include("sso.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/login/", sso_views.admin_login),  # refuses the password form too when PASSWORD_LOGIN=0
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("program/<slug:slug>/", include("workspace.urls")),
    path("program/<slug:slug>/", include("portfolio.urls")),
    path("program/<slug:slug>/rapporter/", include("reports.urls")),
    path("program/<slug:slug>/forslag/", include("measures.urls")),
    path("forslag/", include("measures.public_urls")),
    path("tilgjengelighet/", include("accessibility.urls")),
    path("kommune/<slug:organisation>/tema.css", organisation_theme, name="organisation_theme"),
    path("kommune/<slug:organisation>/logo", organisation_logo, name="organisation_logo"),
    path("program/<slug:slug>/risiko/", include("risks.urls")),
    path("program/<slug:slug>/milepaeler/", include("milestones.urls")),
    path("program/<slug:slug>/gevinster/", include("benefits.urls")),
    path("program/<slug:slug>/dokumenter/", include("documents.urls")),
    path("api/v1/", api.urls),
    path("konto/api-nokler/", include("api.urls")),
    path("program/<slug:slug>/", include("backup.urls")),
    path("kalender/", include("calendars.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
