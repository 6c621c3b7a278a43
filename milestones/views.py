from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from common.htmx import form_status, render_page
from common.versioning import Edit, change_or_stale, save_edit
from milestones.charts import GanttRow, Marker, gantt, gantt_summary, schedule_text, timeline
from portfolio.access import history_for, leader_programme_for, programme_for
from portfolio.models import Activity, Programme, ScheduledMonth

from .forms import (
    DecisionForm,
    DecisionPointForm,
    MeetingForm,
    MeetingSeriesForm,
    MilestoneForm,
    MilestonePlanForm,
    PostponeForm,
    ScheduleForm,
    duplicate_code_error,
)
from .models import DecisionPoint, Meeting, MeetingSeries, Milestone, next_meeting


def _overview_context(request, programme: Programme) -> dict:
    today = timezone.localdate()
    milestones = list(Milestone.objects.filter(programme=programme).select_related("activity"))
    # One query for what the user may edit, instead of can_edit_activity_items per row (an N+1).
    leader = request.access.is_leader
    editable = set(request.access.editable_activities().values_list("pk", flat=True)) if not leader else set()
    for milestone in milestones:
        milestone.editable = leader or milestone.activity_id in editable
    return {
        "programme": programme,
        "today": today,
        "decision_points": DecisionPoint.objects.filter(programme=programme),
        "milestones": milestones,
        "can_decide": request.access.can_decide,
        "can_see_history": request.access.can_see_history,
    }


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    return render(request, "milestones/overview.html", _overview_context(request, programme))


# Sent along with an updated table so that htmx also empties the editor (an out-of-band swap).
CLEAR_EDITOR = '<div id="editor" aria-live="polite" hx-swap-oob="true"></div>'


def _after_change(request, programme: Programme, partial: str, message: str | None = None) -> HttpResponse:
    """htmx gets the updated table (and an emptied editor); a normal request goes back to the overview. Either
    way `message` says what happened (with htmx through common.middleware.HtmxMessagesMiddleware)."""
    if message:
        messages.success(request, message)
    if request.htmx:
        response = render(request, f"milestones/overview.html#{partial}", _overview_context(request, programme))
        response.content += CLEAR_EDITOR.encode()
        return response
    return redirect("milestone_overview", slug=programme.slug)


def _editor(request, template: str, partial: str, context: dict, status: int = 200) -> HttpResponse:
    """A form page; htmx gets just the form, put in the editor area even when it comes back with errors.

    Into the editor area, not over it: a form that swaps its table's outerHTML on success must not take the
    area away when the answer is the form again (422/409)."""
    response = render_page(request, template, context, partial=partial, status=status)
    return reswap(retarget(response, "#editor"), "innerHTML") if request.htmx else response


def _save_plan(form) -> Edit:
    """`save_edit` for the plan forms, new or existing. Two leaders saving the same code at once both pass the
    form's check; the database's unique constraint refuses the second, who gets the form back with the
    duplicate-code message (422) instead of a server error. (The status-only form has no code to clash.)"""
    return save_edit(form, on_clash=_code_taken if "code" in form.fields else None)


def _code_taken(form) -> None:
    form.add_error("code", duplicate_code_error(form.cleaned_data["code"]))


def _decision_editor(request, programme: Programme, point: DecisionPoint, form=None, postpone=None, stale=None):
    """The decision editor; after a refused stale save it starts again from the stored point."""
    if stale is not None:
        point = stale.current
        form = postpone = None
    initial = {
        "decided_on": point.decided_on or programme.clamp(),
        "reference": point.reference,
        "decision_text": point.decision_text,
        "version": point.version,
    }
    context = {
        "programme": programme,
        "point": point,
        "form": form or DecisionForm(initial=initial),
        "postpone_form": postpone or PostponeForm(decision_point=point, initial={"version": point.version}),
        "stale": stale,
        "audit_history": history_for(request.access, point),
    }
    status = form_status(form or postpone, stale=stale)
    return _editor(request, "milestones/decision_form.html", "decision-editor", context, status=status)


@login_required
def decision_record(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not request.access.can_decide:
        raise PermissionDenied
    point = get_object_or_404(DecisionPoint, programme=programme, code=code)
    if request.method != "POST":
        return _decision_editor(request, programme, point)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if change_or_stale(form, point, lambda: point.record_decision(**data)):
            message = _("Vedtaket i %(code)s er registrert.") % {"code": point.code}
            return _after_change(request, programme, "decision-points", message)
        return _decision_editor(request, programme, point, stale=form)
    return _decision_editor(request, programme, point, form=form)


@login_required
@require_POST
def decision_postpone(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not request.access.can_decide:
        raise PermissionDenied
    point = get_object_or_404(DecisionPoint, programme=programme, code=code)
    postpone = PostponeForm(request.POST, decision_point=point)
    if postpone.is_valid():
        if change_or_stale(postpone, point, lambda: point.postpone(postpone.cleaned_data["new_date"])):
            message = _("%(code)s er utsatt til %(date)s.") % {
                "code": point.code,
                "date": postpone.cleaned_data["new_date"].strftime("%d.%m.%Y"),
            }
            return _after_change(request, programme, "decision-points", message)
        return _decision_editor(request, programme, point, stale=postpone)
    return _decision_editor(request, programme, point, postpone=postpone)


def _decision_point_editor(request, programme: Programme, form, point=None, stale=None) -> HttpResponse:
    """The plan of a decision point: a new one (`point` None) or the stored one (its code gives the URL)."""
    if point is None:
        action = reverse("decision_point_create", args=[programme.slug])
    else:
        action = reverse("decision_point_edit", args=[programme.slug, point.code])
    context = {
        "programme": programme,
        "point": point,
        "form": form,
        "action": action,
        "stale": stale,
        "audit_history": history_for(request.access, point) if point is not None else None,
    }
    status = form_status(form, stale=stale)
    return _editor(request, "milestones/decision_point_form.html", "decision-point-editor", context, status=status)


@login_required
def decision_point_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The project leader adds a decision point to the plan."""
    programme = leader_programme_for(request, slug)
    if request.method != "POST":
        return _decision_point_editor(
            request, programme, DecisionPointForm(instance=DecisionPoint(programme=programme))
        )
    created = _save_plan(DecisionPointForm(request.POST, instance=DecisionPoint(programme=programme)))
    if created.saved:
        point = created.form.instance
        message = _("Beslutningspunktet %(code)s er opprettet.") % {"code": point.code}
        return _after_change(request, programme, "decision-points", message)
    return _decision_point_editor(request, programme, created.form)


@login_required
def decision_point_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The project leader changes the plan of a decision point (code, decision, date, forum, basis).

    The form edits a copy, so the page keeps the stored code (its URL) and title while the form shows errors."""
    programme = leader_programme_for(request, slug)
    point = get_object_or_404(DecisionPoint, programme=programme, code=code)
    point.programme = programme
    if request.method != "POST":
        return _decision_point_editor(request, programme, DecisionPointForm(instance=copy(point)), point)
    edit = _save_plan(DecisionPointForm(request.POST, instance=copy(point)))
    if edit.saved:
        message = _("Beslutningspunktet %(code)s er lagret.") % {"code": edit.form.instance.code}
        return _after_change(request, programme, "decision-points", message)
    # After a stale refusal the new form is on the stored point, which may have another code by now.
    shown = edit.form.instance if edit.stale else point
    return _decision_point_editor(request, programme, edit.form, shown, stale=edit.stale)


@login_required
def milestone_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The project leader adds a milestone to the plan."""
    programme = leader_programme_for(request, slug)
    form = MilestonePlanForm(request.POST or None, instance=Milestone(programme=programme))
    if request.method == "POST":
        created = _save_plan(form)
        if created.saved:
            message = _("Milepælen %(code)s er opprettet.") % {"code": form.instance.code}
            return _after_change(request, programme, "milestones", message)
    context = {
        "programme": programme,
        "milestone": None,
        "form": form,
        "action": reverse("milestone_create", args=[programme.slug]),
        "audit_history": None,
    }
    status = form_status(form)
    return _editor(request, "milestones/milestone_form.html", "milestone-editor", context, status=status)


@login_required
def milestone_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """A milestone's page: the project leader edits its plan and status, the project group the status of its own
    activities' milestones, and the steering group reads it for its history."""
    programme = programme_for(request, slug)
    milestone = get_object_or_404(Milestone.objects.select_related("activity"), programme=programme, code=code)
    milestone.programme = programme
    if not request.access.can_edit_activity(milestone.activity):
        # The steering group may not edit, but reads the milestone's page for its history.
        if request.method != "GET" or not request.access.can_see_history:
            raise PermissionDenied
        context = {
            "programme": programme,
            "milestone": milestone,
            "form": None,
            "audit_history": history_for(request.access, milestone),
        }
        return _editor(request, "milestones/milestone_form.html", "milestone-editor", context)
    # The project leader's form has the plan fields too. A post without them (the status-only form, which the
    # project group uses, or one opened before the plan fields were there) changes only the status.
    plan = request.access.is_leader and (request.method != "POST" or "code" in request.POST)
    form_class = MilestonePlanForm if plan else MilestoneForm
    # The form edits a copy, so the page keeps the stored code (its URL) and title while the form shows errors.
    form, stale = form_class(instance=copy(milestone)), None
    if request.method == "POST":
        edit = _save_plan(form_class(request.POST, instance=copy(milestone)))
        if edit.saved:
            message = _("Milepælen %(code)s er lagret.") % {"code": edit.form.instance.code}
            return _after_change(request, programme, "milestones", message)
        form, stale = edit.form, edit.stale
    # After a stale refusal the new form is on the stored milestone, which may have another code by now.
    shown = form.instance if stale else milestone
    context = {
        "programme": programme,
        "milestone": shown,
        "form": form,
        "action": reverse("milestone_edit", args=[programme.slug, shown.code]),
        "stale": stale,
        "audit_history": history_for(request.access, shown),
    }
    status = form_status(form, stale=stale)
    return _editor(request, "milestones/milestone_form.html", "milestone-editor", context, status=status)


def _month_param(value: str | None) -> tuple[int, int] | None:
    """«2017-03» as (2017, 3); anything else as None (the parameter is then ignored)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 and 1900 < year < 3000 else None


def schedule_chart(programme: Programme, today, window: tuple | None = None) -> dict:
    """One timeline for the whole programme period; a fixed number of queries however many activities there are.

    `window` (first, last month, either may be None) narrows the timeline to a stretch of it: the seam for
    showing one phase or a few years at a time in a large programme (`?fra=2017-01&til=2017-12`).
    """
    year_of = {phase.pk: phase.year for phase in programme.phases.all()}
    activities = list(
        Activity.objects.filter(programme=programme).prefetch_related(
            Prefetch("scheduled_months", queryset=ScheduledMonth.objects.only("activity_id", "phase_id", "month")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date")),
        )
    )
    # Milestones of the whole programme (no activity) have no row of their own: they join the top row.
    loose = Milestone.objects.filter(programme=programme, activity__isnull=True)
    points = [
        Marker(bp.date, bp.code, bp.title, bp.is_overdue(today))
        for bp in DecisionPoint.objects.filter(programme=programme)
    ]
    points += [Marker(m.planned_date, m.code, m.title, m.is_overdue(today)) for m in loose]
    rows = [
        GanttRow(
            activity.code,
            f"{activity.code} {activity.name}",
            {(year_of[sm.phase_id], sm.month) for sm in activity.scheduled_months.all()},
            [Marker(m.planned_date, m.code, m.title, m.is_overdue(today)) for m in activity.milestones.all()],
        )
        for activity in activities
    ]
    months = timeline(programme.start_date, programme.end_date, rows, points)
    first, last = window or (None, None)
    months = [m for m in months if (not first or m >= first) and (not last or m <= last)] or months
    shown = set(months)
    # An activity with nothing in the window has no row: no empty month grids.
    rows = [row for row in rows if row.months & shown or any(k.month in shown for k in row.markers)]
    return {
        "table": gantt(months, rows, points, today),
        "summary": gantt_summary(months, rows, points),
        "text": schedule_text(rows, [p for p in points if p.month in shown]),
        "rows": rows,
        "months": months,
        "shown": bool(rows) or any(p.month in shown for p in points),  # anything to draw in the window
    }


def _schedule_context(request, programme: Programme) -> dict:
    today = timezone.localdate()
    window = (_month_param(request.GET.get("fra")), _month_param(request.GET.get("til")))
    return {
        "programme": programme,
        "today": today,
        "chart": schedule_chart(programme, today, window),
        "can_edit_schedule": request.access.is_leader,
        "activities": Activity.objects.filter(programme=programme).only("code", "name"),
    }


@login_required
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    return render_page(request, "milestones/schedule.html", _schedule_context(request, programme), partial="schedule")


@login_required
def schedule_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The project leader sets the months an activity is scheduled in (rows of portfolio.ScheduledMonth)."""
    programme = programme_for(request, slug)
    if not request.access.is_leader:
        raise PermissionDenied
    activity = get_object_or_404(Activity, programme=programme, code=code)
    phases = list(programme.phases.all())
    current = set(activity.scheduled_months.values_list("phase_id", "month"))
    form = ScheduleForm(request.POST or None, phases=phases, selected=current)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        with transaction.atomic():
            for phase_id, month in current - chosen:
                ScheduledMonth.objects.filter(activity=activity, phase_id=phase_id, month=month).delete()
            ScheduledMonth.objects.bulk_create(
                [ScheduledMonth(activity=activity, phase_id=p, month=m) for p, m in sorted(chosen - current)]
            )
        messages.success(request, _("Tidsplanen for %(code)s er lagret.") % {"code": activity.code})
        if request.htmx:
            response = render(request, "milestones/schedule.html#schedule", _schedule_context(request, programme))
            response.content += CLEAR_EDITOR.encode()
            return response
        return redirect("schedule", slug=slug)
    context = {"programme": programme, "activity": activity, "form": form}
    return _editor(request, "milestones/schedule_form.html", "schedule-editor", context, status=form_status(form))


def _meetings_context(request, programme: Programme, series_form=None, meeting_forms=None) -> dict:
    today = timezone.localdate()
    series = list(
        MeetingSeries.objects.filter(programme=programme)
        .select_related("programme")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.select_related("recorded_by")))
    )
    meeting_forms = meeting_forms or {}
    for s in series:
        s.upcoming = s.next_date(today)
        initial = {"held_on": programme.clamp(today)}  # a meeting of the programme, in its period
        s.form = meeting_forms.get(s.pk) or MeetingForm(initial=initial, prefix=f"s{s.pk}")
    return {
        "programme": programme,
        "today": today,
        "series": series,
        "next": next_meeting(programme, today),
        "can_edit": request.access.is_leader,
        "series_form": series_form or MeetingSeriesForm(),
    }


@login_required
def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    return render(request, "milestones/meetings.html", _meetings_context(request, programme))


@login_required
@require_POST
def series_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not request.access.is_leader:
        raise PermissionDenied
    form = MeetingSeriesForm(request.POST, instance=MeetingSeries(programme=programme))
    if form.is_valid():
        form.save()
        messages.success(request, _("Møteserien «%(name)s» er opprettet.") % {"name": form.instance.name})
        return redirect("meetings", slug=slug)
    context = _meetings_context(request, programme, series_form=form)
    return render(request, "milestones/meetings.html", context, status=form_status(form))


@login_required
@require_POST
def meeting_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_for(request, slug)
    if not request.access.is_leader:
        raise PermissionDenied
    series = get_object_or_404(MeetingSeries, programme=programme, pk=pk)
    form = MeetingForm(request.POST, prefix=f"s{series.pk}", instance=Meeting(series=series, recorded_by=request.user))
    if form.is_valid():
        form.save()
        messages.success(
            request,
            _("Møtet %(date)s i «%(name)s» er registrert.")
            % {"date": form.instance.held_on.strftime("%d.%m.%Y"), "name": series.name},
        )
        return redirect("meetings", slug=slug)
    context = _meetings_context(request, programme, meeting_forms={series.pk: form})
    return render(request, "milestones/meetings.html", context, status=form_status(form))
