from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portfolio.views import programme_for

from .models import Proposal

PAGE_SIZE = 50


@login_required
def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    proposals = (
        Proposal.objects.filter(programme=programme)
        .visible()
        .select_related("area", "activity", "revision_round")
        .with_priority()
        .order_by("area__number", "-submitted_on", "-id")
    )
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("side"))
    context = {"programme": programme, "page": page, "statuses": Proposal.Status.choices, "status": status}
    template = "measures/proposal_list.html"
    if request.htmx:
        template += "#proposal-table"
    return render(request, template, context)
