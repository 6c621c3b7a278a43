"""Files on an S3-compatible object store (STORAGES["default"] with django-storages), for more than one machine.

The store is moto's S3 server on loopback (tests/s3.py). Each test points the default storage at a fresh bucket
and MEDIA_ROOT at an empty folder, then checks that what the app writes lands in the bucket, nothing lands on
the local disk, and the pages serve it back through their access checks. tests/config/test_worker.py repeats
the report case with a real worker in another process (PostgreSQL pass).
"""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from portfolio.models import ImportJob
from reports.models import RevisionReport
from reports.tasks import build_revision_report
from tests.s3 import keys, use_store

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"


@pytest.fixture
def store(settings, s3_store, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    use_store(settings, s3_store)
    return s3_store


def local_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_s3_bucket_in_the_environment_selects_the_object_store():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("S3_")},
        "S3_BUCKET": "portefolje-kommune",
        "S3_ENDPOINT_URL": "https://s3.kommune.example",
        "S3_PREFIX": "installasjon-1",
    }
    code = (
        "from django.conf import settings; import json; d = settings.STORAGES['default']; "
        "c = d['OPTIONS'].pop('client_config'); d['timeouts'] = [c.connect_timeout, c.read_timeout]; "
        "print(json.dumps(d))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=django_settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout.strip().splitlines()[-1])
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "portefolje-kommune"
    assert options["endpoint_url"] == "https://s3.kommune.example"
    assert options["location"] == "installasjon-1"
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert default["timeouts"] == [2.0, 30.0]


def test_without_s3_bucket_files_stay_in_the_local_folder():
    assert os.environ.get("S3_BUCKET") or (
        django_settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    )


def test_a_report_is_written_to_the_store_and_downloaded_from_it(store, settings, client, plan, project_leader):
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    assert build_revision_report.delay(report.pk).get() is True
    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE, report.error
    stored = keys(store)
    assert report.pdf.name in stored and report.html.name in stored
    assert local_files(settings) == []

    client.force_login(project_leader)
    pdf = client.get(reverse("revision_report_download", args=[SLUG, report.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    html = client.get(reverse("revision_report_html", args=[SLUG, report.pk]))
    assert "<html" in b"".join(html.streaming_content).decode()


def test_a_large_import_is_kept_in_the_store_until_it_is_confirmed(
    store, settings, client, plan, project_leader, django_capture_on_commit_callbacks
):
    from measures.models import Proposal

    settings.IMPORT_BACKGROUND_BYTES = 10
    rows = [f"Forslag i lageret {i};Velferdsteknologi;Helse/Omsorg;1 500;15.03.2017" for i in range(5)]
    sheet = "\n".join(["Tittel;Hovedområde;Enhet;Kostnadsestimat;Innsendt", *rows]).encode()
    client.force_login(project_leader)
    before = Proposal.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("proposal_import", args=[SLUG]), {"file": SimpleUploadedFile("f.csv", sheet)})
    preview = ImportJob.objects.get()
    assert preview.file.name in keys(store)
    assert local_files(settings) == []
    assert "Forhåndsvisning: 5 nye og 0 endrede rader" in client.get(response.url).text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_job_confirm", args=[SLUG, preview.pk]))
    assert Proposal.objects.count() == before + 5
    assert local_files(settings) == []


def test_the_logo_is_read_from_the_store(store, settings, client, plan):
    from tests.portfolio.test_organisation_branding import png

    plan.organisation.logo.save("nordre-land.png", ContentFile(png()))
    assert plan.organisation.logo.name in keys(store)
    served = client.get(reverse("organisation_logo", args=["nordre-land"]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == png()
    assert local_files(settings) == []


def test_the_programme_backup_carries_files_from_the_store(store, settings, plan, project_leader, tmp_path):
    report = RevisionReport.objects.create(
        programme=plan, year=2017, requested_by=project_leader, state=RevisionReport.State.DONE
    )
    report.pdf.save("rapport.pdf", ContentFile(b"%PDF-1.7 fra lageret"))
    out = io.StringIO()
    call_command("export_programme", SLUG, with_files=True, stdout=out)
    data = json.loads(out.getvalue())
    assert report.pdf.name in data["files"]

    # Restored on "another server": the object is gone from the store and comes back from the file.
    default_storage.delete(report.pdf.name)
    assert report.pdf.name not in keys(store)
    path = tmp_path / "program.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    plan.delete()
    call_command("import_programme", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    restored = RevisionReport.objects.get(programme__slug=SLUG, year=2017)
    with restored.pdf.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 fra lageret"
    assert local_files(settings) == []


def test_healthz_says_whether_the_store_answers(settings, s3_store, client):
    from django.contrib.auth import get_user_model

    use_store(settings, s3_store)
    client.force_login(get_user_model().objects.create_superuser("drift", "drift@example.no", "x"))
    body = client.get("/healthz").json()
    assert body["storage"] == {"ok": True, "mode": "s3"}

    # A store that does not answer (nothing listens on port 9): the pages still serve (200), documents and
    # reports are degraded.
    options = {**settings.STORAGES["default"]["OPTIONS"], "endpoint_url": "http://127.0.0.1:9"}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["storage"]["ok"] is False
