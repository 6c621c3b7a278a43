from django.urls import path

from . import views

urlpatterns = [
    path("", views.revision_reports, name="revision_reports"),
    path("endringer/", views.plan_changes, name="plan_changes"),
    path("<int:pk>/status/", views.revision_report_status, name="revision_report_status"),
    path("<int:pk>/pdf/", views.revision_report_download, name="revision_report_download"),
    path("<int:pk>/html/", views.revision_report_html, name="revision_report_html"),
]
