import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.htmx import form_status, render_page
from common.parsing import query_int
from common.security import client_ip
from common.versioning import save_edit
from portfolio import imports
from portfolio.access import MEMBER, history_for, leader_programme_for, programme_for
from portfolio.models import Organisation, Programme

from . import resources
from .forms import (
    ActivityForm,
    AssessmentForm,
    ChangeCouncilForm,
    CitizenProposalForm,
    ImportForm,
    ModerationForm,
    NewRoundForm,
    StaffProposalForm,
    StatusChangeForm,
)
from .models import SEARCH_MAX_TERMS, Proposal, ProposalTransition, RevisionRound, search_terms

PAGE_SIZE = 50
S = Proposal.Status
SORTS = {
    "prioritet": [F("priority").desc(nulls_last=True), "-id"],
    "-prioritet": [F("priority").asc(nulls_first=True), "-id"],
    "tittel": ["title", "id"],
    "-tittel": ["-title", "-id"],
    "innsendt": ["submitted_on", "id"],
    "-innsendt": ["-submitted_on", "-id"],
    "omrade": ["area__number", "-submitted_on", "-id"],
    "status": ["status", "-id"],
}
DEFAULT_SORT = "omrade"
CITIZEN_LIMIT = 5  # proposals per IP address and hour
CITIZEN_WINDOW = 3600


def _proposal_for(request: HttpRequest, programme: Programme, pk: int) -> Proposal:
    """Readers see every moderated proposal (the project leader also the unmoderated); others their own."""
    proposals = Proposal.objects.filter(programme=programme).select_related(
        "area", "activity", "revision_round", "submitted_by", "carried_from"
    )
    access = request.access
    if not access.is_leader:
        proposals = proposals.visible() if access.can_read else proposals.filter(submitted_by=request.user)
    return get_object_or_404(proposals, pk=pk)


def allowed_statuses(access, proposal: Proposal) -> list[str]:
    """Statuses this user may move the proposal to: the leader all legal moves, the steering group decisions."""
    if access.is_leader:
        return proposal.allowed_transitions()
    if access.can_decide:
        return proposal.steering_decisions()
    return []


def filtered_proposals(programme: Programme, params) -> tuple:
    """The list's queryset and the filters as read from the URL (unknown values are ignored)."""
    proposals = (
        Proposal.objects.filter(programme=programme)
        .visible()
        .select_related("area", "activity", "revision_round")
        .with_priority()
    )
    filters = {key: params.get(key, "").strip() for key in ("omrade", "status", "runde", "enhet", "type", "q", "sort")}
    if (area := query_int(filters["omrade"])) is not None:
        proposals = proposals.filter(area__number=area)
    if filters["status"] in S.values:
        proposals = proposals.filter(status=filters["status"])
    if (year := query_int(filters["runde"])) is not None:
        proposals = proposals.filter(revision_round__year=year)
    if filters["enhet"]:
        proposals = proposals.filter(unit=filters["enhet"])
    if filters["type"] in Proposal.SubmitterType.values:
        proposals = proposals.filter(submitter_type=filters["type"])
    # Whether the search left words out (ProposalQuerySet.search uses only the first SEARCH_MAX_TERMS).
    filters["q_capped"] = search_terms(filters["q"])[1]
    if filters["q"]:
        proposals = proposals.search(filters["q"])
    if filters["sort"] not in SORTS:
        filters["sort"] = DEFAULT_SORT
    return proposals.order_by(*SORTS[filters["sort"]]), filters


@login_required
def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    proposals, filters = filtered_proposals(programme, request.GET)
    if filters["q_capped"] and not request.htmx:
        # Not on htmx requests: the table partial has no message area, and a stored message would turn up later.
        messages.info(request, _("Bare de første %(n)d ordene er brukt i søket.") % {"n": SEARCH_MAX_TERMS})
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("side"))
    context = {
        "programme": programme,
        "page": page,
        "filters": filters,
        "statuses": S.choices,
        "areas": programme.areas.order_by("number"),
        "rounds": programme.revision_rounds.order_by("-year"),
        "units": Proposal.objects.filter(programme=programme)
        .visible()
        .exclude(unit="")
        .order_by("unit")
        .values_list("unit", flat=True)
        .distinct(),
        "types": Proposal.SubmitterType.choices,
        "sorts": [
            ("omrade", _("Hovedområde")),
            ("prioritet", _("Prioritet, høyest først")),
            ("-innsendt", _("Nyeste først")),
            ("innsendt", _("Eldste først")),
            ("tittel", _("Tittel")),
            ("status", _("Status")),
        ],
        "is_leader": request.access.is_leader,
        "moderation_count": Proposal.objects.filter(programme=programme).awaiting_moderation().count()
        if request.access.is_leader
        else 0,
    }
    return render_page(request, "measures/proposal_list.html", context, partial="proposal-table")


def _detail_context(request: HttpRequest, programme: Programme, proposal: Proposal, **forms) -> dict:
    leader = request.access.is_leader
    allowed = allowed_statuses(request.access, proposal)
    return {
        "programme": programme if request.access.can_read else None,
        "prog": programme,
        "proposal": proposal,
        "timeline": proposal.transitions.select_related("by"),
        "status_form": forms.get("status_form")
        or (StatusChangeForm(allowed=allowed, current=proposal.status) if allowed else None),
        "assessment_form": forms.get("assessment_form") or (AssessmentForm(instance=proposal) if leader else None),
        "activity_form": forms.get("activity_form")
        or (ActivityForm(instance=proposal, programme=programme) if leader else None),
        "council_form": forms.get("council_form") or (ChangeCouncilForm(instance=proposal) if leader else None),
        "is_leader": leader,
        "audit_history": history_for(request.access, proposal),
    }


@login_required
def proposal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_for(request, slug, MEMBER)
    proposal = _proposal_for(request, programme, pk)
    return render(request, "measures/proposal_detail.html", _detail_context(request, programme, proposal))


@login_required
@require_POST
def proposal_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_for(request, slug, MEMBER)
    proposal = _proposal_for(request, programme, pk)
    allowed = allowed_statuses(request.access, proposal)
    if not allowed and not request.access.can_decide:  # no move this user may make from here (or none at all: done)
        raise PermissionDenied
    form = StatusChangeForm(request.POST, allowed=allowed, current=proposal.status)
    changed = False
    if form.is_valid():
        try:
            proposal.transition_to(form.cleaned_data["status"], by=request.user, comment=form.cleaned_data["comment"])
            changed = True
        except ValidationError as e:
            form.add_error(None, e)
    stale = form.has_error(NON_FIELD_ERRORS, "stale")
    if stale:
        # Decided on a page that showed an old status: a fresh form for the moves from the status it has now.
        message = form.non_field_errors()
        form = StatusChangeForm(allowed=allowed, current=proposal.status) if allowed else None
        if form is not None:
            form.add_error(None, message)
        else:
            messages.error(request, " ".join(message))
    elif not allowed:
        raise PermissionDenied
    if changed:
        # With htmx too: common.middleware.HtmxMessagesMiddleware sends it along with the panel.
        messages.success(request, _("Status er endret til «%(s)s».") % {"s": proposal.get_status_display()})
    if changed and not request.htmx:
        return redirect("proposal_detail", slug=slug, pk=pk)
    # After a change, htmx gets the panel with a fresh form (for the new status's moves) and the new timeline.
    context = _detail_context(request, programme, proposal, status_form=None if changed else form)
    status = 200 if changed else 409 if stale else 422
    return render_page(request, "measures/proposal_detail.html", context, partial="status-panel", status=status)


def _leader_edit(request: HttpRequest, slug: str, pk: int, form_class, key: str, partial: str, message: str):
    programme = leader_programme_for(request, slug)
    proposal = _proposal_for(request, programme, pk)
    kwargs = {"programme": programme} if form_class is ActivityForm else {}
    edit = save_edit(
        form_class(request.POST, instance=proposal, **kwargs),
        restart=lambda stored: form_class(instance=_proposal_for(request, programme, pk), **kwargs),
    )
    if edit.saved:
        messages.success(request, message)
    if edit.saved and not request.htmx:
        return redirect("proposal_detail", slug=slug, pk=pk)
    if not edit.saved and edit.stale is None:
        proposal.refresh_from_db()
    form = None if edit.saved else edit.form
    context = _detail_context(request, programme, form.instance if form else proposal, **{key: form})
    context["stale"] = edit.stale
    context["stale_panel"] = partial if edit.stale else None
    status = 200 if edit.saved else form_status(form, stale=edit.stale)
    response = render_page(request, "measures/proposal_detail.html", context, partial=partial, status=status)
    if edit.saved:
        # Saved (htmx): the other panel's forms carry the proposal's version too, so they are refreshed with it
        # (out of band); otherwise this user's next save there would be refused as stale.
        other = "measure-panel" if partial == "assessment-panel" else "assessment-panel"
        oob = render(request, f"measures/proposal_detail.html#{other}", {**context, "oob": True})
        response.content += oob.content
    return response


@login_required
@require_POST
def proposal_assess(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _leader_edit(
        request, slug, pk, AssessmentForm, "assessment_form", "assessment-panel", _("Vurderingen er lagret.")
    )


@login_required
@require_POST
def proposal_activity(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _leader_edit(request, slug, pk, ActivityForm, "activity_form", "measure-panel", _("Aktiviteten er lagret."))


@login_required
@require_POST
def proposal_council(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _leader_edit(
        request, slug, pk, ChangeCouncilForm, "council_form", "measure-panel", _("Endringsrådets behandling er lagret.")
    )


@login_required
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, MEMBER)
    round_ = RevisionRound.current(programme)
    form = StaffProposalForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        if round_ is None:
            form.add_error(None, _("Det finnes ingen rullering å sende forslag til ennå."))
        else:
            proposal = form.save(commit=False)
            proposal.programme = programme
            proposal.revision_round = round_
            proposal.submitter_type = Proposal.SubmitterType.STAFF
            proposal.submitted_by = request.user
            proposal.submitter_name = request.user.get_full_name() or request.user.username
            proposal.save()
            messages.success(request, _("Takk! Forslaget «%(title)s» er sendt inn.") % {"title": proposal.title})
            return redirect("my_proposals", slug=slug)
    context = {"prog": programme, "form": form, "round": round_}
    return render(request, "measures/proposal_form.html", context, status=form_status(form))


@login_required
def my_proposals(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, MEMBER)
    proposals = (
        Proposal.objects.filter(programme=programme, submitted_by=request.user)
        .select_related("area", "revision_round")
        .prefetch_related(Prefetch("transitions", queryset=ProposalTransition.objects.select_related("by")))
        .order_by("-submitted_on", "-id")
    )
    return render(request, "measures/my_proposals.html", {"prog": programme, "proposals": proposals})


@login_required
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    waiting = Proposal.objects.filter(programme=programme).awaiting_moderation().select_related("area").order_by("id")
    return render_page(
        request, "measures/moderation.html", {"programme": programme, "waiting": waiting}, partial="queue"
    )


@login_required
@require_POST
def moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    proposal = get_object_or_404(Proposal.objects.awaiting_moderation(), programme=programme, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():  # a rejection without a reason: the queue again, with the error at this proposal
        waiting = Proposal.objects.filter(programme=programme).awaiting_moderation().select_related("area")
        context = {"programme": programme, "waiting": waiting.order_by("id"), "refused": proposal.pk, "form": form}
        return render_page(request, "measures/moderation.html", context, partial="queue", status=422)
    if form.cleaned_data["action"] == "approve":
        proposal.publish()
        message = _("«%(title)s» er godkjent og synlig.")
    else:
        comment = _("Ikke godkjent i moderering: %(reason)s") % {"reason": form.cleaned_data["reason"].strip()}
        proposal.transition_to(S.REJECTED, by=request.user, comment=comment)
        message = _("«%(title)s» er avvist og forblir skjult.")
    messages.success(request, message % {"title": proposal.title})
    if request.htmx:
        return moderation_queue(request, slug)
    return redirect("moderation_queue", slug=slug)


@login_required
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    """The steering group's ranked list for a round (the current one unless ?runde=YYYY)."""
    programme = programme_for(request, slug)
    year = query_int(request.GET.get("runde", ""))
    rounds = programme.revision_rounds.order_by("-year")
    round_ = rounds.filter(year=year).first() if year is not None else RevisionRound.current(programme)
    proposals = list(
        Proposal.objects.filter(programme=programme, revision_round=round_)
        .visible()
        .open()
        .select_related("area", "activity")
        .with_priority()
        .order_by(F("priority").desc(nulls_last=True), "title")
    )
    context = {
        "programme": programme,
        "round": round_,
        "rounds": rounds,
        "ranked": [p for p in proposals if p.status != S.QUICK_WIN],
        "quick_wins": [p for p in proposals if p.status == S.QUICK_WIN],
        "awaiting": [p for p in proposals if p.status in Proposal.AWAITING_DECISION],
    }
    return render(request, "measures/ranking.html", context)


@login_required
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    form = NewRoundForm(request.POST or None)
    if request.method == "POST":
        if not request.access.is_leader:
            raise PermissionDenied
        if form.is_valid():
            try:
                new = RevisionRound.open_new(programme, form.cleaned_data["year"], by=request.user)
            except ValidationError as e:
                form.add_error("year", e)
            else:
                messages.success(request, _("Rullering %(year)s er åpnet.") % {"year": new.year})
                return redirect("round_detail", slug=slug, year=new.year)
    rounds = programme.revision_rounds.order_by("-year")
    context = {"programme": programme, "rounds": rounds, "form": form, "is_leader": request.access.is_leader}
    return render(request, "measures/rounds.html", context, status=form_status(form))


@login_required
def round_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    programme = programme_for(request, slug)
    round_ = get_object_or_404(RevisionRound, programme=programme, year=year)
    return render(
        request, "measures/round_detail.html", {"programme": programme, "round": round_, "summary": round_.summary()}
    )


@login_required
def export_proposals(request: HttpRequest, slug: str) -> HttpResponse:
    programme = leader_programme_for(request, slug)
    proposals, _filters = filtered_proposals(programme, request.GET)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    content = resources.export_file(programme, proposals, file_format)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if file_format == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    name = f"forslag-{programme.slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


IMPORT_SALT = "measures.import"


@login_required
def import_proposals(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload → dry-run preview (nothing saved) → confirm, which imports the same stored file."""
    programme = leader_programme_for(request, slug)
    context = {"programme": programme, "form": ImportForm()}
    if request.method == "POST" and "token" in request.POST:
        try:
            stored = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            raise Http404 from None
        if stored["user"] != request.user.pk or stored["programme"] != programme.pk:
            raise PermissionDenied
        with default_storage.open(stored["path"], "rb") as f:
            content = f.read()
        report = resources.run_import(programme, content, stored["name"], user=request.user, dry_run=False)
        if report.saved:
            default_storage.delete(stored["path"])
            messages.success(
                request,
                _("Importert: %(new)s nye og %(updated)s endrede forslag.")
                % {"new": report.new, "updated": report.updated},
            )
            return redirect("proposal_list", slug=slug)
        context.update(report=report, filename=stored["name"])
        return render(request, "measures/import.html", context, status=422)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if imports.runs_in_background(upload):
                job = imports.start("forslag", programme, request.user, upload, dry_run=True)
                return redirect("import_job", slug=slug, job_id=job.pk)
            content = upload.read()
            report = resources.run_import(programme, content, upload.name, user=request.user, dry_run=True)
            context.update(report=report, filename=upload.name)
            if not report.errors:
                path = default_storage.save(f"imports/{programme.slug}-{upload.name}", ContentFile(content))
                context["token"] = signing.dumps(
                    {"path": path, "name": upload.name, "user": request.user.pk, "programme": programme.pk},
                    salt=IMPORT_SALT,
                )
            return render(request, "measures/import.html", context, status=422 if report.errors else 200)
        return render(request, "measures/import.html", context, status=422)
    return render(request, "measures/import.html", context)


# Public pages: no login.


def public_index(request: HttpRequest) -> HttpResponse:
    """Every municipality of the installation with its programmes, for citizens (one programme: straight to it)."""
    programmes = list(Programme.objects.select_related("organisation").order_by("organisation__name", "-start_date"))
    if len(programmes) == 1:
        return redirect("public_measures", slug=programmes[0].slug)
    return render(request, "measures/public_index.html", {"programmes": programmes})


def public_organisation(request: HttpRequest, organisation: str) -> HttpResponse:
    """One municipality's programmes, for citizens: the address a municipality links to from its own website."""
    found = get_object_or_404(Organisation, slug=organisation)
    programmes = list(found.programmes.select_related("organisation").order_by("-start_date"))
    if len(programmes) == 1:
        return redirect("public_measures", slug=programmes[0].slug)
    return render(request, "measures/public_index.html", {"programmes": programmes, "organisation": found})


def public_measures(request: HttpRequest, slug: str) -> HttpResponse:
    """Innsyn: accepted measures, without anything about who sent them in."""
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    measures = (
        Proposal.objects.filter(programme=programme)
        .visible()
        .measures()
        .select_related("area", "activity")
        .order_by("area__number", "title", "id")
    )
    page = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("side"))
    return render_page(
        request, "measures/public_measures.html", {"prog": programme, "page": page}, partial="measure-table"
    )


def _over_limit(request: HttpRequest) -> bool:
    """Count a proposal against the address; True once it has used its proposals for the hour."""
    key = f"measures:citizen:{client_ip(request)}"
    try:
        cache.add(key, 0, timeout=CITIZEN_WINDOW)
        try:
            return cache.incr(key) > CITIZEN_LIMIT
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=CITIZEN_WINDOW)
            return False
    except Exception:  # the cache (Redis) is down: take the proposal rather than refuse every citizen
        logging.getLogger(__name__).warning("Citizen rate limit not checked: the cache is unavailable", exc_info=True)
        return False


def public_proposal_form(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    round_ = RevisionRound.current(programme)
    form = CitizenProposalForm(request.POST or None, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_spam:
            # Bots get the same answer as people, so they learn nothing; nothing is saved.
            return redirect("public_thanks", slug=slug)
        token = form.token
        if token is not None and Proposal.objects.filter(submission_token=token).exists():
            # The same form sent again (a double click, a reload): its proposal is already saved.
            return redirect("public_thanks", slug=slug)
        status = 422
        if round_ is None:
            form.add_error(None, _("Det tas ikke imot forslag akkurat nå."))
        elif form.is_valid():
            if _over_limit(request):
                form.add_error(None, _("Du har sendt mange forslag på kort tid. Prøv igjen om en time."))
                status = 429
            else:
                proposal = form.save(commit=False)
                proposal.programme = programme
                proposal.revision_round = round_
                proposal.submitter_type = Proposal.SubmitterType.CITIZEN
                proposal.published = False  # hidden until the project leader approves it
                proposal.submission_token = token
                try:
                    with transaction.atomic():
                        proposal.save()
                except IntegrityError:
                    if token is None or not Proposal.objects.filter(submission_token=token).exists():
                        raise
                    # The same form sent twice at the same moment: the other request saved it.
                return redirect("public_thanks", slug=slug)
    return render(request, "measures/public_form.html", {"prog": programme, "form": form}, status=status)


def public_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    return render(
        request,
        "measures/public_thanks.html",
        {"prog": programme, "measures_url": reverse("public_measures", args=[slug])},
    )
