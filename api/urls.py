from django.urls import path

from . import views

urlpatterns = [
    path("", views.tokens, name="api_tokens"),
    path("<int:pk>/trekk-tilbake/", views.revoke, name="api_token_revoke"),
]
