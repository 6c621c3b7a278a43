"""The workbook of the whole plan, under the programme's URL (included by config.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("plan.xlsx", views.programme_workbook, name="programme_workbook"),
]
