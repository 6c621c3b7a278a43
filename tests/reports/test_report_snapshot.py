"""A final revision report freezes the plan of its year; two years' snapshots compare as added/removed/changed."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from measures.models import Proposal
from milestones.models import Milestone
from portfolio.models import Area
from reports import revision_report as reports
from reports.models import PlanSnapshot, RevisionReport
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def two_years(db):
    """A small programme as it stood in 2017 and, after a year's revision, in 2018."""
    programme = factories.programme(start_date=date(2016, 1, 1), end_date=date(2019, 12, 31))
    Area.objects.create(programme=programme, number=1, name="Digitale tjenester")
    activity = factories.activity(programme, code="HA01", name="Planlegging")
    high = factories.risk(programme, s=4, k=5, code="R1", title="Nok ressurser")
    factories.risk(programme, s=2, k=2, code="R2", title="Leverandør går konkurs")
    factories.milestone(programme, code="MP1", title="Sak/arkiv i drift", planned_date=date(2017, 6, 1))
    old = reports.snapshot_data(programme)

    high.rescore(3, 4)  # RF 20 → 12
    measure = factories.proposal(programme, title="Digitale skjema", status=Proposal.Status.PRIORITISED)
    measure.activity = activity
    measure.save()
    Milestone.objects.filter(programme=programme, code="MP1").update(planned_date=date(2017, 9, 1))
    Risk.objects.filter(programme=programme, code="R2").delete()
    new = reports.snapshot_data(programme)
    return programme, old, new, measure


def test_diff_shows_a_rescored_risk_a_new_measure_a_moved_milestone_and_a_removed_risk(two_years):
    _programme, old, new, measure = two_years
    diff = reports.diff_snapshots(old, new)

    risk_changes = {(c["key"], c["field"]): (c["old"], c["new"]) for c in diff["risks"]["changed"]}
    assert risk_changes[("R1", "RF")] == (20, 12)
    assert risk_changes[("R1", "S")] == (4, 3)
    assert [r["key"] for r in diff["risks"]["removed"]] == ["R2"]
    assert diff["risks"]["added"] == []

    assert diff["measures"]["added"] == [{"key": str(measure.pk), "label": "Digitale skjema"}]
    assert diff["milestones"]["changed"] == [
        {
            "key": "MP1",
            "label": "Sak/arkiv i drift",
            "field": "planned_date",
            "field_label": "planlagt dato",
            "old": "2017-06-01",
            "new": "2017-09-01",
            "old_shown": "01.06.2017",
            "new_shown": "01.09.2017",
        }
    ]
    assert diff["activities"] == {"label": "Hovedaktiviteter", "added": [], "removed": [], "changed": []}
    assert reports.has_changes(diff)
    assert not reports.has_changes(reports.diff_snapshots(new, new))


def test_snapshot_data_is_plain_json_keyed_by_codes(plan):
    data = reports.snapshot_data(plan)
    assert set(data) == {"activities", "measures", "risks", "milestones", "decision_points", "budgets", "benefits"}
    assert {f"HA{n:02d}" for n in range(1, 18)} <= set(data["activities"])
    assert data["risks"]["R1"]["RF"] == 20
    assert set(data["budgets"]["1"]) >= {"year", "lines", "cost_planned", "cost_actual"}
    # A round trip through the JSONField gives the same dict back, so a diff against a stored one is exact.
    snapshot = PlanSnapshot.objects.create(programme=plan, year=2016, data=data)
    snapshot.refresh_from_db()
    assert snapshot.data == data


def test_a_snapshot_cannot_be_changed(plan):
    snapshot = PlanSnapshot.objects.create(programme=plan, year=2017, data={"risks": {"R1": {"RF": 20}}})
    snapshot.data = {"risks": {"R1": {"RF": 12}}}
    with pytest.raises(ValueError):
        snapshot.save()
    snapshot.refresh_from_db()
    assert snapshot.data == {"risks": {"R1": {"RF": 20}}}
    snapshot.save()  # saving unchanged data is harmless


def test_the_first_final_report_of_a_year_freezes_the_snapshot_once(plan, project_leader):
    first = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    reports.build_report(first.pk)
    snapshot = PlanSnapshot.objects.get(programme=plan, year=2017)
    assert snapshot.report_id == first.pk
    assert snapshot.data["risks"]["R1"]["RF"] == 20

    Risk.objects.get(programme=plan, code="R1").rescore(1, 1)
    second = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    reports.build_report(second.pk)
    assert RevisionReport.objects.get(pk=second.pk).state == RevisionReport.State.DONE
    snapshot = PlanSnapshot.objects.get(programme=plan, year=2017)
    assert (snapshot.report_id, snapshot.data["risks"]["R1"]["RF"]) == (first.pk, 20)


def test_a_failed_report_freezes_nothing(plan, project_leader):
    report = RevisionReport.objects.create(programme=plan, year=2030, requested_by=project_leader)
    reports.build_report(report.pk)
    assert RevisionReport.objects.get(pk=report.pk).state == RevisionReport.State.FAILED
    assert not PlanSnapshot.objects.exists()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_says_when_there_is_no_snapshot_for_last_year(plan):
    text = pdf_text(reports.build_pdf(plan, 2017))
    assert "Endringer siden i fjor" in text
    assert "Det finnes ikke noe øyeblikksbilde av planen for 2016" in text


def test_pdf_shows_the_changes_since_last_years_snapshot(plan):
    last_year = reports.snapshot_data(plan)
    last_year["risks"]["R1"]["RF"] = 25
    last_year["risks"]["R99"] = {"title": "Gammel risiko som er fjernet", "S": 1, "K": 1, "RF": 1, "status": "open"}
    PlanSnapshot.objects.create(programme=plan, year=2016, data=last_year)

    text = pdf_text(reports.build_pdf(plan, 2017))
    assert "Planen nå sammenlignet med øyeblikksbildet fra 2016." in text
    assert "Gammel risiko som er fjernet" in text
    row = next(line for line in text.splitlines() if line.startswith("Endret R1 "))
    assert "RF" in row and "25" in row and "20" in row


def test_the_admin_shows_a_snapshot_read_only(client, plan):
    admin_user = get_user_model().objects.create_superuser("rot", password="x")
    snapshot = PlanSnapshot.objects.create(programme=plan, year=2017, data={"risks": {}})
    client.force_login(admin_user)
    url = f"/admin/reports/plansnapshot/{snapshot.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert client.post(url, {"year": "2018"}).status_code == 403
    assert client.get("/admin/reports/plansnapshot/add/").status_code == 403


def test_diff_shows_dates_and_amounts_as_everywhere_else_and_titles_as_typed():
    nbsp = "\u00a0"
    old = {
        "budgets": {
            "1": {
                "year": 2017,
                "cost_planned": "1500000.00",
                "lines": [{"description": "Lisens 2.0", "planned": "1500000.00", "actual": None}],
            }
        },
        "milestones": {"MP1": {"title": "2017-13-45", "planned_date": "2017-06-01"}},
    }
    new = {
        "budgets": {
            "1": {
                "year": 2017,
                "cost_planned": "-250.50",
                "lines": [{"description": "Lisens 2.0", "planned": "-250.50", "actual": "10.00"}],
            }
        },
        "milestones": {"MP1": {"title": "1.5", "planned_date": "2017-09-01"}},
    }
    diff = reports.diff_snapshots(old, new)
    shown = {c["field"]: (c["old_shown"], c["new_shown"]) for s in diff.values() for c in s["changed"]}
    assert shown["cost_planned"] == (f"1{nbsp}500{nbsp}000", "\u2212250,5")
    assert shown["lines"] == (
        f"description: Lisens 2.0; planned: 1{nbsp}500{nbsp}000; actual: –",
        "description: Lisens 2.0; planned: \u2212250,5; actual: 10",
    )
    assert shown["planned_date"] == ("01.06.2017", "01.09.2017")
    assert shown["title"] == ("2017-13-45", "1.5")  # a title is text, whatever it looks like
