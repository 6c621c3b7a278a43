"""The object pages list their documents in a fixed number of queries, however many there are."""

import pytest

from documents.models import Document
from tests.utils import count_queries

from .conftest import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", ["beslutningspunkt", "milepael", "forslag", "statusrapport", "gevinstplan"])
def test_an_object_pages_queries_do_not_grow_with_its_documents(
    client, plan, project_leader, steering_member, targets, key
):
    """Guards against a query per document (its uploader) in the list and per record in the history."""
    target = targets[key]
    users = [project_leader, steering_member]

    def add(n):
        for i in range(n):
            Document.attach(
                target.obj,
                plan,
                upload(f"{i}.pdf", PDF),
                title=f"Dokument {i}",
                kind="vedlegg",
                mime_type="application/pdf",
                by=users[i % 2],
            )

    client.force_login(project_leader)
    add(1)
    count_queries(client, target.page)  # warm the content-type cache
    one = count_queries(client, target.page)
    add(6)
    many = count_queries(client, target.page)
    assert many == one
