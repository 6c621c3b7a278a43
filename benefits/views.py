from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portfolio.views import programme_for

from .models import Benefit, BenefitPlan


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    plans = (
        BenefitPlan.objects.filter(programme=programme)
        .select_related("activity", "measure")
        .prefetch_related(Prefetch("benefits", queryset=Benefit.objects.select_related("owner")))
    )
    return render(request, "benefits/overview.html", {"programme": programme, "plans": plans})
