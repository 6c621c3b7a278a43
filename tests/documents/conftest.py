"""Fixtures of the document tests: a media folder per test, files of each allowed type, one object of each kind."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Proposal
from milestones.models import DecisionPoint
from portfolio.models import StatusReport
from tests import factories

SLUG = "nordre-land-digitalisering"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_file(kind: str) -> bytes:
    """The smallest zip that is what its name says: DOCX/XLSX by [Content_Types].xml, ODT/ODS by `mimetype`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind in ("odt", "ods"):
            archive.writestr(
                "mimetype", f"application/vnd.oasis.opendocument.{'text' if kind == 'odt' else 'spreadsheet'}"
            )
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            part = "wordprocessingml.document" if kind == "docx" else "spreadsheetml.sheet"
            content_type = f"application/vnd.openxmlformats-officedocument.{part}.main+xml"
            archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{content_type}"/></Types>')
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Target:
    key: str  # the kind of object in the documents' URLs
    obj: object
    page: str  # the object's page, where its documents are listed

    @property
    def upload_url(self) -> str:
        return reverse("object_documents", args=[SLUG, self.key, self.obj.pk])


@pytest.fixture
def targets(plan, project_leader, staff) -> dict[str, Target]:
    """One object of each kind that takes documents, with its page, in the plan."""
    activity = plan.activities.get(code="HA03")
    point = DecisionPoint.objects.filter(programme=plan).order_by("pk").first()
    milestone = factories.milestone(plan, activity=activity)
    proposal = factories.proposal(plan, submitted_by=staff, status=Proposal.Status.SCREENING, title="Mitt forslag")
    report = StatusReport.objects.create(
        activity=activity,
        period_end=plan.start_date,
        author=project_leader,
        overall="green",
        scope="green",
        time="green",
        cost="green",
        risk="green",
    )
    benefit_plan = factories.benefit_plan(plan, activity)
    return {
        "beslutningspunkt": Target("beslutningspunkt", point, reverse("decision_record", args=[SLUG, point.code])),
        "milepael": Target("milepael", milestone, reverse("milestone_edit", args=[SLUG, milestone.code])),
        "forslag": Target("forslag", proposal, reverse("proposal_detail", args=[SLUG, proposal.pk])),
        "statusrapport": Target(
            "statusrapport", report, reverse("status_report_detail", args=[SLUG, activity.code, report.pk])
        ),
        "gevinstplan": Target("gevinstplan", benefit_plan, reverse("benefit_plan", args=[SLUG, benefit_plan.code])),
    }
