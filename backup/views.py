"""The workbook of the whole plan, as a download for the project leader and the steering group."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from portfolio.access import DECIDE, programme_for

from .workbook import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def programme_workbook(request: HttpRequest, slug: str) -> HttpResponse:
    """The project leader and the steering group answer for the whole plan, so they take it out whole."""
    programme = programme_for(request, slug, DECIDE)
    response = HttpResponse(build_workbook(programme), content_type=XLSX)
    name = f"plan-{programme.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
