"""Attach a file to each kind of object, see it listed on the object's page, download it as it was."""

import pytest
from django.urls import reverse

from documents.models import Document

from .conftest import JPEG, PDF, PNG, SLUG, office_file, stored_files, upload

pytestmark = pytest.mark.django_db

KINDS = ["beslutningspunkt", "milepael", "forslag", "statusrapport", "gevinstplan"]


@pytest.mark.parametrize("key", KINDS)
def test_project_leader_attaches_lists_and_downloads_a_document_of_each_kind(client, project_leader, targets, key):
    target = targets[key]
    client.force_login(project_leader)
    response = client.post(
        target.upload_url,
        {"title": "Saksframlegg", "kind": "beslutningsgrunnlag", "file": upload("saksframlegg.pdf", PDF)},
    )
    assert response.status_code == 302 and response["Location"] == target.page
    document = Document.objects.get()
    assert (document.owner, document.title, document.original_name, document.size) == (
        target.obj,
        "Saksframlegg",
        "saksframlegg.pdf",
        len(PDF),
    )
    assert document.mime_type == "application/pdf" and document.uploaded_by == project_leader
    # The stored name is the programme's folder and a random token, not the uploader's file name.
    assert document.file.name.startswith(f"dokumenter/{SLUG}/") and "saksframlegg" not in document.file.name

    page = client.get(target.page).content.decode()
    download = reverse("document_download", args=[SLUG, document.pk])
    assert "Saksframlegg" in page and download in page and "Beslutningsgrunnlag" in page

    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="saksframlegg.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_htmx_upload_answers_the_updated_list_and_a_fresh_form(client, project_leader, targets):
    target = targets["milepael"]
    client.force_login(project_leader)
    response = client.post(
        target.upload_url,
        {
            "title": "",
            "kind": "dokumentasjon",
            "file": upload("Protokoll mai.docx", office_file("docx")),
            "heading_level": "3",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and f'id="documents-milepael-{target.obj.pk}"' in body
    assert "<h3" in body and "Protokoll mai" in body  # an empty title is the file's name
    assert Document.objects.get().title == "Protokoll mai"


@pytest.mark.parametrize(
    ("name", "content", "mime_type"),
    [
        ("notat.pdf", PDF, "application/pdf"),
        ("notat.docx", office_file("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("tall.xlsx", office_file("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notat.odt", office_file("odt"), "application/vnd.oasis.opendocument.text"),
        ("tall.ods", office_file("ods"), "application/vnd.oasis.opendocument.spreadsheet"),
        ("skisse.png", PNG, "image/png"),
        ("bilde.JPG", JPEG, "image/jpeg"),
        ("bilde.jpeg", JPEG, "image/jpeg"),
        ("notat.txt", "Blåbærsyltetøy\r\n".encode("cp1252"), "text/plain"),
        ("tall.csv", "navn;antall\nÅse;3\n".encode(), "text/csv"),
    ],
)
def test_every_allowed_type_is_accepted_and_served_as_its_type(
    client, project_leader, targets, name, content, mime_type
):
    client.force_login(project_leader)
    response = client.post(
        targets["gevinstplan"].upload_url, {"kind": "vedlegg", "file": upload(name, content, "text/html")}
    )
    assert response.status_code == 302, response.content.decode()
    document = Document.objects.get()
    assert document.mime_type == mime_type  # from the checks, never the type the browser claimed
    assert client.get(reverse("document_download", args=[SLUG, document.pk]))["Content-Type"] == mime_type


def test_a_non_ascii_name_is_kept_for_the_download(client, project_leader, targets):
    client.force_login(project_leader)
    client.post(targets["forslag"].upload_url, {"kind": "vedlegg", "file": upload("Økonomi – søknad.pdf", PDF)})
    document = Document.objects.get()
    response = client.get(reverse("document_download", args=[SLUG, document.pk]))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%C3%98konomi%20%E2%80%93%20s%C3%B8knad.pdf"


def test_a_document_whose_file_is_gone_is_404_not_500(client, project_leader, targets, media_root):
    client.force_login(project_leader)
    client.post(targets["forslag"].upload_url, {"kind": "vedlegg", "file": upload("a.pdf", PDF)})
    for path in stored_files(media_root):
        path.unlink()
    document = Document.objects.get()
    assert client.get(reverse("document_download", args=[SLUG, document.pk])).status_code == 404


def test_the_documents_page_of_an_object_lists_them_without_javascript(client, steering_member, targets):
    target = targets["beslutningspunkt"]
    client.force_login(steering_member)
    response = client.get(target.upload_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ingen dokumenter er lagt ved." in body and 'enctype="multipart/form-data"' in body
