from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portfolio.views import programme_for

from .models import DecisionPoint, Milestone


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    context = {
        "programme": programme,
        "today": timezone.localdate(),
        "decision_points": DecisionPoint.objects.filter(programme=programme),
        "milestones": Milestone.objects.filter(programme=programme).select_related("activity"),
    }
    return render(request, "milestones/overview.html", context)
