from django.urls import path

from . import views

urlpatterns = [
    path("<str:key>/<int:object_id>/", views.object_documents, name="object_documents"),
    path("<int:pk>/last-ned/", views.document_download, name="document_download"),
    path("<int:pk>/slett/", views.document_delete, name="document_delete"),
]
