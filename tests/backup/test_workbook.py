"""The workbook of the whole plan: a sheet per kind, the imports' columns, the programme's own data only, for the
project leader and the steering group, in a fixed number of queries."""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from backup.workbook import SHEETS
from benefits import resources as benefit_resources
from benefits.models import Benefit, BenefitMeasurement, BenefitPlan
from measures import resources as proposal_resources
from measures.models import Proposal
from milestones.models import DecisionPoint, Milestone
from portfolio.models import Activity, BudgetLine, StatusReport
from portfolio.roles import PROJECT_LEADER
from risks import resources as risk_resources
from risks.models import Risk
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, user, slug=SLUG) -> openpyxl.Workbook:
    client.force_login(user)
    response = client.get(reverse("programme_workbook", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith(f'attachment; filename="plan-{slug}-')
    return openpyxl.load_workbook(io.BytesIO(response.content))


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def data_rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def sheet_file(sheet) -> bytes:
    """One sheet of the workbook as a workbook of its own, as a user saves it before importing it."""
    book = openpyxl.Workbook()
    for row in sheet.iter_rows(values_only=True):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_per_kind_with_the_imports_columns(client, rich_plan, project_leader):
    book = download(client, project_leader)
    assert book.sheetnames == [
        "Aktiviteter",
        "Forslag",
        "Risikoer",
        "Beslutningspunkter",
        "Milepæler",
        "Budsjett",
        "Statusrapporter",
        "Gevinstplaner",
        "Gevinster",
        "Målinger",
    ]
    assert list(SHEETS) == book.sheetnames
    assert header(book["Forslag"]) == list(proposal_resources.COLUMNS)
    assert header(book["Risikoer"]) == list(risk_resources.COLUMNS)
    assert header(book["Gevinster"]) == list(benefit_resources.BENEFIT_COLUMNS)
    assert header(book["Målinger"]) == list(benefit_resources.MEASUREMENT_COLUMNS)
    assert header(book["Beslutningspunkter"])[:3] == ["Kode", "Beslutning", "Dato"]
    assert header(book["Statusrapporter"])[:4] == ["Hovedaktivitet", "Rapport per", "Skrevet av", "Samlet status"]


def test_each_sheet_has_a_row_per_object(client, rich_plan, project_leader):
    hidden = factories.proposal(rich_plan, submitter_type=Proposal.SubmitterType.CITIZEN, published=False)
    book = download(client, project_leader)
    counts = {
        "Aktiviteter": Activity.objects.filter(programme=rich_plan).count(),
        "Forslag": Proposal.objects.filter(programme=rich_plan, published=True).count(),
        "Risikoer": Risk.objects.filter(programme=rich_plan).count(),
        "Beslutningspunkter": DecisionPoint.objects.filter(programme=rich_plan).count(),
        "Milepæler": Milestone.objects.filter(programme=rich_plan).count(),
        "Budsjett": BudgetLine.objects.filter(phase__programme=rich_plan).count(),
        "Statusrapporter": StatusReport.objects.filter(activity__programme=rich_plan).count(),
        "Gevinstplaner": BenefitPlan.objects.filter(programme=rich_plan).count(),
        "Gevinster": Benefit.objects.filter(plan__programme=rich_plan).count(),
        "Målinger": BenefitMeasurement.objects.filter(benefit__plan__programme=rich_plan).count(),
    }
    assert all(counts.values()), counts
    assert {name: len(data_rows(book[name])) for name in counts} == counts
    # A citizen's proposal the project leader has not approved is not in the plan (nor in the proposal export).
    assert str(hidden.pk) not in [row[0] for row in data_rows(book["Forslag"])]


def test_risks_carry_their_latest_assessment_and_reports_their_dates(client, rich_plan, project_leader):
    risk = Risk.objects.filter(programme=rich_plan).order_by("code").first()  # re-scored to 2 × 3 last
    book = download(client, project_leader)
    row = next(r for r in data_rows(book["Risikoer"]) if r[0] == risk.code)
    assert row[-3:] == ["2", "3", "6"]
    report = next(r for r in data_rows(book["Statusrapporter"]) if r[0] == "HA04")
    assert report[1].date() == date(2018, 5, 31) and report[3] == "Gul" and report[5] == "Rød"
    assert book["Statusrapporter"]["B2"].number_format == "DD.MM.YYYY"


def test_text_cells_are_never_formulas(client, plan, project_leader):
    factories.proposal(plan, title='=HYPERLINK("http://x")', description="@SUM(A1)")
    activity = plan.activities.get(code="HA01")
    activity.purpose = "=1+1"
    activity.save()
    factories.decision_point(plan, title="+47 SMS", forum="-Kommunestyret")
    bell = factories.milestone(plan)
    # A control character an XLSX file cannot hold (written past the model's own cleaning, as old data may be).
    Milestone.objects.filter(pk=bell.pk).update(title="Bjelle\x07 i tittelen")
    book = download(client, project_leader)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert {'\'=HYPERLINK("http://x")', "'@SUM(A1)", "'=1+1", "'+47 SMS", "'-Kommunestyret"} <= texts
    assert "Bjelle\ufffd i tittelen" in texts


@pytest.mark.parametrize(
    ("sheet", "run_import"),
    [
        ("Forslag", proposal_resources.run_import),
        ("Risikoer", risk_resources.run_import),
        ("Gevinster", lambda *a, **kw: benefit_resources.run_import("gevinster", *a, **kw)),
        ("Målinger", lambda *a, **kw: benefit_resources.run_import("malinger", *a, **kw)),
    ],
)
def test_an_import_sheet_imports_back_unchanged(client, rich_plan, project_leader, sheet, run_import):
    book = download(client, project_leader)
    rows = len(data_rows(book[sheet]))
    report = run_import(rich_plan, sheet_file(book[sheet]), f"{sheet}.xlsx", user=project_leader, dry_run=True)
    assert report.errors == []
    assert (report.new, report.updated) == (0, rows)


def test_the_proposal_sheet_really_imports_without_changing_a_thing(client, rich_plan, project_leader):
    factories.proposal(rich_plan, title="=1+2 skoler", unit="-Skole", estimated_cost=1234567)
    before = list(Proposal.objects.filter(programme=rich_plan).order_by("pk").values())
    book = download(client, project_leader)
    report = proposal_resources.run_import(
        rich_plan, sheet_file(book["Forslag"]), "forslag.xlsx", user=project_leader, dry_run=False
    )
    assert report.errors == [] and report.saved
    assert list(Proposal.objects.filter(programme=rich_plan).order_by("pk").values()) == before


def test_the_project_leader_and_the_steering_group_may_download_it(
    client, plan, project_leader, steering_member, project_member, staff, outsider
):
    url = reverse("programme_workbook", args=[SLUG])
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for user, status in (
        (project_leader, 200),
        (steering_member, 200),
        (project_member, 403),
        (staff, 403),
        (outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(project_leader)
    assert client.post(url).status_code == 405


def test_the_dashboard_links_it_for_those_who_may_download_it(client, plan, project_leader, project_member):
    url = reverse("programme_workbook", args=[SLUG])
    client.force_login(project_leader)
    assert url in client.get(reverse("programme", args=[SLUG])).text
    client.force_login(project_member)
    assert url not in client.get(reverse("programme", args=[SLUG])).text


def test_only_the_programmes_own_data(client, plan, project_leader):
    """Another programme, with one of everything, leaves the plan's workbook as it was; its own leader gets its
    own workbook, and a 404 for the plan's."""
    before = download(client, project_leader)
    other = factories.programme(organisation=plan.organisation, name="Program HEMMELIG")
    phase = other.phases.create(number=1, year=2020, name="Fase HEMMELIG")
    area = other.areas.create(number=1, name="Område HEMMELIG")
    activity = factories.activity(other, code="HA01", name="Aktivitet HEMMELIG", area=area)
    factories.budget_line(phase, description="Linje HEMMELIG", activity=activity)
    factories.proposal(other, title="Forslag HEMMELIG", area=area)
    factories.risk(other, title="Risiko HEMMELIG", activity=activity)
    factories.milestone(other, title="Milepæl HEMMELIG", activity=activity)
    factories.decision_point(other, title="Beslutning HEMMELIG")
    benefit_plan = factories.benefit_plan(other, activity)
    BenefitMeasurement.objects.create(benefit=benefit_plan.benefits.first(), measured_on=date(2020, 5, 1), value=3)
    StatusReport.objects.create(
        activity=activity,
        period_end=date(2020, 3, 1),
        overall="red",
        scope="red",
        time="red",
        cost="red",
        risk="red",
        comment="HEMMELIG",
    )
    after = download(client, project_leader)
    for name in SHEETS:
        rows = data_rows(after[name])
        assert rows == data_rows(before[name]), name
        assert not [value for row in rows for value in row if isinstance(value, str) and "HEMMELIG" in value], name

    leader = get_user_model().objects.create_user("leder-hemmelig", password="x")
    factories.grant(leader, other, PROJECT_LEADER)
    theirs = download(client, leader, other.slug)
    assert len(data_rows(theirs["Aktiviteter"])) == 1 and len(data_rows(theirs["Målinger"])) == 1
    assert client.get(reverse("programme_workbook", args=[SLUG])).status_code == 404


def test_the_query_count_does_not_grow_with_the_plan(client, plan, project_leader):
    """Guards N+1 on every sheet: working groups and months per activity, latest assessment per risk, authors per
    report, cash flow per plan, plan and owner per benefit."""
    client.force_login(project_leader)
    url = reverse("programme_workbook", args=[SLUG])
    base = count_queries(client, url)
    phase = plan.phases.first()
    for n in range(8):
        activity = factories.activity(plan, area=plan.areas.first(), responsible=factories.person(name=f"P{n}"))
        activity.working_group.set([factories.person(name=f"Q{n}")])
        factories.schedule(activity, phase, [1, 2])
        factories.proposal(plan, activity=activity)
        factories.risk(plan, activity=activity, owner=activity.responsible)
        factories.milestone(plan, activity=activity)
        factories.decision_point(plan)
        benefit_plan = factories.benefit_plan(plan, activity)
        benefit_plan.cash_flow_lines.create(year=2018, investment=100, benefit_value=50)
        BenefitMeasurement.objects.create(benefit=benefit_plan.benefits.first(), measured_on=date(2018, 2, 1), value=4)
        factories.budget_line(phase, activity=activity)
        StatusReport.objects.create(
            activity=activity,
            period_end=date(2018, 2, 1),
            author=project_leader,
            overall="green",
            scope="green",
            time="green",
            cost="green",
            risk="green",
        )
    assert count_queries(client, url) == base
