"""The project leader sets up a programme from nothing: its settings, phases, areas, people, activities, budget.

Under /program/<slug>/oppsett/. The project leader alone uses these pages, except `activity_edit`: whoever may
edit an activity (`access.can_edit_activity`) edits its content there, but only the project leader its code,
name, area and responsible. Every edit follows the one recipe: a VersionedModelForm saved with `save_edit`
(409 and the stale panel when someone saved first), 422 with the form's Norwegian errors and nothing saved,
and after saving a redirect with a message (PRG).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.htmx import form_status
from common.versioning import Edit, save_edit

from .access import leader_programme_for, programme_for
from .models import Activity, Area, BudgetLine, Membership, Person, Phase, Programme
from .setup_forms import (
    ActivityForm,
    AreaForm,
    BudgetLineForm,
    MembershipForm,
    PeopleList,
    PersonForm,
    PhaseForm,
    ProgrammeForm,
)

PAGE_SIZE = 100
TEMPLATE = "portfolio/setup/form.html"


@dataclass
class Listing:
    """One page of a list on the set-up page, with links to its neighbours that keep the other lists' pages."""

    page: Page
    previous_url: str | None
    next_url: str | None


def _listing(request: HttpRequest, queryset: QuerySet, param: str, anchor: str) -> Listing:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}#{anchor}"

    return Listing(
        page,
        url(page.previous_page_number()) if page.has_previous() else None,
        url(page.next_page_number()) if page.has_next() else None,
    )


@login_required
@require_safe
def programme_setup(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's settings and its phases, areas, people, activities and budget lines, each with its links.

    A fixed number of queries however long the lists are; people, activities and budget lines come 100 a page.
    """
    programme = leader_programme_for(request, slug)
    people = Person.objects.filter(organisation_id=programme.organisation_id).order_by("name", "pk")
    activities = Activity.objects.filter(programme=programme).select_related("area", "responsible").order_by("code")
    lines = (
        BudgetLine.objects.filter(phase__programme=programme)
        .select_related("phase", "activity")
        .order_by("phase__number", "kind", "position", "pk")
    )
    context = {
        "programme": programme,
        "phases": Phase.objects.filter(programme=programme).order_by("number"),
        "areas": Area.objects.filter(programme=programme).order_by("number"),
        "people": _listing(request, people, "personer", "personer"),
        "activities": _listing(request, activities, "aktiviteter", "aktiviteter"),
        "budget_lines": _listing(request, lines, "budsjettlinjer", "budsjettlinjer"),
        "memberships": Membership.objects.filter(programme=programme).select_related("person"),
    }
    return render(request, "portfolio/setup/overview.html", context)


def _save(form: BaseForm, restart: Callable) -> Edit:
    """`save_edit`, and a clash with a row someone else saved at the same moment as a form error, not a 500."""
    return save_edit(form, restart=restart, on_clash=_saved_by_someone_else)


def _saved_by_someone_else(form: BaseForm) -> None:
    form.add_error(None, ValidationError(_("Noen andre lagret det samme samtidig. Se over feltene og lagre på nytt.")))


def _form_page(
    request: HttpRequest,
    programme: Programme,
    make_form: Callable,
    *,
    heading: str,
    back_url: str,
    done: Callable[[object], str],
    created: bool,
    stored_view: Callable | None = None,
) -> HttpResponse:
    """GET: the form. POST: save it and redirect to `done(saved object)` with a message; or answer 422 with the
    errors, or 409 with the stale panel and a form opened on the stored object, saving nothing.

    `make_form(data=None, instance=<the edited object>)` builds the form; `stored_view` may dress the stored object
    for the stale panel.
    """
    form, stale = make_form(), None
    if request.method == "POST":
        edit = _save(make_form(request.POST), restart=lambda stored: make_form(instance=stored))
        if edit.saved:
            saved = edit.form.instance
            message = _("«%(name)s» er opprettet.") if created else _("«%(name)s» er lagret.")
            messages.success(request, message % {"name": saved})
            return redirect(done(saved))
        form, stale = edit.form, edit.stale
        if stale is not None and stored_view is not None:
            stale.current = stored_view(stale.current)
    context = {"programme": programme, "form": form, "stale": stale, "heading": heading, "back_url": back_url}
    return render(request, TEMPLATE, context, status=form_status(form, stale=stale))


def _setup_url(programme: Programme, anchor: str) -> str:
    return reverse("programme_setup", args=[programme.slug]) + f"#{anchor}"


# --- the programme -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    # A copy for the form, so a refused edit never shows its typed name in the page's header.
    edited = Programme.objects.get(pk=programme.pk)

    def make_form(data=None, instance=edited):
        return ProgrammeForm(data, instance=instance)

    return _form_page(
        request,
        programme,
        make_form,
        heading=_("Endre programmet"),
        back_url=_setup_url(programme, "programmet"),
        done=lambda saved: _setup_url(programme, "programmet"),
        created=False,
    )


# --- phases and areas ----------------------------------------------------------------------------------------


def _phase_page(request: HttpRequest, programme: Programme, phase: Phase, heading: str) -> HttpResponse:
    def make_form(data=None, instance=phase):
        return PhaseForm(data, instance=instance, programme=programme)

    return _form_page(
        request,
        programme,
        make_form,
        heading=heading,
        back_url=_setup_url(programme, "faser"),
        done=lambda saved: _setup_url(programme, "faser"),
        created=phase.pk is None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    return _phase_page(request, programme, Phase(programme=programme), _("Ny fase"))


@login_required
@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    phase = get_object_or_404(Phase, programme=programme, pk=pk)
    return _phase_page(request, programme, phase, _("Endre %(name)s") % {"name": phase})


def _area_page(request: HttpRequest, programme: Programme, area: Area, heading: str) -> HttpResponse:
    def make_form(data=None, instance=area):
        return AreaForm(data, instance=instance, programme=programme)

    return _form_page(
        request,
        programme,
        make_form,
        heading=heading,
        back_url=_setup_url(programme, "hovedomrader"),
        done=lambda saved: _setup_url(programme, "hovedomrader"),
        created=area.pk is None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    return _area_page(request, programme, Area(programme=programme), _("Nytt hovedområde"))


@login_required
@require_http_methods(["GET", "POST"])
def area_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    area = get_object_or_404(Area, programme=programme, pk=pk)
    return _area_page(request, programme, area, _("Endre %(name)s") % {"name": area})


# --- people of the programme's organisation ------------------------------------------------------------------


def _person_page(request: HttpRequest, programme: Programme, person: Person, heading: str) -> HttpResponse:
    def make_form(data=None, instance=person):
        return PersonForm(data, instance=instance, organisation=programme.organisation)

    return _form_page(
        request,
        programme,
        make_form,
        heading=heading,
        back_url=_setup_url(programme, "personer"),
        done=lambda saved: _setup_url(programme, "personer"),
        created=person.pk is None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    return _person_page(request, programme, Person(organisation=programme.organisation), _("Ny person"))


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    person = get_object_or_404(Person, organisation_id=programme.organisation_id, pk=pk)
    return _person_page(request, programme, person, _("Endre %(name)s") % {"name": person})


# --- activities ----------------------------------------------------------------------------------------------


class StoredActivity:
    """The stored activity as the stale panel shows it: its working group as names, not as a related manager."""

    def __init__(self, activity: Activity):
        self._activity = activity
        self.working_group = PeopleList(activity.working_group.order_by("name"))

    def __getattr__(self, name):
        return getattr(self._activity, name)


def _activity_page(
    request: HttpRequest, programme: Programme, activity: Activity, heading: str, back_url: str
) -> HttpResponse:
    limited = not request.access.is_leader

    def make_form(data=None, instance=activity):
        return ActivityForm(data, instance=instance, programme=programme, limited=limited)

    return _form_page(
        request,
        programme,
        make_form,
        heading=heading,
        back_url=back_url,
        done=lambda saved: reverse("activity_detail", args=[programme.slug, saved.code]),
        created=activity.pk is None,
        stored_view=StoredActivity,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    activity = Activity(programme=programme)
    return _activity_page(request, programme, activity, _("Ny aktivitet"), _setup_url(programme, "aktiviteter"))


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The project leader edits all of an activity; a project-group member who may edit it, its content only."""
    programme = programme_for(request, slug)
    activity = get_object_or_404(
        Activity.objects.select_related("area", "responsible"), programme=programme, code=code.upper()
    )
    if not request.access.can_edit_activity(activity):
        raise PermissionDenied
    back_url = reverse("activity_detail", args=[programme.slug, activity.code])
    return _activity_page(request, programme, activity, _("Endre %(name)s") % {"name": activity}, back_url)


# --- budget lines --------------------------------------------------------------------------------------------


def _budget_line_page(request: HttpRequest, programme: Programme, line: BudgetLine, heading: str) -> HttpResponse:
    def make_form(data=None, instance=line):
        return BudgetLineForm(data, instance=instance, programme=programme)

    return _form_page(
        request,
        programme,
        make_form,
        heading=heading,
        back_url=reverse("budget", args=[programme.slug]) + (f"#linje-{line.pk}" if line.pk else ""),
        done=lambda saved: reverse("budget", args=[programme.slug]) + f"#linje-{saved.pk}",
        created=line.pk is None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    return _budget_line_page(request, programme, BudgetLine(), _("Ny budsjettlinje"))


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    line = get_object_or_404(BudgetLine.objects.select_related("phase"), phase__programme=programme, pk=pk)
    heading = _("Endre budsjettlinjen «%(name)s»") % {"name": line.description}
    return _budget_line_page(request, programme, line, heading)


# --- the organisation chart of the plan (Membership) ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A line of the organisation chart shown on the dashboard; to change one, remove it and add it anew."""
    programme = leader_programme_for(request, slug)
    form = MembershipForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(request, _("«%(name)s» er opprettet.") % {"name": membership})
        return redirect(_setup_url(programme, "organisering"))
    context = {
        "programme": programme,
        "form": form,
        "stale": None,
        "heading": _("Ny rolle i organiseringen"),
        "back_url": _setup_url(programme, "organisering"),
    }
    return render(request, TEMPLATE, context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def membership_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Asks first; the confirmed POST removes the line (it grants nothing, so no access changes with it)."""
    programme = leader_programme_for(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("person"), programme=programme, pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        membership.delete()
        messages.success(request, _("«%(name)s» er fjernet fra organiseringen.") % {"name": membership})
        return redirect(_setup_url(programme, "organisering"))
    context = {"programme": programme, "membership": membership, "back_url": _setup_url(programme, "organisering")}
    return render(request, "portfolio/setup/confirm_delete.html", context)
