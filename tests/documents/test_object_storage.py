"""Documents on an S3-compatible object store (moto on loopback, tests/s3.py): the same code, nothing on local disk."""

import pytest
from django.urls import reverse

from documents.models import Document
from tests.s3 import keys, use_store

from .conftest import PDF, SLUG, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(settings, s3_store, media_root):
    use_store(settings, s3_store)
    return s3_store


def test_upload_download_and_delete_go_through_the_store(
    store, client, project_leader, targets, media_root, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    target = targets["beslutningspunkt"]
    refused = client.post(target.upload_url, {"kind": "vedlegg", "file": upload("falsk.pdf", b"MZ not a pdf")})
    assert refused.status_code == 422 and keys(store) == []

    assert client.post(target.upload_url, {"kind": "vedlegg", "file": upload("sak.pdf", PDF)}).status_code == 302
    document = Document.objects.get()
    assert any(key.endswith(document.file.name) for key in keys(store))
    assert stored_files(media_root) == []

    response = client.get(reverse("document_download", args=[SLUG, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="sak.pdf"'

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("document_delete", args=[SLUG, document.pk]), {"confirm": "ja"})
    assert keys(store) == []


def test_a_document_missing_from_the_store_is_404(store, client, project_leader, targets):
    client.force_login(project_leader)
    client.post(targets["forslag"].upload_url, {"kind": "vedlegg", "file": upload("sak.pdf", PDF)})
    document = Document.objects.get()
    document.file.storage.delete(document.file.name)
    assert client.get(reverse("document_download", args=[SLUG, document.pk])).status_code == 404
