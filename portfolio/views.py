"""The programme core's pages: the budget, and its actual amounts edited by the project leader."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from common.htmx import form_status, render_page
from common.versioning import save_edit

from .access import leader_programme_for, programme_for
from .forms import BudgetLineActualForm
from .models import BudgetLine, Organisation, Phase


@login_required
@require_safe
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    """Per phase, cost and financing lines side by side: planned, actual and the difference, with totals."""
    programme = programme_for(request, slug)
    phases = list(Phase.objects.filter(programme=programme).prefetch_related("budget_lines__activity"))
    for phase in phases:
        lines = phase.budget_lines.all()
        totals = phase.budget_totals()
        phase.budget_sides = [
            (kind.value, kind.label, [line for line in lines if line.kind == kind], totals[kind.value])
            for kind in BudgetLine.Kind
        ]
    context = {"programme": programme, "phases": phases, "can_edit": request.access.is_leader}
    return render(request, "portfolio/budget.html", context)


def budget_line_for(request: HttpRequest, slug: str, pk: int, *, edit: bool = False) -> BudgetLine:
    """A budget line of the programme; for editing only the project leader gets it (403 otherwise)."""
    programme = leader_programme_for(request, slug) if edit else programme_for(request, slug)
    return get_object_or_404(
        BudgetLine.objects.select_related("phase__programme", "activity"), phase__programme=programme, pk=pk
    )


@login_required
@require_safe
def budget_line(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One line as a table row (htmx: after «Avbryt»); without htmx, the budget page at that line."""
    line = budget_line_for(request, slug, pk)
    if not request.htmx:
        return redirect(reverse("budget", args=[slug]) + f"#linje-{line.pk}")
    context = {"programme": line.phase.programme, "line": line, "can_edit": request.access.is_leader}
    return render(request, "portfolio/budget.html#budget-row", context)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def budget_line_actual(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The project leader records a line's actual amount; a newer save by someone else is never overwritten."""
    line = budget_line_for(request, slug, pk, edit=True)
    programme = line.phase.programme
    form, stale = BudgetLineActualForm(instance=line), None
    if request.method == "POST":
        edit = save_edit(BudgetLineActualForm(request.POST, instance=line))
        if edit.saved:
            # With htmx too: common.middleware.HtmxMessagesMiddleware sends it along with the row.
            messages.success(request, _("Faktisk beløp er lagret for «%(line)s».") % {"line": line.description})
            if not request.htmx:
                return redirect(reverse("budget", args=[slug]) + f"#linje-{line.pk}")
            context = {"programme": programme, "line": line, "can_edit": True}
            return render(request, "portfolio/budget.html#budget-row", context)
        form, stale = edit.form, edit.stale
        line = form.instance
    context = {"programme": programme, "line": line, "form": form, "stale": stale}
    return render_page(
        request,
        "portfolio/budget_line_edit.html",
        context,
        partial="budget-row-form",
        status=form_status(form, stale=stale),
    )


@require_safe
def organisation_theme(request: HttpRequest, organisation: str) -> HttpResponse:
    """The organisation's colours as a stylesheet: under the CSP (style-src 'self') a page may not carry inline
    styles, so the header links this instead. Public, like the logo: both appear on the citizens' pages."""
    found = get_object_or_404(Organisation, slug=organisation)
    accent = found.accent_colour
    # Designsystemet's accent tokens (buttons, links, focus, current menu item) take the municipality's colour
    # where it is dark enough to carry text; hover and pressed shades are mixed from it, as the theme's are.
    css = (
        f":root {{ --brand: {found.colour}; --accent: {accent};\n"
        f"  --ds-color-accent-base-default: {accent};\n"
        f"  --ds-color-accent-base-hover: color-mix(in srgb, {accent} 82%, #000);\n"
        f"  --ds-color-accent-base-active: color-mix(in srgb, {accent} 66%, #000);\n"
        f"  --ds-color-accent-text-subtle: {accent};\n"
        f"  --ds-color-accent-border-strong: {accent};\n"
        f"  --ds-color-accent-border-default: {accent};\n"
        f"  --ds-color-accent-surface-tinted: color-mix(in srgb, {accent} 12%, #fff);\n"
        f"  --ds-color-accent-surface-hover: color-mix(in srgb, {accent} 20%, #fff);\n"
        f"  --ds-color-accent-surface-active: color-mix(in srgb, {accent} 30%, #fff);\n"
        f"  --ds-color-accent-background-tinted: color-mix(in srgb, {accent} 6%, #fff); }}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"  # the link carries the organisation's version
    return response


@require_safe
def organisation_logo(request: HttpRequest, organisation: str) -> FileResponse:
    """The organisation's logo from the file storage, whatever serves the media files (or nothing does)."""
    found = get_object_or_404(Organisation, slug=organisation)
    if not found.logo:
        raise Http404
    try:
        handle = found.logo.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(found.logo.name)[0] or "image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
