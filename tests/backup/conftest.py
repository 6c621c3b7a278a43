"""Fixtures of the backup tests: a media folder per test, and the plan with what users add over time."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from benefits.models import Benefit, BenefitMeasurement
from measures.models import Proposal, RevisionRound
from portfolio.models import Person, StatusReport
from reports.models import PlanSnapshot, RevisionReport
from risks.models import Risk
from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rich_plan(plan, project_leader, steering_member, staff):
    """The seed plan plus what users add over time: proposals moved through the life cycle, re-scored risks,
    measurements, a status report, a finished revision report with its PDF and the year's plan snapshot."""
    round_ = RevisionRound.objects.filter(programme=plan).order_by("-year").first()
    area = plan.areas.order_by("number").first()
    activity = plan.activities.get(code="HA04")
    proposal = factories.proposal(
        plan, title="Digital søknad om SFO-plass", revision_round=round_, area=area, submitted_by=staff
    )
    proposal.transition_to(Proposal.Status.SCREENING, by=project_leader, comment="Ser på den")
    proposal.transition_to(Proposal.Status.PRIORITISED, by=steering_member, comment="Prioritert av SG")
    rejected = factories.proposal(plan, title="Papirskjema på nytt", revision_round=round_, area=area)
    rejected.transition_to(Proposal.Status.REJECTED, by=project_leader, comment="Går mot målet")

    risk = Risk.objects.filter(programme=plan).order_by("code").first()
    risk.rescore(4, 5, by=project_leader, note="Økt etter leverandørbytte", on=date(2018, 3, 1))
    risk.rescore(2, 3, by=project_leader, note="Redusert", on=date(2018, 9, 1))

    benefit = Benefit.objects.filter(plan__programme=plan).order_by("pk").first()
    for day, value in ((date(2018, 1, 31), "12.50"), (date(2018, 6, 30), "20.00")):
        BenefitMeasurement.objects.create(benefit=benefit, measured_on=day, value=Decimal(value), recorded_by=staff)

    activity.working_group.set(Person.objects.order_by("name")[:3])
    StatusReport.objects.create(
        activity=activity,
        period_end=date(2018, 5, 31),
        author=project_leader,
        overall="yellow",
        scope="green",
        time="red",
        cost="green",
        risk="yellow",
        comment="Forsinket levering",
    )
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader, state="done")
    report.pdf.save("rulleringsrapport-2017.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    PlanSnapshot.objects.create(programme=plan, year=2017, report=report, data={"activities": {"HA01": {"x": 1}}})
    return plan
