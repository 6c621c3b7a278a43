"""The two halves of a login through the OpenID Connect provider (404 while SSO is not configured)."""

from django.urls import path

from . import views

urlpatterns = [
    path("start/", views.StartView.as_view(), name="oidc_authentication_init"),
    path("callback/", views.callback, name="oidc_authentication_callback"),
]
