"""Pages for anyone, without login: mounted at /forslag/ by portfolio/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_index, name="public_index"),
    # Before the programme pages: "kommune" is refused as a programme's short name (portfolio.Programme.slug).
    path("kommune/<slug:organisation>/", views.public_organisation, name="public_organisation"),
    path("<slug:slug>/", views.public_measures, name="public_measures"),
    path("<slug:slug>/nytt/", views.public_proposal_form, name="public_proposal_form"),
    path("<slug:slug>/takk/", views.public_thanks, name="public_thanks"),
]
