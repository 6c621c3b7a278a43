"""The annual revision report (rulleringsrapport) for the executive committee, as a tagged PDF and as HTML.

`gather` collects the data, `render_html` turns it into HTML (the PDF's layout, or the web edition from the same
content template), `render_pdf` into a PDF/UA-1 file, and `build_report` runs them for one RevisionReport record
and stores both editions. The Celery task and the `revision_report` command both go
through these functions, so the button and the command produce the same report.

`snapshot_data` is the plan as plain JSON; the first final report of a year freezes it as a PlanSnapshot,
and `diff_snapshots` compares two of them (the changes page, and the report's "changes since last year").
`build_yearly_reports` is what Celery beat runs daily.
"""

import logging
import re
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan
from benefits.presentation import benefit_chart
from common import formatting
from common.formatting import nok
from common.mail import send_templated_mail
from common.tasks import queue_on_commit
from measures.models import Proposal, RevisionRound
from milestones.models import DecisionPoint, Milestone
from portfolio.models import RAG, BudgetLine, Phase, Programme, ScheduledMonth, StatusReport, summarise_budget
from portfolio.roles import PROJECT_LEADER
from risks.charts import heatmap_svg
from risks.models import HIGH_FROM, Risk

from . import charts
from .models import PlanSnapshot, RevisionReport

logger = logging.getLogger(__name__)

TEMPLATE = "reports/pdf/revision_report.html"
# Both editions include the same content template (reports/report/_content.html) with the same data.
EDITIONS = {"pdf": TEMPLATE, "html": "reports/html/revision_report.html"}
# PDF/UA-1: tagged, with language, title and alternative text; see the README for why not PDF/A-2a.
PDF_VARIANT = "pdf/ua-1"
TOP_RISKS = 5

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
        .select_related("activity", "measure", "programme")  # first_year falls back on the programme
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
            "benefits": [_benefit_item(benefit) for benefit in plan.benefits.all()],
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

    # What changed since last year's snapshot: compared with the plan as it stands now, which is also
    # what this report freezes as this year's snapshot.
    snapshot = snapshot_data(programme)
    previous = PlanSnapshot.objects.filter(programme=programme, year=year - 1).values_list("data", flat=True).first()
    changes = diff_snapshots(previous, snapshot) if previous is not None else None

    heat_counts: dict[tuple[int, int], int] = {}
    for risk in risks:  # the heat map from the risks already read, not one more query
        if risk.latest_probability is not None and risk.latest_consequence is not None:
            cell = (risk.latest_probability, risk.latest_consequence)
            heat_counts[cell] = heat_counts.get(cell, 0) + 1
    overview = _overview(
        year=year,
        activity_rows=activity_rows,
        budget=budget,
        benefit_rows=benefit_rows,
        risks=risks,
        decision_points=decision_points,
        prioritised=prioritised,
        changes=changes,
    )

    return {
        "programme": programme,
        # The municipality's colour for headings (only where it is readable on white) and its logo, inlined.
        "accent": programme.organisation.accent_colour,
        # The colour itself, unconditionally, marks the cover and the running header as it marks the pages' header.
        "brand": programme.organisation.colour,
        "logo": programme.organisation.logo_data_uri(),
        "year": year,
        "generated_on": timezone.localdate(),
        "snapshot": snapshot,
        "changes": changes,
        "changes_since": year - 1,
        "changes_any": changes is not None and has_changes(changes),
        "summary": summary,
        "current_phase": current_phase,
        "activities": activity_rows,
        "year_milestones": year_milestones,
        "decision_points": decision_points,
        "risks": risks,
        "heatmap": charts.as_image(heatmap_svg(heat_counts), charts.heatmap_alt(heat_counts), css_class="heatmap"),
        "overview": overview,
        "benefit_plans": benefit_rows,
        "revision_round": revision_round,
        "proposals_by_status": [group for group in by_status if group["proposals"]],
        "prioritised": prioritised,
        "budget": budget,
        "recommendations": recommendations,
    }


def _benefit_item(benefit: Benefit) -> dict:
    """A benefit with its chart as an image whose alternative text gives the chart's figures."""
    measurements = list(benefit.measurements.all())
    chart = benefit_chart(benefit, measurements, image=True)
    if str(chart).startswith("<svg"):  # else a short text: nothing to draw
        chart = charts.as_image(chart, charts.benefit_alt(benefit, measurements), css_class="trajectory")
    return {"benefit": benefit, "chart": chart}


def _overview(*, year, activity_rows, budget, benefit_rows, risks, decision_points, prioritised, changes) -> dict:
    """The summary a politician reads in two minutes: three charts with their figures, the top risks, the
    decisions asked for, and what changed since last year. Built from what `gather` read already (no queries)."""
    counts = dict.fromkeys(RAG.values, 0) | {"none": 0}
    for row in activity_rows:
        counts[row["status"].overall if row["status"] else "none"] += 1
    status_counts = [(value, str(label), counts[value]) for value, label in RAG.choices]
    status_counts.append(("none", _("Uten statusrapport"), counts["none"]))
    status_svg, status_alt = charts.status_chart(status_counts, len(activity_rows))

    budget_rows = [
        {
            "label": str(row["phase"]),
            "planned": row["totals"]["cost"]["planned"],
            "actual": row["totals"]["cost"]["actual"],
        }
        for row in budget
    ]
    for row in budget_rows:
        row["planned_shown"] = nok(row["planned"])
        row["actual_shown"] = nok(row["actual"]) if row["actual"] is not None else _("ikke registrert")
    budget_svg, budget_alt = charts.budget_chart(budget_rows)

    benefits = [item["benefit"] for plan in benefit_rows for item in plan["benefits"] if item["benefit"].is_quantified]
    benefit_figures = [{"label": b.indicator, "percent": b.latest_realisation_percent, "benefit": b} for b in benefits]
    # A chart of bars that are all missing says nothing: drawn once at least one benefit has been measured.
    measured = any(row["percent"] is not None for row in benefit_figures)
    benefits_svg, benefits_alt = charts.benefits_chart(benefit_figures) if measured else (None, "")

    top_risks = [r for r in risks if r.status != Risk.Status.CLOSED and r.latest_rf is not None][:TOP_RISKS]
    decisions = [d for d in decision_points if d.status != DecisionPoint.Status.DECIDED and d.date.year <= year + 1]
    change_counts = None
    if changes is not None:
        change_counts = [
            {
                "label": section["label"],
                "added": len(section["added"]),
                "removed": len(section["removed"]),
                "changed": len({c["key"] for c in section["changed"]}),
            }
            for section in changes.values()
            if section["added"] or section["removed"] or section["changed"]
        ]
    return {
        "status_counts": status_counts,
        "status_chart": charts.as_image(status_svg, status_alt),
        "budget_rows": budget_rows,
        "budget_chart": charts.as_image(budget_svg, budget_alt),
        "benefits": benefit_figures,
        "benefits_chart": charts.as_image(benefits_svg, benefits_alt) if benefits_svg else None,
        "top_risks": top_risks,
        "decisions": decisions,
        "prioritised_count": len(prioritised),
        "next_year": year + 1,
        "change_counts": change_counts,
    }


def render_html(data: dict, *, edition: str = "pdf") -> str:
    """The report as HTML: `edition` "pdf" is the print layout WeasyPrint reads, "html" the web edition."""
    return render_to_string(EDITIONS[edition], data)


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which pages that never render a PDF don't need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def build_pdf(programme: Programme, year: int, *, recommendations: str = "") -> bytes:
    """The report as PDF bytes, without a record (the same steps as `build_report`)."""
    return render_pdf(render_html(gather(programme, year, recommendations=recommendations)))


# A claim older than this belongs to a run that died without finishing (its worker was killed): the task's
# hard time limit (300 s) has passed, so no live run can still hold it. Longer than that limit, on purpose.
CLAIM_TIMEOUT = timedelta(seconds=360)
CLAIMED_STATES = (RevisionReport.State.GATHERING, RevisionReport.State.RENDERING)


def _claim(report_id: int, *, take_over: bool = False):
    """Claim the report for this run with one conditional UPDATE; returns the claim's token or None.

    A queued report is claimed by the first run that gets to it. A report left in a claimed state is taken
    over when its claim is stale (older than CLAIM_TIMEOUT) or, with `take_over`, at once: the task passes
    that for a message the broker re-delivered because the worker that had it died. The UPDATE is
    conditional on the claim that was read, so of two runs trying to take it over, one wins.
    """
    current = RevisionReport.objects.filter(pk=report_id).values("state", "claimed_at").first()
    if current is None:
        return None
    now = timezone.now()
    if current["state"] == RevisionReport.State.QUEUED:
        pass
    elif current["state"] in CLAIMED_STATES and (
        take_over or current["claimed_at"] is None or current["claimed_at"] < now - CLAIM_TIMEOUT
    ):
        logger.warning("Revision report %s: taking over the claim of a run that did not finish", report_id)
    else:
        return None
    claimed = RevisionReport.objects.filter(pk=report_id, **current).update(
        state=RevisionReport.State.GATHERING, error="", claimed_at=now
    )
    return now if claimed else None


def build_report(report_id: int, *, retry_transient: bool = False, take_over: bool = False) -> bool:
    """Build the PDF of one queued report; returns False when another run has claimed it already.

    The conditional UPDATE of `_claim` is the claim: a repeated task finds the state moved on and does
    nothing, while a run that died half-way is taken over (see `_claim`). Every later write is conditional
    on this run's claim, so a run that lost its claim changes nothing. A failure is recorded on the record
    with a readable message. With `retry_transient`, a transient error puts the report back in the queue
    and is raised, so that the task can retry it.
    """
    token = _claim(report_id, take_over=take_over)
    if token is None:
        return False

    def set_state(state: str, **fields) -> None:
        RevisionReport.objects.filter(pk=report_id, claimed_at=token).update(state=state, **fields)

    report = RevisionReport.objects.select_related("programme").get(pk=report_id)
    try:
        data = gather(report.programme, report.year, recommendations=report.recommendations)
        set_state(RevisionReport.State.RENDERING)
        pdf = render_pdf(render_html(data))
        web = render_html(data, edition="html").encode()
        stem = f"rulleringsrapport-{report.programme.slug}-{report.year}-{report.pk}"
        for file, name, content in ((report.pdf, f"{stem}.pdf", pdf), (report.html, f"{stem}.html", web)):
            # A run that died after writing the file left it behind: this run owns the report now, so replace it.
            stale = file.field.generate_filename(report, name)
            if file.storage.exists(stale):
                file.storage.delete(stale)
            file.save(name, ContentFile(content), save=False)
        # The first final report of a year freezes the plan; later reports of that year leave it alone.
        # One transaction with the final state: a run killed in between leaves neither, and the next does both.
        with transaction.atomic():
            PlanSnapshot.objects.get_or_create(
                programme=report.programme,
                year=report.year,
                defaults={"report_id": report_id, "data": data["snapshot"]},
            )
            set_state(
                RevisionReport.State.DONE,
                pdf=report.pdf.name,
                size=len(pdf),
                html=report.html.name,
                finished_at=timezone.now(),
            )
    except TRANSIENT_ERRORS:
        if retry_transient:
            set_state(RevisionReport.State.QUEUED, claimed_at=None)
            raise
        logger.exception("Revision report %s failed", report_id)
        set_state(RevisionReport.State.FAILED, error=_failure_message(None), finished_at=timezone.now())
    except ReportError as error:
        set_state(RevisionReport.State.FAILED, error=str(error), finished_at=timezone.now())
    except Exception as error:
        logger.exception("Revision report %s failed", report_id)
        set_state(RevisionReport.State.FAILED, error=_failure_message(error), finished_at=timezone.now())
    if report.scheduled:
        # The yearly job's reports: the run that finished it (done or failed) tells the project leaders, once.
        report.refresh_from_db()
        if report.claimed_at == token:
            _notify_project_leaders(report)
    return True


def stuck_reports(now=None) -> list[int]:
    """Reports that no live run is working on: queued, or claimed by a dead run, for longer than CLAIM_TIMEOUT.

    A queued report whose message never reached the broker (Redis was down when it was requested) is in
    the first group; a report whose worker was killed, in the second. `requeue_stuck_revision_reports`
    queues them again; the claim makes sure each is still built once.
    """
    before = (now or timezone.now()) - CLAIM_TIMEOUT
    return list(
        RevisionReport.objects.filter(
            Q(state=RevisionReport.State.QUEUED, requested_at__lt=before)
            | Q(state__in=CLAIMED_STATES, claimed_at__lt=before)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _failure_message(error: Exception | None) -> str:
    message = _("Rapporten kunne ikke lages. Prøv igjen senere, eller kontakt systemansvarlig.")
    if error is not None:
        message += " " + _("Teknisk feil: %(kind)s: %(detail)s") % {
            "kind": type(error).__name__,
            "detail": str(error)[:300],
        }
    return message


def _text(value) -> str | None:
    """A JSON-able text for a decimal or date (None stays None), so that snapshots compare as equal."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot_data(programme: Programme) -> dict:
    """The plan as plain JSON, keyed by stable codes: what a PlanSnapshot freezes and `diff_snapshots` compares."""
    activities = programme.activities.select_related("area", "responsible").prefetch_related(
        Prefetch("scheduled_months", queryset=ScheduledMonth.objects.select_related("phase"))
    )
    activity_data = {}
    for activity in activities:
        months: dict[str, list[int]] = {}
        for scheduled in activity.scheduled_months.all():
            months.setdefault(str(scheduled.phase.number), []).append(scheduled.month)
        activity_data[activity.code] = {
            "name": activity.name,
            "area": activity.area.name if activity.area else None,
            "responsible": str(activity.responsible) if activity.responsible else None,
            "months": {phase: sorted(numbers) for phase, numbers in sorted(months.items())},
        }

    measures = Proposal.objects.filter(programme=programme).measures().select_related("activity").order_by("id")
    risks = Risk.objects.filter(programme=programme).with_latest().order_by("code")
    milestones = Milestone.objects.filter(programme=programme).order_by("code")
    decision_points = DecisionPoint.objects.filter(programme=programme).order_by("code")
    phases = Phase.objects.filter(programme=programme).prefetch_related("budget_lines")
    benefits = Benefit.objects.filter(plan__programme=programme).with_latest().select_related("plan").order_by("id")

    def budget(phase):
        lines = phase.budget_lines.all()
        totals = summarise_budget(lines)
        return {
            "year": phase.year,
            "lines": [
                {
                    "description": line.description,
                    "kind": line.kind,
                    "planned": _text(line.planned_amount),
                    "actual": _text(line.actual_amount),
                }
                for line in lines
            ],
            **{
                f"{kind}_{side}": _text(totals[kind][side])
                for kind in BudgetLine.Kind.values
                for side in ("planned", "actual")
            },
        }

    return {
        "activities": activity_data,
        "measures": {
            str(m.pk): {"title": m.title, "status": m.status, "activity": m.activity.code if m.activity else None}
            for m in measures
        },
        "risks": {
            r.code: {
                "title": r.title,
                "S": r.latest_probability,
                "K": r.latest_consequence,
                "RF": r.latest_rf,
                "status": r.status,
            }
            for r in risks
        },
        "milestones": {
            m.code: {
                "title": m.title,
                "planned_date": _text(m.planned_date),
                "status": m.status,
                "actual_date": _text(m.actual_date),
            }
            for m in milestones
        },
        "decision_points": {
            d.code: {"title": d.title, "date": _text(d.date), "status": d.status, "decided_on": _text(d.decided_on)}
            for d in decision_points
        },
        "budgets": {str(phase.number): budget(phase) for phase in phases},
        "benefits": {
            f"{b.plan.code}/{b.pk}": {
                "indicator": b.indicator,
                "baseline": _text(b.baseline_value),
                "target": _text(b.target_value),
                "latest": _text(b.latest_value),
            }
            for b in benefits
        },
    }


SECTIONS = {
    "activities": _lazy("Hovedaktiviteter"),
    "measures": _lazy("Tiltak"),
    "risks": _lazy("Risikoer"),
    "milestones": _lazy("Milepæler"),
    "decision_points": _lazy("Beslutningspunkter"),
    "budgets": _lazy("Budsjett per fase"),
    "benefits": _lazy("Gevinster"),
}


FIELD_LABELS = {
    "name": _lazy("navn"),
    "area": _lazy("hovedområde"),
    "responsible": _lazy("ansvarlig"),
    "months": _lazy("måneder per fase"),
    "title": _lazy("tittel"),
    "status": _lazy("status"),
    "activity": _lazy("hovedaktivitet"),
    "planned_date": _lazy("planlagt dato"),
    "actual_date": _lazy("faktisk dato"),
    "date": _lazy("dato"),
    "decided_on": _lazy("besluttet dato"),
    "year": _lazy("år"),
    "lines": _lazy("linjer"),
    "cost_planned": _lazy("kostnad planlagt"),
    "cost_actual": _lazy("kostnad faktisk"),
    "financing_planned": _lazy("finansiering planlagt"),
    "financing_actual": _lazy("finansiering faktisk"),
    "indicator": _lazy("indikator"),
    "baseline": _lazy("nullpunkt"),
    "target": _lazy("mål"),
    "latest": _lazy("siste måling"),
}


def _label(item: dict) -> str:
    for field in ("name", "title", "indicator"):
        if item.get(field):
            return str(item[field])
    if "year" in item:
        return _("Fase %(year)s") % {"year": item["year"]}
    return ""


# The snapshot fields that hold a date or a decimal as an ISO text («2017-06-01», «180000.00»).
_DATE_FIELDS = {"planned_date", "actual_date", "date", "decided_on"}
_DECIMAL_FIELDS = {"baseline", "target", "latest", "planned", "actual"} | {
    f"{kind}_{side}" for kind in BudgetLine.Kind.values for side in ("planned", "actual")
}
_ISO_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def _shown(value, field: str = "") -> str:
    """A short text for one field's value in the diff (lists and dicts of budget lines and months included).

    Dates and amounts, kept as ISO texts in a snapshot, are shown as everywhere else: «01.06.2017», «180 000».
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item, key)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_shown(item, field) for item in value)
    if field in _DATE_FIELDS and isinstance(value, str):
        try:
            return formatting.day(date.fromisoformat(value))
        except ValueError:
            return value
    if field in _DECIMAL_FIELDS and isinstance(value, str) and _ISO_DECIMAL.fullmatch(value):
        return formatting.number(value)
    return str(value)


def diff_snapshots(old: dict, new: dict) -> dict:
    """What was added, removed and changed from one snapshot to another, per section.

    Returns {section: {"label", "added": [{"key", "label"}], "removed": [...],
    "changed": [{"key", "label", "field", "field_label", "old", "new", "old_shown", "new_shown"}]}};
    `old` and `new` of a change are the raw values, the `_shown` ones texts for a table.
    """
    result = {}
    for section, label in SECTIONS.items():
        before, after = old.get(section, {}), new.get(section, {})
        changed = []
        for key in sorted(before.keys() & after.keys()):
            for field in sorted(before[key].keys() | after[key].keys()):
                was, now = before[key].get(field), after[key].get(field)
                if was != now:
                    changed.append(
                        {
                            "key": key,
                            "label": _label(after[key]),
                            "field": field,
                            "field_label": str(FIELD_LABELS.get(field, field)),
                            "old": was,
                            "new": now,
                            "old_shown": _shown(was, field),
                            "new_shown": _shown(now, field),
                        }
                    )
        result[section] = {
            "label": label,
            "added": [{"key": key, "label": _label(after[key])} for key in sorted(after.keys() - before.keys())],
            "removed": [{"key": key, "label": _label(before[key])} for key in sorted(before.keys() - after.keys())],
            "changed": changed,
        }
    return result


def has_changes(diff: dict) -> bool:
    return any(s["added"] or s["removed"] or s["changed"] for s in diff.values())


def scheduled_date_today(today) -> bool:
    """Whether `today` is the yearly report date, setting REVISION_REPORT_DATE as "MM-DD" (default 1 October)."""
    return today.strftime("%m-%d") == getattr(settings, "REVISION_REPORT_DATE", "10-01")


def build_yearly_reports(today=None) -> list[int]:
    """On the configured date, order this year's report of every running programme: one queued report and one
    task per programme (fan-out), each built by whichever worker takes it and e-mailed to that programme's project
    leaders when done (`build_report`). One large programme no longer holds up the others or the job's time limit.

    Returns the ids of the reports ordered by this run. Safe to run twice: the scheduled report of a
    (programme, year) is unique, so a second run finds it and neither orders nor e-mails again.
    """
    today = today or timezone.localdate()
    if not scheduled_date_today(today):
        return []
    made = []
    programmes = Programme.objects.filter(start_date__year__lte=today.year, end_date__year__gte=today.year)
    for programme in programmes.only("pk").order_by("pk"):
        try:
            with transaction.atomic():
                report = RevisionReport.objects.create(programme=programme, year=today.year, scheduled=True)
                queue_on_commit("reports.tasks.build_revision_report", report.pk)
        except IntegrityError:
            continue  # made by an earlier run this year
        made.append(report.pk)
    return made


def _notify_project_leaders(report: RevisionReport) -> None:
    addresses = list(
        get_user_model()
        # That programme's project leaders only: another programme's leaders must not hear of it.
        .objects.filter(
            programme_roles__programme=report.programme, programme_roles__role=PROJECT_LEADER, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not addresses:
        return
    link = getattr(settings, "SITE_URL", "") + reverse("revision_reports", args=[report.programme.slug])
    context = {
        "done": report.state == RevisionReport.State.DONE,
        "year": str(report.year),
        "link": link,
        "programme": report.programme.name,
    }
    send_templated_mail("reports/email/revision_report_notice", context, addresses)
