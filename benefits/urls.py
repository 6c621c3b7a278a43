from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="benefit_overview"),
    path("import/", views.import_view, name="benefit_import"),
    path("eksport/<str:kind>.<str:file_format>", views.export, name="benefit_export"),
    path("plan/ny/", views.plan_create, name="benefit_plan_create"),
    path("plan/<str:code>/", views.plan_detail, name="benefit_plan"),
    path("plan/<str:code>/rediger/", views.plan_edit, name="benefit_plan_edit"),
    path("plan/<str:code>/gevinst/ny/", views.benefit_edit, name="benefit_create"),
    path("plan/<str:code>/gevinst/<int:pk>/rediger/", views.benefit_edit, name="benefit_edit"),
    path("plan/<str:code>/kontantstrom/", views.save_cash_flow, name="benefit_cash_flow"),
    path("plan/<str:code>/gevinst/<int:pk>/", views.benefit_detail, name="benefit_detail"),
    path("plan/<str:code>/gevinst/<int:pk>/maling/", views.record_measurement, name="benefit_measure"),
    path(
        "plan/<str:code>/gevinst/<int:pk>/maling/<int:measurement>/rett/",
        views.measurement_edit,
        name="benefit_measurement_edit",
    ),
    path(
        "plan/<str:code>/gevinst/<int:pk>/maling/<int:measurement>/slett/",
        views.measurement_delete,
        name="benefit_measurement_delete",
    ),
]
