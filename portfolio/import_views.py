"""The page of a spreadsheet import run in the background (portfolio.imports): progress, then the outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.htmx import render_page

from . import imports
from .access import leader_programme_for
from .models import ImportJob


def _job(request: HttpRequest, slug: str, job_id: int) -> ImportJob:
    programme = leader_programme_for(request, slug)  # imports are the project leader's
    job = get_object_or_404(
        ImportJob.objects.select_related("programme", "confirmation"), pk=job_id, programme=programme
    )
    if job.kind not in imports.IMPORTERS:
        raise Http404
    return job


@login_required
def import_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The job's state; while it runs, htmx asks for the `job-state` partial again every second."""
    job = _job(request, slug, job_id)
    importer = imports.IMPORTERS[job.kind]
    context = {
        "programme": job.programme,
        "job": job,
        "importer": importer,
        "progress": None if job.is_finished else imports.progress(job),
        "import_url": reverse(importer.page_url_name, kwargs={"slug": slug}),
        "done_url": reverse(importer.done_url_name, kwargs={"slug": slug}),
        "confirmation": getattr(job, "confirmation", None),
    }
    status = 422 if job.is_finished and job.error_count else 200
    return render_page(request, "portfolio/import_job.html", context, partial="job-state", status=status)


@login_required
@require_POST
def import_job_confirm(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """Import for real what a dry run showed; once per dry run (a second click follows the first)."""
    preview = _job(request, slug, job_id)
    if not preview.can_be_confirmed:
        # Not (or no longer) a finished dry run without errors: say so on the job's page, 409 like a stale save.
        messages.error(request, _("Denne forhåndsvisningen kan ikke bekreftes. Last opp filen på nytt."))
        response = import_job(request, slug, job_id)
        response.status_code = 409
        return response
    job = imports.confirm(preview, request.user)
    messages.success(request, _("Importen er startet. Siden viser når den er ferdig."))
    return redirect("import_job", slug=slug, job_id=job.pk)
