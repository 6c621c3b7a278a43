from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portfolio.views import programme_for

from .models import Mitigation, Risk


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    risks = (
        Risk.objects.filter(programme=programme)
        .with_latest()
        .select_related("activity", "owner")
        .prefetch_related(Prefetch("mitigations", queryset=Mitigation.objects.select_related("responsible")))
        .order_by("-latest_rf", "code")
    )
    return render(request, "risks/register.html", {"programme": programme, "risks": risks})
