"""Public pages without login: mounted at /tilgjengelighet/ by config/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.accessibility_statement, name="accessibility_statement"),
    path("takk/", views.accessibility_thanks, name="accessibility_thanks"),
]
