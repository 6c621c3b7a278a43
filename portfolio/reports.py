"""The annual revision report (rulleringsrapport) for the executive committee, as a PDF.

`gather` collects the data, `render_html` turns it into HTML, `render_pdf` into a PDF, and `build_report`
runs the three for one RevisionReport record. The Celery task and the `revision_report` command both go
through these functions, so the button and the command produce the same report.
"""

import logging

from django.core.files.base import ContentFile
from django.db import OperationalError
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan
from benefits.presentation import benefit_chart
from measures.models import Proposal, RevisionRound
from milestones.models import DecisionPoint, Milestone
from risks.models import HIGH_FROM, Risk

from .charts.heatmap import heatmap
from .models import RAG, Phase, Programme, RevisionReport, StatusReport

logger = logging.getLogger(__name__)

TEMPLATE = "portfolio/report/revision_report.html"

# Errors worth a retry: the database or the file system was briefly unavailable.
TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)


class ReportError(Exception):
    """A report cannot be built for a reason the user can act on; the message is shown as it is."""


def gather(programme: Programme, year: int, *, recommendations: str = "") -> dict:
    """Everything the report shows for `year`, as plain data (lists, dicts, model instances)."""
    phases = list(Phase.objects.filter(programme=programme).prefetch_related("budget_lines"))
    if not phases:
        raise ReportError(_("Programmet har ingen faser."))
    first, last = programme.start_date.year, programme.end_date.year
    if not first <= year <= last:
        raise ReportError(
            _("Året %(year)s ligger utenfor programmet (%(first)s–%(last)s).")
            % {"year": year, "first": first, "last": last}
        )

    milestones = Milestone.objects.filter(programme=programme).order_by("planned_date", "code")
    activities = list(
        programme.activities.select_related("responsible").prefetch_related(
            Prefetch(
                "status_reports",
                queryset=StatusReport.objects.filter(period_end__year__lte=year).order_by("-period_end", "-id"),
            ),
            Prefetch("milestones", queryset=milestones),
        )
    )
    activity_rows = []
    for activity in activities:
        reports = list(activity.status_reports.all())
        own = list(activity.milestones.all())
        planned = [m for m in own if m.planned_date.year <= year]
        activity_rows.append(
            {
                "activity": activity,
                "status": reports[0] if reports else None,
                "milestones": own,
                "planned_count": len(planned),
                "achieved_count": sum(m.status == Milestone.Status.ACHIEVED for m in planned),
            }
        )

    year_milestones = [m for m in milestones if m.planned_date.year == year]
    decision_points = list(DecisionPoint.objects.filter(programme=programme).order_by("date", "code"))
    risks = list(
        Risk.objects.filter(programme=programme)
        .with_latest()
        .select_related("activity", "owner")
        .order_by("-latest_rf", "code")
    )

    benefit_plans = list(
        BenefitPlan.objects.filter(programme=programme)
        .select_related("activity", "measure")
        .prefetch_related(
            "cash_flow_lines",
            Prefetch(
                "benefits",
                queryset=Benefit.objects.with_latest()
                .select_related("owner")
                .prefetch_related(
                    Prefetch("measurements", queryset=BenefitMeasurement.objects.order_by("measured_on", "id"))
                ),
            ),
        )
    )
    benefit_rows = [
        {
            "plan": plan,
            "analysis": plan.cost_benefit(plan.cash_flow_lines.all()),
            "benefits": [
                {"benefit": benefit, "chart": benefit_chart(benefit, benefit.measurements.all())}
                for benefit in plan.benefits.all()
            ],
        }
        for plan in benefit_plans
    ]

    revision_round = RevisionRound.objects.filter(programme=programme, year=year).first()
    proposals = []
    if revision_round is not None:
        proposals = list(
            Proposal.objects.filter(revision_round=revision_round)
            .visible()
            .with_priority()
            .select_related("area", "activity")
            .order_by("status", "-priority", "title")
        )
    by_status = [
        {"label": label, "proposals": [p for p in proposals if p.status == value]}
        for value, label in Proposal.Status.choices
    ]
    prioritised = sorted(
        (p for p in proposals if p.status in Proposal.ACCEPTED_STATUSES),
        key=lambda p: (p.priority is None, -(p.priority or 0), p.title),
    )

    budget = [{"phase": phase, "totals": phase.budget_totals()} for phase in phases]
    current_phase = next((phase for phase in phases if phase.year == year), None)

    latest_statuses = [row["status"] for row in activity_rows if row["status"]]
    summary = {
        "activities": len(activity_rows),
        "status_counts": [(label, sum(s.overall == value for s in latest_statuses)) for value, label in RAG.choices],
        "without_status": len(activity_rows) - len(latest_statuses),
        "milestones_planned": len(year_milestones),
        "milestones_achieved": sum(m.status == Milestone.Status.ACHIEVED for m in year_milestones),
        "decisions_taken": sum(
            d.status == DecisionPoint.Status.DECIDED and (d.decided_on or d.date).year == year for d in decision_points
        ),
        "high_risks": sum(r.latest_rf is not None and r.latest_rf >= HIGH_FROM for r in risks),
        "proposals": len(proposals),
        "accepted": len(prioritised),
        "phase_totals": current_phase.budget_totals() if current_phase else None,
    }

    return {
        "programme": programme,
        "year": year,
        "generated_on": timezone.localdate(),
        "summary": summary,
        "current_phase": current_phase,
        "activities": activity_rows,
        "year_milestones": year_milestones,
        "decision_points": decision_points,
        "risks": risks,
        "heatmap": heatmap(Risk.objects.filter(programme=programme).heat_counts()),
        "benefit_plans": benefit_rows,
        "revision_round": revision_round,
        "proposals_by_status": [group for group in by_status if group["proposals"]],
        "prioritised": prioritised,
        "budget": budget,
        "recommendations": recommendations,
    }


def render_html(data: dict) -> str:
    return render_to_string(TEMPLATE, data)


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which pages that never render a PDF don't need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def build_pdf(programme: Programme, year: int, *, recommendations: str = "") -> bytes:
    """The report as PDF bytes, without a record (the same steps as `build_report`)."""
    return render_pdf(render_html(gather(programme, year, recommendations=recommendations)))


def _set_state(report_id: int, state: str, **fields) -> None:
    RevisionReport.objects.filter(pk=report_id).update(state=state, **fields)


def build_report(report_id: int, *, retry_transient: bool = False) -> bool:
    """Build the PDF of one queued report; returns False when another run has claimed it already.

    The conditional UPDATE (queued → gathering) is the claim: a re-delivered task finds the state moved
    on and does nothing. A failure is recorded on the record with a readable message. With
    `retry_transient`, a transient error puts the report back in the queue and is raised, so that the
    task can retry it.
    """
    claimed = RevisionReport.objects.filter(pk=report_id, state=RevisionReport.State.QUEUED).update(
        state=RevisionReport.State.GATHERING, error=""
    )
    if not claimed:
        return False
    report = RevisionReport.objects.select_related("programme").get(pk=report_id)
    try:
        data = gather(report.programme, report.year, recommendations=report.recommendations)
        _set_state(report_id, RevisionReport.State.RENDERING)
        pdf = render_pdf(render_html(data))
        name = f"rulleringsrapport-{report.programme.slug}-{report.year}-{report.pk}.pdf"
        report.pdf.save(name, ContentFile(pdf), save=False)
        _set_state(report_id, RevisionReport.State.DONE, pdf=report.pdf.name, size=len(pdf), finished_at=timezone.now())
    except TRANSIENT_ERRORS:
        if retry_transient:
            _set_state(report_id, RevisionReport.State.QUEUED)
            raise
        logger.exception("Revision report %s failed", report_id)
        _set_state(report_id, RevisionReport.State.FAILED, error=_failure_message(None), finished_at=timezone.now())
    except ReportError as error:
        _set_state(report_id, RevisionReport.State.FAILED, error=str(error), finished_at=timezone.now())
    except Exception as error:
        logger.exception("Revision report %s failed", report_id)
        _set_state(report_id, RevisionReport.State.FAILED, error=_failure_message(error), finished_at=timezone.now())
    return True


def _failure_message(error: Exception | None) -> str:
    message = _("Rapporten kunne ikke lages. Prøv igjen senere, eller kontakt systemansvarlig.")
    if error is not None:
        message += " " + _("Teknisk feil: %(kind)s: %(detail)s") % {
            "kind": type(error).__name__,
            "detail": str(error)[:300],
        }
    return message
