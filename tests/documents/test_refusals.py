"""A file of a type not allowed, too large, or not what its name says: a Norwegian error, and nothing saved."""

import pytest

from documents.models import Document

from .conftest import PDF, office_file, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("skript.html", b"<script>alert(1)</script>", "Filtypen er ikke tillatt"),
        ("program.exe", b"MZ\x90\x00", "Filtypen er ikke tillatt"),
        ("uten-endelse", PDF, "Filtypen er ikke tillatt"),
        ("bilde.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Filtypen er ikke tillatt"),
        # Fake extensions: the content is checked, not only the name.
        ("faktura.pdf", b"MZ\x90\x00 not a pdf", "Innholdet i filen stemmer ikke med filtypen PDF"),
        ("bilde.png", PDF, "Innholdet i filen stemmer ikke med filtypen PNG"),
        ("bilde.jpg", b"<html></html>", "Innholdet i filen stemmer ikke med filtypen JPG"),
        ("notat.docx", office_file("xlsx"), "Innholdet i filen stemmer ikke med filtypen DOCX"),
        ("notat.odt", office_file("ods"), "Innholdet i filen stemmer ikke med filtypen ODT"),
        ("tall.xlsx", b"PK\x03\x04 broken zip", "Innholdet i filen stemmer ikke med filtypen XLSX"),
        ("notat.txt", b"\x00\x01\x02binary", "Innholdet i filen stemmer ikke med filtypen TXT"),
        ("tom.pdf", b"", "Filen er tom"),
    ],
)
def test_a_refused_file_gets_a_norwegian_error_and_leaves_nothing(
    client, project_leader, targets, media_root, name, content, message
):
    client.force_login(project_leader)
    target = targets["forslag"]
    response = client.post(target.upload_url, {"title": "X", "kind": "vedlegg", "file": upload(name, content)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Document.objects.exists() and not Document.history.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused_before_it_is_stored(client, project_leader, targets, media_root, settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    client.force_login(project_leader)
    response = client.post(
        targets["milepael"].upload_url,
        {"kind": "vedlegg", "file": upload("stor.pdf", PDF + b"0" * 1000)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Filen er for stor" in body and "Største tillatte størrelse er 1000" in body
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_post_without_a_file_or_kind_names_what_is_missing(client, project_leader, targets):
    client.force_login(project_leader)
    response = client.post(targets["statusrapport"].upload_url, {"kind": "ukjent"})
    body = response.content.decode()
    assert response.status_code == 422 and "Velg en fil." in body and "Velg en av typene i listen." in body
    assert not Document.objects.exists()


def test_a_failing_save_removes_the_file_it_had_stored(client, project_leader, targets, media_root, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(Document, "save", broken_save)
    client.force_login(project_leader)
    client.raise_request_exception = False
    response = client.post(targets["forslag"].upload_url, {"kind": "vedlegg", "file": upload("a.pdf", PDF)})
    assert response.status_code == 500
    assert stored_files(media_root) == []
