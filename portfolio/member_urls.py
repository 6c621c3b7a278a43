"""The members page, under /program/<slug>/medlemmer/ (included by portfolio.urls)."""

from django.urls import path

from . import member_views

urlpatterns = [
    path("", member_views.programme_members, name="programme_members"),
]
