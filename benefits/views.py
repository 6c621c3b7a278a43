from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.htmx import form_status, render_page
from common.parsing import query_int
from common.versioning import save_edit, submitted_version
from measures.models import Proposal
from portfolio import imports
from portfolio.access import history_for, leader_programme_for, programme_for
from portfolio.models import Person

from . import resources
from .forms import BenefitForm, BenefitPlanForm, CashFlowLineForm, ImportForm, MeasurementForm
from .models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine
from .presentation import benefit_chart


def plan_for(request: HttpRequest, slug: str, code: str) -> BenefitPlan:
    """The plan the user may read (404/403), with what the access rule and the pages need."""
    programme = programme_for(request, slug)
    return get_object_or_404(
        BenefitPlan.objects.select_related("programme", "activity", "measure__activity"),
        programme=programme,
        code=code,
    )


def benefit_for(request: HttpRequest, slug: str, code: str, pk: int) -> Benefit:
    plan = plan_for(request, slug, code)
    benefit = get_object_or_404(Benefit.objects.select_related("owner").with_latest(), plan=plan, pk=pk)
    benefit.plan = plan
    return benefit


def can_edit(request: HttpRequest, plan: BenefitPlan) -> bool:
    return request.access.can_edit_activity(plan.subject_activity)


def require_edit(request: HttpRequest, plan: BenefitPlan) -> None:
    if not can_edit(request, plan):
        raise PermissionDenied


def can_correct(request: HttpRequest, benefit: Benefit) -> bool:
    """Who may record a measurement may correct or delete one; so may the benefit's owner, who answers for it."""
    person = request.access.person
    return can_edit(request, benefit.plan) or (person is not None and benefit.owner_id == person.pk)


def measurement_for(request: HttpRequest, slug: str, code: str, pk: int, measurement: int):
    """The benefit and one of its measurements, for a user who may correct it (404/403 otherwise)."""
    benefit = benefit_for(request, slug, code, pk)
    if not can_correct(request, benefit):
        raise PermissionDenied
    return benefit, get_object_or_404(BenefitMeasurement, benefit=benefit, pk=measurement)


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's gevinstoversikt: every benefit with owner, target, latest measurement and realisation %."""
    programme = programme_for(request, slug)
    benefits = (
        Benefit.objects.filter(plan__programme=programme)
        .select_related("plan__activity", "plan__measure", "owner")
        .with_latest()
        .order_by("plan__code", "id")
    )
    filters = {key: request.GET.get(key, "") for key in ("aktivitet", "eier", "type", "status")}
    lines = CashFlowLine.objects.filter(plan__programme=programme)
    if filters["aktivitet"]:
        # A plan for an accepted measure belongs to the measure's activity.
        of_activity = Q(plan__activity__code=filters["aktivitet"]) | Q(
            plan__measure__activity__code=filters["aktivitet"]
        )
        benefits = benefits.filter(of_activity)
        lines = lines.filter(of_activity)
    if (owner := query_int(filters["eier"])) is not None:
        benefits = benefits.filter(owner_id=owner)
    if filters["type"] in Benefit.Kind.values:
        benefits = benefits.filter(kind=filters["type"])
    if filters["status"] in Benefit.Status.values:
        benefits = benefits.filter(status=filters["status"])
    yearly = lines.values("year").annotate(expected=Sum("benefit_value"), realised=Sum("realised_benefit_value"))
    context = {
        "programme": programme,
        "benefits": benefits,
        "filters": filters,
        "yearly_totals": yearly.order_by("year"),
        "plans": BenefitPlan.objects.filter(programme=programme).select_related("activity", "measure"),
        "activities": programme.activities.filter(
            Q(benefit_plans__isnull=False) | Q(measures__benefit_plans__isnull=False)
        )
        .distinct()
        .order_by("code"),
        "owners": Person.objects.filter(owned_benefits__plan__programme=programme).distinct().order_by("name"),
        "kinds": Benefit.Kind.choices,
        "statuses": Benefit.Status.choices,
        "can_create_plan": not request.htmx and request.access.editable_activities().exists(),
    }
    return render_page(request, "benefits/overview.html", context, partial="benefit-table")


def _plan_context(request: HttpRequest, plan: BenefitPlan, form=None) -> dict:
    benefits = list(plan.benefits.select_related("owner").with_latest())
    lines = list(plan.cash_flow_lines.all())
    return {
        "programme": plan.programme,
        "plan": plan,
        "benefits": benefits,
        "not_in_kroner": [b for b in benefits if not b.is_financial],
        "analysis": plan.cost_benefit(lines),
        "ignored_years": [line.year for line in lines if not plan.first_year <= line.year <= plan.last_year],
        "can_edit": can_edit(request, plan),
        "form": form or CashFlowLineForm(plan=plan),
        "audit_history": history_for(request.access, plan),
    }


@login_required
def plan_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    plan = plan_for(request, slug, code)
    form = None
    year = query_int(request.GET.get("aar", ""))
    if year is not None and can_edit(request, plan):
        # "Endre" on a row of the table: the form starts from that year's stored figures and version.
        line = plan.cash_flow_lines.filter(year=year).first()
        form = CashFlowLineForm(plan=plan, instance=line, initial=None if line else {"year": year})
    return render(request, "benefits/plan_detail.html", _plan_context(request, plan, form))


@login_required
@require_POST
def save_cash_flow(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    plan = plan_for(request, slug, code)
    require_edit(request, plan)
    year = query_int(request.POST.get("year", "").strip())
    line = plan.cash_flow_lines.filter(year=year).first() if year is not None else None
    # Another user may have saved the year first (or it already had figures): then it starts again from the
    # stored line.
    edit = save_edit(
        CashFlowLineForm(request.POST, plan=plan, instance=line),
        restart=lambda stored: CashFlowLineForm(plan=plan, instance=stored),
    )
    if edit.saved:
        messages.success(request, _("Tallene for %(year)s er lagret.") % {"year": edit.form.instance.year})
    if edit.saved and not request.htmx:
        return redirect("benefit_plan", slug=slug, code=code)
    form = None if edit.saved else edit.form
    context = {**_plan_context(request, plan, form), "stale": edit.stale}
    status = 200 if edit.saved else form_status(form, stale=edit.stale)
    return render_page(request, "benefits/plan_detail.html", context, partial="cost-benefit", status=status)


def _benefit_context(request: HttpRequest, benefit: Benefit, form=None) -> dict:
    measurements = list(benefit.measurements.select_related("recorded_by").order_by("measured_on", "id"))
    for m in measurements:
        m.percent = benefit.realisation_percent(m.value)
    return {
        "programme": benefit.plan.programme,
        "plan": benefit.plan,
        "benefit": benefit,
        "measurements": measurements,
        "chart": benefit_chart(benefit, measurements),
        "can_edit": can_edit(request, benefit.plan),
        "can_correct": can_correct(request, benefit),
        "form": form or MeasurementForm(benefit=benefit),
        "audit_history": history_for(request.access, benefit),
    }


@login_required
def benefit_detail(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    benefit = benefit_for(request, slug, code, pk)
    return render(request, "benefits/benefit_detail.html", _benefit_context(request, benefit))


@login_required
@require_POST
def record_measurement(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    benefit = benefit_for(request, slug, code, pk)
    require_edit(request, benefit.plan)
    form = MeasurementForm(request.POST, benefit=benefit)
    if not form.is_valid():
        context = _benefit_context(request, benefit, form)
        return render_page(request, "benefits/benefit_detail.html", context, partial="measurements", status=422)
    form.instance.recorded_by = request.user
    form.save()
    messages.success(request, _("Målingen er lagret."))
    if not request.htmx:
        return redirect("benefit_detail", slug=slug, code=code, pk=pk)
    benefit = benefit_for(request, slug, code, pk)  # fresh latest value for the realisation %
    return render(request, "benefits/benefit_detail.html#measurements", _benefit_context(request, benefit))


@login_required
def measurement_edit(request: HttpRequest, slug: str, code: str, pk: int, measurement: int) -> HttpResponse:
    """Correct a measurement: versioned, so a correction never overwrites another one made meanwhile."""
    benefit, found = measurement_for(request, slug, code, pk, measurement)
    form, stale = MeasurementForm(instance=found, benefit=benefit), None
    if request.method == "POST":
        edit = save_edit(
            MeasurementForm(request.POST, instance=found, benefit=benefit),
            restart=lambda stored: MeasurementForm(instance=stored, benefit=benefit),
        )
        if edit.saved:
            messages.success(request, _("Målingen er rettet."))
            return redirect("benefit_detail", slug=slug, code=code, pk=pk)
        form, stale = edit.form, edit.stale
    context = {"programme": benefit.plan.programme, "plan": benefit.plan, "benefit": benefit, "stale": stale}
    return render(
        request, "benefits/measurement_form.html", {**context, "form": form}, status=form_status(form, stale=stale)
    )


@login_required
def measurement_delete(request: HttpRequest, slug: str, code: str, pk: int, measurement: int) -> HttpResponse:
    """Delete a measurement after asking (GET shows what will go); the audit history keeps the deleted value."""
    benefit, found = measurement_for(request, slug, code, pk, measurement)
    error, status = None, 200
    if request.method == "POST":
        if found.change_if_current(submitted_version(request.POST), found.delete):
            messages.success(request, _("Målingen er slettet. Den står fortsatt i endringshistorikken."))
            return redirect("benefit_detail", slug=slug, code=code, pk=pk)
        stored = BenefitMeasurement.objects.filter(pk=found.pk).first()
        if stored is None:
            messages.info(request, _("Målingen var allerede slettet."))
            return redirect("benefit_detail", slug=slug, code=code, pk=pk)
        # Corrected by someone else since the page was drawn: ask again about what is stored now.
        found, status = stored, 409
        error = _(
            "Målingen er rettet av noen andre mens du så på den, og ingenting er slettet. "
            "Se den lagrede verdien nedenfor, og bekreft på nytt om den skal slettes."
        )
    context = {"programme": benefit.plan.programme, "plan": benefit.plan, "benefit": benefit}
    return render(
        request, "benefits/measurement_delete.html", {**context, "measurement": found, "error": error}, status=status
    )


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def export(request: HttpRequest, slug: str, kind: str, file_format: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if kind not in resources.KINDS or file_format not in EXPORT_TYPES:
        raise Http404
    response = HttpResponse(resources.export_file(kind, programme, file_format), content_type=EXPORT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{kind}-{programme.slug}.{file_format}"'
    return response


@login_required
def import_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Import benefits or measurements from a sheet: the project leader only, all rows or none."""
    programme = leader_programme_for(request, slug)
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if imports.runs_in_background(upload):
            kind, dry_run = form.cleaned_data["kind"], form.cleaned_data["dry_run"]
            job = imports.start(kind, programme, request.user, upload, dry_run=dry_run)
            return redirect("import_job", slug=slug, job_id=job.pk)
        report = resources.run_import(
            form.cleaned_data["kind"],
            programme,
            upload.read(),
            upload.name,
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.saved:
            messages.success(
                request,
                _("Importert: %(new)d nye og %(updated)d endrede rader.")
                % {"new": report.new, "updated": report.updated},
            )
            return redirect("benefit_overview", slug=slug)
    status = 422 if (report and report.errors) or form.errors else 200
    context = {"programme": programme, "form": form, "report": report}
    return render(request, "benefits/import.html", context, status=status)


def _plan_form(request, programme, instance=None, data=False):
    activities = request.access.editable_activities()
    measures = Proposal.objects.filter(programme=programme, activity__in=activities).measures().order_by("title")
    if request.access.is_leader:
        measures = Proposal.objects.filter(programme=programme).measures()
    return BenefitPlanForm(
        (request.POST or None) if data is False else data,
        instance=instance,
        programme=programme,
        activities=activities,
        measures=measures,
    )


def _plan_code_taken(form) -> None:
    """Another user saved a plan with this code at the same moment: the database refused the second save."""
    code = form.instance.code
    form.add_error("code", _("Det finnes allerede en plan med koden %(code)s i programmet.") % {"code": code})


def _render_form(request, context, form, status=200):
    return render(request, "benefits/form.html", {**context, "form": form}, status=status)


@login_required
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not request.access.editable_activities().exists():
        raise PermissionDenied
    form = _plan_form(request, programme)
    if request.method == "POST" and save_edit(form, on_clash=_plan_code_taken).saved:
        messages.success(request, _("Planen %(code)s er opprettet.") % {"code": form.instance.code})
        return redirect("benefit_plan", slug=slug, code=form.instance.code)
    context = {"programme": programme, "heading": _("Ny gevinstrealiseringsplan")}
    return _render_form(request, context, form, form_status(form))


@login_required
def plan_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    plan = plan_for(request, slug, code)
    require_edit(request, plan)
    form, stale = _plan_form(request, plan.programme, instance=plan, data=None), None
    if request.method == "POST":
        edit = save_edit(
            _plan_form(request, plan.programme, instance=plan),
            # by pk: another user may have changed the code
            restart=lambda stored: _plan_form(request, stored.programme, instance=stored, data=None),
            on_clash=_plan_code_taken,
        )
        if edit.saved:
            messages.success(request, _("Planen %(code)s er lagret.") % {"code": edit.form.instance.code})
            return redirect("benefit_plan", slug=slug, code=edit.form.instance.code)
        form, stale = edit.form, edit.stale
        plan = form.instance
    context = {
        "programme": plan.programme,
        "plan": plan,
        "heading": _("Endre %(code)s") % {"code": plan.code},
        "stale": stale,
    }
    return _render_form(request, context, form, form_status(form, stale=stale))


@login_required
def benefit_edit(request: HttpRequest, slug: str, code: str, pk: int | None = None) -> HttpResponse:
    """Create (no pk) or edit a benefit of a plan the user may edit."""
    plan = plan_for(request, slug, code)
    require_edit(request, plan)
    benefit = get_object_or_404(Benefit, plan=plan, pk=pk) if pk else None
    form, stale = BenefitForm(instance=benefit, plan=plan), None
    if request.method == "POST":
        edit = save_edit(
            BenefitForm(request.POST, instance=benefit, plan=plan),
            restart=lambda stored: BenefitForm(instance=stored, plan=plan),
        )
        if edit.saved:
            messages.success(request, _("Gevinsten er lagret.") if benefit else _("Gevinsten er opprettet."))
            return redirect("benefit_detail", slug=slug, code=code, pk=edit.form.instance.pk)
        form, stale = edit.form, edit.stale
    heading = _("Endre gevinst") if benefit else _("Ny gevinst i %(code)s") % {"code": plan.code}
    context = {"programme": plan.programme, "plan": plan, "heading": heading, "stale": stale}
    return _render_form(request, context, form, form_status(form, stale=stale))
