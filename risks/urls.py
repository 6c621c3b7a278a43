from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.register, name="risk_register"),
    path("ny/", views.risk_edit, name="risk_create"),
    re_path(r"^eksport\.(?P<file_format>csv|xlsx)$", views.risk_export, name="risk_export"),
    path("import/", views.risk_import, name="risk_import"),
    path("<str:code>/", views.risk_detail, name="risk_detail"),
    path("<str:code>/rediger/", views.risk_edit, name="risk_edit"),
    path("<str:code>/vurder/", views.risk_rescore, name="risk_rescore"),
    path("<str:code>/tiltak/", views.mitigation_add, name="mitigation_add"),
    path("<str:code>/tiltak/<int:pk>/utfort/", views.mitigation_toggle, name="mitigation_toggle"),
]
