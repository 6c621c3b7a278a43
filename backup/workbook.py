"""One Excel workbook of a programme's whole plan: a sheet per kind, for the project leader and the steering group.

Where an import exists (proposals, risks, benefits, measurements) the sheet is that import's export, made by the
app's own resource: the same Norwegian headers and cell formats, so a sheet copied out of the workbook imports
back unchanged. The other sheets (activities, decision points, milestones, budget, status reports, benefit
plans) have Norwegian headers of their own, with dates and amounts as Excel dates and numbers, so that they sort
and add up in Excel. Like the imports' headers, all headers are part of the file format and so not translated.

Every text cell goes through `common.spreadsheets.neutralise`: a title that starts with «=» is shown, never run
as a formula. Proposals are those the programme's pages show (moderated ones), as in the proposal export.

`build_workbook(programme)` runs a fixed number of queries however much the programme holds.
"""

import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from benefits.models import BenefitPlan
from benefits.resources import BenefitResource, MeasurementResource
from common.spreadsheets import neutralise
from measures.models import Proposal
from measures.resources import export_dataset as proposal_dataset
from milestones.models import DecisionPoint, Milestone
from portfolio.models import MONTH_NAMES, RAG, Activity, BudgetLine, Programme, StatusReport
from risks.resources import RiskResource

DATE_FORMAT = "DD.MM.YYYY"
AMOUNT_FORMAT = "#,##0.00"
MAX_WIDTH = 60


def _text(value: str) -> str:
    """A text cell: inert in a spreadsheet, and without the control characters an XLSX file cannot hold."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))


def _yes_no(value: bool) -> str:
    return "ja" if value else "nei"


def _rag(value: str) -> str:
    return str(RAG(value).label) if value else ""


def _activities(programme):
    headers = [
        "Kode",
        "Navn",
        "Hovedområde",
        "Ansvarlig",
        "Arbeidsgruppe",
        "Hensikt",
        "Oppgaver",
        "Resultat / milepæl",
        "Planlagte måneder",
        "Merknad til tidsplanen",
        "Neste statusrapport",
    ]
    activities = (
        Activity.objects.filter(programme=programme)
        .with_status_dates()
        .select_related("programme", "area", "responsible")
        .prefetch_related("working_group", "scheduled_months__phase")
        .order_by("code")
    )
    rows = []
    for a in activities:
        months: dict[int, list[int]] = {}
        for m in sorted(a.scheduled_months.all(), key=lambda m: (m.phase.year, m.month)):
            months.setdefault(m.phase.year, []).append(m.month)
        schedule = "; ".join(f"{year}: {', '.join(str(MONTH_NAMES[m - 1]) for m in ms)}" for year, ms in months.items())
        rows.append(
            [
                a.code,
                a.name,
                a.area.name if a.area_id else "",
                a.responsible.name if a.responsible_id else "",
                ", ".join(sorted(p.name for p in a.working_group.all())),
                a.purpose,
                a.tasks,
                a.expected_result,
                schedule,
                a.schedule_note,
                a.status_report_due_on,
            ]
        )
    return headers, rows


def _proposals(programme):
    dataset = proposal_dataset(programme, Proposal.objects.filter(programme=programme).visible())
    return list(dataset.headers), [list(row) for row in dataset]


def _risks(programme):
    resource = RiskResource(programme)
    dataset = resource.export(resource.get_queryset().order_by("code"))
    return list(dataset.headers), [list(row) for row in dataset]


def _decision_points(programme):
    headers = [
        "Kode",
        "Beslutning",
        "Dato",
        "Forum",
        "Beslutningsgrunnlag",
        "Status",
        "Vedtak",
        "Referanse",
        "Besluttet dato",
    ]
    rows = [
        [p.code, p.title, p.date, p.forum, p.basis, p.get_status_display(), p.decision_text, p.reference, p.decided_on]
        for p in DecisionPoint.objects.filter(programme=programme).order_by("date", "code")
    ]
    return headers, rows


def _milestones(programme):
    headers = [
        "Kode",
        "Milepæl",
        "Hovedaktivitet",
        "Planlagt dato",
        "Målbart resultat",
        "Status",
        "Faktisk dato",
        "Dokumentasjon",
    ]
    milestones = (
        Milestone.objects.filter(programme=programme).select_related("activity").order_by("planned_date", "code")
    )
    rows = [
        [
            m.code,
            m.title,
            m.activity.code if m.activity_id else "",
            m.planned_date,
            m.criteria,
            m.get_status_display(),
            m.actual_date,
            m.evidence,
        ]
        for m in milestones
    ]
    return headers, rows


def _budget(programme):
    headers = [
        "Fase",
        "Hovedaktivitet",
        "Type",
        "Kategori",
        "Beskrivelse",
        "Planlagt beløp (kr)",
        "Faktisk beløp (kr)",
        "Merknad",
    ]
    lines = BudgetLine.objects.filter(phase__programme=programme).select_related("phase", "activity")
    rows = [
        [
            str(line.phase),
            line.activity.code if line.activity_id else "",
            line.get_kind_display(),
            line.get_category_display(),
            line.description,
            line.planned_amount,
            line.actual_amount,
            line.note,
        ]
        for line in lines.order_by("phase__number", "kind", "position", "id")
    ]
    return headers, rows


def _status_reports(programme):
    headers = [
        "Hovedaktivitet",
        "Rapport per",
        "Skrevet av",
        "Samlet status",
        "Omfang",
        "Tid",
        "Kostnad",
        "Risiko",
        "Kommentar",
        "Kommentar til omfang",
        "Kommentar til tid",
        "Kommentar til kostnad",
        "Kommentar til risiko",
        "Oppnådd siden sist",
        "Neste steg",
    ]
    reports = (
        StatusReport.objects.filter(activity__programme=programme)
        .select_related("activity", "author")
        .order_by("activity__code", "period_end", "id")
    )
    rows = [
        [
            r.activity.code,
            r.period_end,
            (r.author.get_full_name() or r.author.username) if r.author_id else "",
            _rag(r.overall),
            _rag(r.scope),
            _rag(r.time),
            _rag(r.cost),
            _rag(r.risk),
            r.comment,
            r.scope_comment,
            r.time_comment,
            r.cost_comment,
            r.risk_comment,
            r.achievements,
            r.next_steps,
        ]
        for r in reports
    ]
    return headers, rows


def _benefit_plans(programme):
    headers = [
        "Kode",
        "Tittel",
        "Hovedaktivitet",
        "Tiltak (forslag-ID)",
        "Beskrivelse",
        "Endringstiltak",
        "Kalkulasjonsrente (%)",
        "Første år i analysen",
        "Analyseperiode (år)",
        "Nåverdi (kr)",
        "Eksempelplan",
    ]
    plans = (
        BenefitPlan.objects.filter(programme=programme)
        .select_related("programme", "activity", "measure")
        .prefetch_related("cash_flow_lines")
        .order_by("code")
    )
    rows = []
    for plan in plans:
        lines = list(plan.cash_flow_lines.all())
        rows.append(
            [
                plan.code,
                plan.title,
                plan.activity.code if plan.activity_id else "",
                plan.measure_id or "",
                plan.description,
                plan.change_actions,
                plan.discount_rate,
                plan.first_year,
                plan.analysis_years,
                # The plan page's NPV (benefits.economics), and none without a cash flow to discount.
                plan.cost_benefit(lines).npv if lines else None,
                _yes_no(plan.is_example),
            ]
        )
    return headers, rows


def _resource_sheet(resource_class):
    def sheet(programme):
        resource = resource_class(programme)
        dataset = resource.export(resource.get_queryset().order_by("id"))
        return list(dataset.headers), [list(row) for row in dataset]

    return sheet


# Sheet name (at most 31 characters, Excel's limit) → the function giving its headers and rows.
SHEETS = {
    "Aktiviteter": _activities,
    "Forslag": _proposals,
    "Risikoer": _risks,
    "Beslutningspunkter": _decision_points,
    "Milepæler": _milestones,
    "Budsjett": _budget,
    "Statusrapporter": _status_reports,
    "Gevinstplaner": _benefit_plans,
    "Gevinster": _resource_sheet(BenefitResource),
    "Målinger": _resource_sheet(MeasurementResource),
}


def _write(sheet, headers: list[str], rows: Iterable[list]) -> None:
    sheet.append(headers)
    widths = [len(header) for header in headers]
    for row in rows:
        cells = []
        for column, value in enumerate(row):
            if isinstance(value, str):
                value = _text(value)
            cells.append(value)
            widths[column] = max(widths[column], min(len(str(value)) if value is not None else 0, MAX_WIDTH))
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, Decimal):
                cell.number_format = AMOUNT_FORMAT
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(width, 8) + 2


def build_workbook(programme: Programme) -> bytes:
    """The programme's plan as XLSX bytes, one sheet per kind in the order of SHEETS."""
    book = Workbook()
    book.remove(book.active)
    for name, rows_of in SHEETS.items():
        headers, rows = rows_of(programme)
        _write(book.create_sheet(name), headers, rows)
    book.properties.title = programme.name
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
