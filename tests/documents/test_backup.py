"""Documents are part of the programme's backup: export → delete → import gives them back, files included."""

import io
import json
import shutil

import pytest
from django.core.management import call_command

from backup import programme_file as backup
from documents.models import Document
from portfolio.models import Programme

from .conftest import PDF, PNG, SLUG, stored_files, upload

pytestmark = pytest.mark.django_db


def export(**options) -> dict:
    out = io.StringIO()
    call_command("export_programme", SLUG, stdout=out, **options)
    return json.loads(out.getvalue())


def canonical(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "exported_at"}


def attached(plan, targets, project_leader, steering_member) -> None:
    for key, name, content, by in (
        ("beslutningspunkt", "grunnlag.pdf", PDF, steering_member),
        ("forslag", "skisse.png", PNG, project_leader),
        ("statusrapport", "rapport.pdf", PDF + b"2", project_leader),
    ):
        Document.attach(
            targets[key].obj, plan, upload(name, content), title=name, kind="vedlegg", mime_type="x/y", by=by
        )


def snapshot() -> list[tuple]:
    return sorted(
        (d.content_type.model, str(d.owner), d.title, d.original_name, d.size, d.uploaded_by.username, d.uploaded_at)
        for d in Document.objects.select_related("content_type", "uploaded_by")
    )


def test_round_trip_with_files_restores_documents_their_objects_and_content(
    plan, targets, project_leader, steering_member, tmp_path, media_root
):
    attached(plan, targets, project_leader, steering_member)
    before, documents_before = export(with_files=True), snapshot()
    rows = before["objects"]["documents.document"]
    assert {row["content_type"] for row in rows} == {
        "milestones.decisionpoint",
        "measures.proposal",
        "portfolio.statusreport",
    }
    assert all(isinstance(row["object_id"], int) and row["file"] in before["files"] for row in rows)
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(before), encoding="utf-8")

    Programme.objects.get(slug=SLUG).delete()
    assert not Document.objects.exists()
    shutil.rmtree(media_root)  # restored into another installation: the files come from the backup
    call_command("import_programme", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert snapshot() == documents_before
    assert canonical(export(with_files=True)) == canonical(before)
    proposal_document = Document.objects.get(original_name="skisse.png")
    with proposal_document.file.open("rb") as handle:
        assert handle.read() == PNG
    assert len(stored_files(media_root)) == 3


def test_a_copy_under_a_new_slug_gets_its_own_documents_on_its_own_objects(
    plan, targets, project_leader, steering_member, tmp_path
):
    attached(plan, targets, project_leader, steering_member)
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(export()), encoding="utf-8")
    call_command("import_programme", str(path), "--slug", "kopi", stdout=io.StringIO(), stderr=io.StringIO())
    copy = Programme.objects.get(slug="kopi")
    copies = Document.objects.filter(programme=copy)
    assert copies.count() == 3
    for document in copies:
        assert document.owner is not None
        owner_programme = getattr(document.owner, "programme", None) or document.owner.activity.programme
        assert owner_programme == copy


def test_a_document_pointing_at_an_object_not_in_the_file_is_refused(plan, targets, project_leader, tmp_path):
    Document.attach(
        targets["forslag"].obj, plan, upload("a.pdf", PDF), title="a", kind="vedlegg", mime_type="x/y", by=None
    )
    data = export()
    data["objects"]["documents.document"][0]["object_id"] = 99999
    with pytest.raises(backup.BackupError, match="det finnes ikke noe measures.proposal nr. 99999"):
        backup.import_programme(data, slug="kopi")
    assert not Programme.objects.filter(slug="kopi").exists()
