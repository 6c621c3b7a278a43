from django.urls import path

from . import views

urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("nytt/", views.proposal_create, name="proposal_create"),
    path("mine/", views.my_proposals, name="my_proposals"),
    path("moderering/", views.moderation_queue, name="moderation_queue"),
    path("moderering/<int:pk>/", views.moderate, name="moderate"),
    path("prioritering/", views.ranking, name="proposal_ranking"),
    path("runder/", views.round_list, name="round_list"),
    path("runder/<int:year>/", views.round_detail, name="round_detail"),
    path("eksport/", views.export_proposals, name="proposal_export"),
    path("import/", views.import_proposals, name="proposal_import"),
    path("<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/status/", views.proposal_status, name="proposal_status"),
    path("<int:pk>/vurdering/", views.proposal_assess, name="proposal_assess"),
    path("<int:pk>/aktivitet/", views.proposal_activity, name="proposal_activity"),
    path("<int:pk>/endringsrad/", views.proposal_council, name="proposal_council"),
]
