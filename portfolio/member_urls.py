"""The members page, under /program/<slug>/medlemmer/ (included by portfolio.urls): the project leader's only."""

from django.urls import path

from . import member_views

urlpatterns = [
    path("", member_views.programme_members, name="programme_members"),
    path("inviter/", member_views.member_invite, name="member_invite"),
    path("rolle/<int:pk>/fjern/", member_views.member_role_remove, name="member_role_remove"),
    path("<int:user_id>/person/", member_views.member_person, name="member_person"),
]
