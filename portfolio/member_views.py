"""The project leader's members page: who holds which role in the programme (docs/roles.md)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import leader_programme_for
from .models import ProgrammeRole


@login_required
def programme_members(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    roles = ProgrammeRole.objects.filter(programme=programme).select_related("user").order_by("user__username", "role")
    return render(request, "portfolio/members.html", {"programme": programme, "roles": roles})
