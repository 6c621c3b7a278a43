"""The steering-group meeting view: the agenda for a date, and recording decisions from it."""

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.htmx import form_status, render_page
from common.validators import CleanTextFieldsMixin
from common.versioning import change_or_stale
from measures.models import Proposal
from milestones.forms import DecisionForm
from milestones.models import DecisionPoint
from portfolio.access import DECIDE, programme_for
from portfolio.models import Programme

from .agenda import compile_agenda, decision_choices, default_day, meeting_dates

TEMPLATE = "workspace/agenda.html"


class ProposalDecisionForm(CleanTextFieldsMixin, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Beslutning"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Velg en beslutning."),
            "invalid_choice": gettext_lazy("Velg en beslutning."),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Et avslag må begrunnes."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


def _parse_day(value: str) -> date:
    """A date from `?dato=` (2017-03-15 or 15.03.2017); ValueError for anything else."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _day_from(request: HttpRequest, programme: Programme, value: str | None) -> date:
    today = timezone.localdate()
    if not value:
        return default_day(programme, today)
    return _parse_day(value)


def _agenda_url(programme: Programme, day: date, anchor: str = "") -> str:
    url = f"{reverse('meeting_agenda', kwargs={'slug': programme.slug})}?dato={day:%Y-%m-%d}"
    return f"{url}#{anchor}" if anchor else url


def _point_form(point: DecisionPoint, day: date, data=None) -> DecisionForm:
    # The form carries the point's version (when it has the field): a decision over a newer change is refused.
    initial = {"decided_on": min(day, timezone.localdate()), "version": point.version}
    return DecisionForm(data, prefix=f"bp-{point.code}", initial=initial)


def _stale_form(refused: DecisionForm, day: date) -> DecisionForm:
    """A form drawn from the stored point that carries the refusal, after another user's change won."""
    point = refused.current
    form = _point_form(point, day)
    form.stale_errors = refused.non_field_errors()
    return form


def _proposal_form(proposal: Proposal, data=None) -> ProposalDecisionForm:
    return ProposalDecisionForm(data, prefix=f"p{proposal.pk}", choices=decision_choices(proposal))


def _context(request: HttpRequest, programme: Programme, day: date, forms_by_key: dict | None = None) -> dict:
    forms_by_key = forms_by_key or {}
    agenda = compile_agenda(programme, day)
    decide = request.access.can_decide
    if decide:
        for point in agenda.decision_points:
            point.form = forms_by_key.get(("bp", point.code)) or _point_form(point, day)
        for proposal in agenda.proposals:
            proposal.form = forms_by_key.get(("p", proposal.pk)) or _proposal_form(proposal)
    today = timezone.localdate()
    return {
        "programme": programme,
        "day": day,
        "today": today,
        "agenda": agenda,
        "meeting_dates": meeting_dates(programme, today),
        "can_decide": decide,
        "print_layout": request.GET.get("utskrift") == "1",
    }


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    try:
        day = _day_from(request, programme, request.GET.get("dato"))
    except ValueError:
        context = {
            "programme": programme,
            "date_error": _("«%(value)s» er ikke en dato. Skriv datoen som dd.mm.åååå eller velg et møte.")
            % {"value": request.GET.get("dato", "")},
            "meeting_dates": meeting_dates(programme, timezone.localdate()),
        }
        return render(request, TEMPLATE, context, status=400)
    return render_page(request, TEMPLATE, _context(request, programme, day), partial="agenda")


def _posted_day(request: HttpRequest, programme: Programme) -> date:
    try:
        return _day_from(request, programme, request.POST.get("dato"))
    except ValueError:
        return default_day(programme, timezone.localdate())


@login_required
@require_POST
def decide_point(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Record the steering group's decision on a decision point from the agenda."""
    programme = programme_for(request, slug, DECIDE)
    point = get_object_or_404(DecisionPoint, programme=programme, code=code)
    day = _posted_day(request, programme)
    form = _point_form(point, day, request.POST)
    if point.status == DecisionPoint.Status.DECIDED:
        form.add_error(None, _("%(code)s er allerede besluttet.") % {"code": point.code})

    def decide():
        point.record_decision(
            decision_text=form.cleaned_data["decision_text"],
            reference=form.cleaned_data["reference"],
            decided_on=form.cleaned_data["decided_on"],
        )

    # Through the decision editor's version claim, so a decision over someone else's newer change is refused.
    if form.is_valid() and change_or_stale(form, point, decide):
        # With htmx too: common.middleware.HtmxMessagesMiddleware sends it along with the point.
        messages.success(request, _("Vedtaket for %(code)s er registrert.") % {"code": point.code})
        if request.htmx:
            return render(request, f"{TEMPLATE}#decision-point", {"programme": programme, "day": day, "point": point})
        return redirect(_agenda_url(programme, day, f"bp-{point.code}"))
    stale = form if form.current is not None else None
    if stale is not None:
        # Someone changed the point first: show it as stored now, with a fresh form and the refusal.
        if not request.htmx:
            for error in form.non_field_errors():
                messages.error(request, error)
            return redirect(_agenda_url(programme, day, f"bp-{point.code}"))
        point, form = form.current, _stale_form(form, day)
    if request.htmx:
        point.form = form
        context = {"programme": programme, "day": day, "point": point, "can_decide": True}
        return render(request, f"{TEMPLATE}#decision-point", context, status=form_status(form, stale=stale))
    context = _context(request, programme, day, {("bp", point.code): form})
    if point.code not in {p.code for p in context["agenda"].decision_points}:
        _refusal_as_messages(request, form)  # not on this day's agenda, so its form is not on the page
    return render(request, TEMPLATE, context, status=form_status(form))


@login_required
@require_POST
def decide_proposal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record the steering group's decision on a proposal awaiting it, through Proposal.transition_to."""
    programme = programme_for(request, slug, DECIDE)
    proposal = get_object_or_404(
        Proposal.objects.visible().select_related("area", "activity").with_priority(), programme=programme, pk=pk
    )
    day = _posted_day(request, programme)
    form = _proposal_form(proposal, request.POST)
    if proposal.status not in Proposal.AWAITING_DECISION:
        form.add_error(None, _("Forslaget venter ikke lenger på styringsgruppens beslutning."))
    if form.is_valid():
        try:
            proposal.transition_to(form.cleaned_data["status"], by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as e:
            form.add_error(None, e)
    if form.is_valid():
        messages.success(
            request,
            _("«%(title)s» er satt til «%(status)s».")
            % {"title": proposal.title, "status": proposal.get_status_display()},
        )
        if request.htmx:
            context = {"programme": programme, "day": day, "proposal": proposal, "decided": True}
            return render(request, f"{TEMPLATE}#proposal-item", context)
        return redirect(_agenda_url(programme, day, "forslag"))
    if request.htmx:
        proposal.form = form
        context = {"programme": programme, "day": day, "proposal": proposal, "can_decide": True}
        return render(request, f"{TEMPLATE}#proposal-item", context, status=form_status(form))
    context = _context(request, programme, day, {("p", proposal.pk): form})
    if proposal.pk not in {p.pk for p in context["agenda"].proposals}:
        _refusal_as_messages(request, form)  # not on this day's agenda, so its form is not on the page
    return render(request, TEMPLATE, context, status=form_status(form))


def _refusal_as_messages(request: HttpRequest, form) -> None:
    """A refused decision whose item the redrawn agenda does not show: its errors at the top of the page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
