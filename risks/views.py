from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.htmx import form_status, render_page
from common.versioning import save_edit, submitted_version
from portfolio import imports
from portfolio.access import history_for, leader_programme_for, programme_for
from portfolio.models import Activity, Person, Programme
from risks.charts import heatmap, risk_history

from .forms import AssessmentForm, ImportForm, MitigationForm, RegisterFilterForm, RiskForm
from .models import Mitigation, Risk
from .resources import export_file, run_import


def can_edit_risk(access, risk: Risk) -> bool:
    """Project leader: every risk. Project group: risks of activities they work on.

    A programme-level risk (no activity) is the project leader's alone.
    """
    return access.can_edit_activity(risk.activity)


def risk_for(request: HttpRequest, slug: str, code: str, *, edit: bool = False) -> Risk:
    """The risk the user may read (or edit), or 404/403."""
    programme = programme_for(request, slug)
    risk = get_object_or_404(
        Risk.objects.select_related("programme", "activity", "owner").with_latest(), programme=programme, code=code
    )
    if edit and not can_edit_risk(request.access, risk):
        raise PermissionDenied
    return risk


def register_heatmap(programme: Programme, counts, query: str = "", selected=None, highlight=None):
    base = reverse("risk_register", args=[programme.slug])
    prefix = f"{base}?{query}&" if query else f"{base}?"
    return heatmap(
        counts,
        cell_url=lambda s, k: f"{prefix}s={s}&k={k}",
        hx_target="#risk-register",
        selected=selected,
        highlight=highlight,
    )


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    today = programme.overdue_cutoff()
    people = list(Person.objects.filter(risks__programme=programme).distinct().order_by("name"))
    activities = list(Activity.objects.filter(programme=programme).only("pk", "code", "name"))
    filters = RegisterFilterForm(request.GET, people=people, activities=activities)
    base = Risk.objects.filter(programme=programme).with_latest().with_overdue(today)
    # The heat map counts what the list shows apart from the cell itself, so clicking a cell
    # narrows the list to exactly the number printed in it.
    without_cell = filters.apply(base, with_cell=False)
    risks = (
        filters.apply(base)
        .select_related("activity", "owner")
        .prefetch_related(Prefetch("mitigations", queryset=Mitigation.objects.select_related("responsible")))
    )
    context = {
        "programme": programme,
        "today": today,
        "filters": filters,
        "risks": risks,
        "heatmap": register_heatmap(programme, without_cell.heat_counts(), filters.query_without_cell(), filters.cell),
        "cell": filters.cell,
        "attention_count": Risk.objects.filter(programme=programme).needing_attention(today).count(),
        "can_create": request.access.is_leader or request.access.editable_activities().exists(),
    }
    return render_page(request, "risks/register.html", context, partial="risk-register")


def _detail_context(request, risk: Risk) -> dict:
    # Measured against the programme's cutoff: after the programme's end nothing shows «forfalt».
    today = risk.programme.overdue_cutoff()
    mitigations = list(risk.mitigations.select_related("responsible"))
    for mitigation in mitigations:
        mitigation.overdue = mitigation.is_overdue(today)
    history = list(risk.assessments.select_related("assessed_by").order_by("assessed_on", "id"))
    counts = Risk.objects.filter(programme=risk.programme).heat_counts()
    cell = (risk.latest_probability, risk.latest_consequence) if risk.latest_rf is not None else None
    return {
        "programme": risk.programme,
        "risk": risk,
        "today": today,
        "history": list(reversed(history)),
        "history_chart": risk_history([(a.assessed_on, a.rf) for a in history]),
        "heatmap": register_heatmap(risk.programme, counts, highlight=cell),
        "mitigations": mitigations,
        "review_overdue": risk.is_review_overdue(today),
        "can_edit": can_edit_risk(request.access, risk),
        # Start from the current scores: a re-scoring usually moves one of them by a step.
        "assessment_form": AssessmentForm(
            initial={"probability": risk.latest_probability, "consequence": risk.latest_consequence}
        ),
        "mitigation_form": MitigationForm(programme=risk.programme),
        "audit_history": history_for(request.access, risk),
    }


@login_required
def risk_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    risk = risk_for(request, slug, code)
    return render(request, "risks/risk_detail.html", _detail_context(request, risk))


@login_required
@require_POST
def risk_rescore(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    risk = risk_for(request, slug, code, edit=True)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        risk.rescore(
            form.cleaned_data["probability"],
            form.cleaned_data["consequence"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("Ny vurdering av %(code)s er lagret (S %(s)s, K %(k)s).")
            % {"code": risk.code, "s": form.cleaned_data["probability"], "k": form.cleaned_data["consequence"]},
        )
        if not request.htmx:
            return redirect("risk_detail", slug=slug, code=risk.code)
        risk = risk_for(request, slug, code)  # fresh latest_* annotations
    context = _detail_context(request, risk)
    if form.errors:
        context["assessment_form"] = form
    return render_page(request, "risks/risk_detail.html", context, partial="scoring", status=form_status(form))


@login_required
@require_POST
def mitigation_add(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    risk = risk_for(request, slug, code, edit=True)
    form = MitigationForm(request.POST, programme=risk.programme)
    if form.is_valid():
        form.instance.risk = risk
        form.save()
        messages.success(request, _("Tiltaket er lagt til %(code)s.") % {"code": risk.code})
        if not request.htmx:
            return redirect("risk_detail", slug=slug, code=risk.code)
    context = _detail_context(request, risk)
    if form.errors:
        context["mitigation_form"] = form
    return render_page(request, "risks/risk_detail.html", context, partial="mitigations", status=form_status(form))


@login_required
@require_POST
def mitigation_toggle(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    risk = risk_for(request, slug, code, edit=True)
    mitigation = get_object_or_404(Mitigation, risk=risk, pk=pk)
    # The button says "mark as done" or "not done" for the version the user saw; a toggle from a stale page
    # would undo another user's click, so it is refused.
    if not mitigation.change_if_current(submitted_version(request.POST), mitigation.toggle_done):
        context = _detail_context(request, risk)
        context["mitigation_stale"] = _("Tiltaket er endret av en annen bruker i mellomtiden; se status nedenfor.")
        return render_page(request, "risks/risk_detail.html", context, partial="mitigations", status=409)
    if mitigation.done:
        messages.success(request, _("Tiltaket er markert som utført."))
    else:
        messages.success(request, _("Tiltaket er markert som ikke utført."))
    if not request.htmx:
        return redirect("risk_detail", slug=slug, code=risk.code)
    return render(request, "risks/risk_detail.html#mitigations", _detail_context(request, risk))


@login_required
def risk_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    """Create (no code) or edit a risk; the activity choice is limited to what the user may edit."""
    if code is None:
        programme = programme_for(request, slug)
        risk = Risk(programme=programme)
        # A project-group member adds risks to the activities they are responsible for: without one, nothing.
        if not (request.access.is_leader or request.access.editable_activities().exists()):
            raise PermissionDenied
    else:
        risk = risk_for(request, slug, code, edit=True)
        programme = risk.programme
    form, stale = _risk_form(request, risk, programme), None
    if request.method == "POST":
        edit = save_edit(
            _risk_form(request, risk, programme, request.POST),
            restart=lambda stored: _risk_form(request, stored, programme),  # by pk: the code may have changed
            on_clash=_risk_code_taken,
        )
        if edit.saved:
            saved = _("Risikoen %(code)s er opprettet.") if code is None else _("Risikoen %(code)s er lagret.")
            messages.success(request, saved % {"code": edit.form.instance.code})
            return redirect("risk_detail", slug=slug, code=edit.form.instance.code)
        form, stale = edit.form, edit.stale
    context = {"programme": programme, "form": form, "risk": form.instance, "stale": stale}
    return render(request, "risks/risk_form.html", context, status=form_status(form, stale=stale))


def _risk_code_taken(form) -> None:
    """Another user saved a risk with this number at the same moment: the database refused the second."""
    code = form.cleaned_data.get("code", "")
    form.add_error("code", _("Det finnes allerede en risiko med nummeret %(code)s i programmet.") % {"code": code})


def _risk_form(request: HttpRequest, risk: Risk, programme: Programme, data=None) -> RiskForm:
    """The risk form; the activity choice is limited to what the user may edit."""
    form = RiskForm(data, instance=risk, programme=programme, activities=request.access.editable_activities())
    if not request.access.is_leader:
        # A programme-level risk (no activity) is the project leader's alone.
        form.fields["activity"].required = True
        form.fields["activity"].error_messages["required"] = _("Velg en hovedaktivitet du er ansvarlig for.")
    return form


@login_required
def risk_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    programme = programme_for(request, slug)
    content_types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(export_file(programme, file_format), content_type=content_types[file_format])
    response["Content-Disposition"] = f'attachment; filename="risikoer-{programme.slug}.{file_format}"'
    return response


@login_required
def risk_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Project leader only: imports change many risks at once, across activities."""
    programme = leader_programme_for(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if imports.runs_in_background(upload):
            job = imports.start("risikoer", programme, request.user, upload, dry_run=form.cleaned_data["dry_run"])
            return redirect("import_job", slug=slug, job_id=job.pk)
        report = run_import(
            programme, upload.read(), upload.name, user=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    status = 422 if form.errors or (report and report.errors) else 200
    return render(request, "risks/import.html", {"programme": programme, "form": form, "report": report}, status=status)
