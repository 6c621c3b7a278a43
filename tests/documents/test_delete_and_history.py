"""Removing a document: the project leader or the uploader, after confirming; the object's history keeps both."""

import pytest
from django.urls import reverse

from documents.models import Document
from portfolio.roles import STEERING_GROUP

from .conftest import PDF, SLUG, stored_files, upload

pytestmark = pytest.mark.django_db


def attach_through_the_page(client, target, title="Saksframlegg"):
    client.post(target.upload_url, {"title": title, "kind": "beslutningsgrunnlag", "file": upload("sak.pdf", PDF)})
    return Document.objects.get(title=title)


def test_project_leader_deletes_after_confirming_and_the_history_keeps_it(
    client, project_leader, targets, media_root, django_capture_on_commit_callbacks
):
    target = targets["beslutningspunkt"]
    client.force_login(project_leader)
    document = attach_through_the_page(client, target)
    url = reverse("document_delete", args=[SLUG, document.pk])
    ask = client.get(url)
    assert ask.status_code == 200 and "Slett dokumentet «Saksframlegg»?" in ask.content.decode()
    # A post without the confirmation deletes nothing.
    assert client.post(url, {}).status_code == 422 and Document.objects.filter(pk=document.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "ja"})
    assert response.status_code == 302 and response["Location"] == target.page
    assert not Document.objects.exists()
    assert stored_files(media_root) == []  # the file goes with the committed deletion
    assert [r.history_type for r in Document.history.order_by("history_date")] == ["+", "-"]

    page = client.get(target.page).content.decode()
    assert "Dokument lagt ved" in page and "Dokument slettet" in page and "«Saksframlegg» (sak.pdf)" in page


def test_the_uploader_deletes_their_own_document_but_not_anothers(
    client, plan, project_leader, steering_member, targets
):
    target = targets["beslutningspunkt"]
    client.force_login(project_leader)
    leaders = attach_through_the_page(client, target, "Fra lederen")
    client.force_login(steering_member)
    own = attach_through_the_page(client, target, "Fra styringsgruppen")
    page = client.get(target.page).content.decode()
    assert reverse("document_delete", args=[SLUG, own.pk]) in page
    assert reverse("document_delete", args=[SLUG, leaders.pk]) not in page
    assert client.post(reverse("document_delete", args=[SLUG, leaders.pk]), {"confirm": "ja"}).status_code == 403
    assert client.post(reverse("document_delete", args=[SLUG, own.pk]), {"confirm": "ja"}).status_code == 302
    assert list(Document.objects.values_list("title", flat=True)) == ["Fra lederen"]
    assert STEERING_GROUP  # the steering group decides, so it may add to a decision point and remove its own


def test_readers_who_may_not_attach_see_no_form_and_cannot_delete(client, project_member, project_leader, targets):
    target = targets["forslag"]
    client.force_login(project_leader)
    document = attach_through_the_page(client, target)
    client.force_login(project_member)
    page = client.get(target.page).content.decode()
    assert "Saksframlegg" in page and "Legg ved dokument" not in page
    assert client.get(reverse("document_delete", args=[SLUG, document.pk])).status_code == 403


def test_a_file_shared_with_a_copy_is_kept_until_no_document_uses_it(
    client, project_leader, targets, media_root, django_capture_on_commit_callbacks
):
    """A programme copied without its files shares them with the original: deleting one copy keeps the file."""
    client.force_login(project_leader)
    document = attach_through_the_page(client, targets["forslag"])
    twin = Document.objects.get(pk=document.pk)
    twin.pk = None
    twin.save()
    with django_capture_on_commit_callbacks(execute=True):
        document.remove()
    assert len(stored_files(media_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        twin.remove()
    assert stored_files(media_root) == []
