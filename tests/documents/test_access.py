"""Documents are reached only through their object's own access rule: never easier than the object itself.

Proposals (decided here): their documents belong to the case work, which those who read the programme see and
the project leader adds to. A staff member who submitted a proposal sees its public part only, and can change
nothing once it is sent, so they neither see nor attach documents (403 on their own proposal, 404 on others').
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from documents.models import Document
from measures.models import Proposal
from portfolio.roles import PROJECT_GROUP, PROJECT_LEADER
from tests import factories

from .conftest import PDF, SLUG, upload

pytestmark = pytest.mark.django_db


def attach(obj, by) -> Document:
    return Document.attach(
        obj, obj.programme, upload("a.pdf", PDF), title="Notat", kind="vedlegg", mime_type="application/pdf", by=by
    )


def test_users_without_a_role_get_404_and_anonymous_the_login(client, outsider, targets, project_leader):
    document = attach(targets["gevinstplan"].obj, project_leader)
    download = reverse("document_download", args=[SLUG, document.pk])
    assert client.get(download)["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    assert client.get(targets["gevinstplan"].upload_url).status_code == 404
    assert (
        client.post(targets["gevinstplan"].upload_url, {"kind": "vedlegg", "file": upload("b.pdf", PDF)}).status_code
        == 404
    )
    assert Document.objects.count() == 1


def test_another_programmes_project_leader_gets_404(client, plan, targets, project_leader):
    document = attach(targets["milepael"].obj, project_leader)
    other = factories.programme(organisation=plan.organisation, slug="annet-program")
    leader = get_user_model().objects.create_user("annen-leder", password="x")
    factories.grant(leader, other, PROJECT_LEADER)
    client.force_login(leader)
    assert client.get(reverse("document_download", args=[SLUG, document.pk])).status_code == 404
    # Their own slug with the plan's document or object: 404 as well.
    assert client.get(reverse("document_download", args=[other.slug, document.pk])).status_code == 404
    url = reverse("object_documents", args=[other.slug, "milepael", targets["milepael"].obj.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "vedlegg", "file": upload("b.pdf", PDF)}).status_code == 404
    assert Document.objects.count() == 1


def test_staff_submitter_neither_sees_nor_attaches_documents_of_their_own_proposal(
    client, staff, targets, project_leader
):
    target = targets["forslag"]
    document = attach(target.obj, project_leader)
    client.force_login(staff)
    page = client.get(target.page)
    assert page.status_code == 200 and "Notat" not in page.content.decode()
    assert client.get(reverse("document_download", args=[SLUG, document.pk])).status_code == 403
    assert client.post(target.upload_url, {"kind": "vedlegg", "file": upload("b.pdf", PDF)}).status_code == 403
    # Someone else's proposal: they may not know it exists.
    other = factories.proposal(target.obj.programme, submitted_by=project_leader)
    assert client.get(reverse("object_documents", args=[SLUG, "forslag", other.pk])).status_code == 404
    assert Document.objects.count() == 1


def test_a_citizens_proposal_under_moderation_does_not_leak_through_its_documents(
    client, plan, project_leader, steering_member, project_member
):
    hidden = factories.proposal(plan, submitter_type=Proposal.SubmitterType.CITIZEN, published=False)
    document = attach(hidden, project_leader)
    download = reverse("document_download", args=[SLUG, document.pk])
    for user in (steering_member, project_member):
        client.force_login(user)
        assert client.get(download).status_code == 404
        assert client.get(reverse("object_documents", args=[SLUG, "forslag", hidden.pk])).status_code == 404
    client.force_login(project_leader)
    assert client.get(download).status_code == 200


def test_project_group_attaches_to_its_own_activitys_items_only(client, plan, project_member, targets):
    """The milestone, status report and benefit plan of HA03 are the member's once they are responsible for it."""
    activity = plan.activities.get(code="HA03")
    activity.responsible = factories.person(name="Prosjekt Demo", user=project_member)
    activity.save()
    client.force_login(project_member)
    for key in ("milepael", "statusrapport", "gevinstplan"):
        response = client.post(targets[key].upload_url, {"kind": "vedlegg", "file": upload(f"{key}.pdf", PDF)})
        assert response.status_code == 302, key
    # Decision points are the deciders', proposals the project leader's: the group reads them only.
    for key in ("beslutningspunkt", "forslag"):
        assert client.get(targets[key].upload_url).status_code == 200, key
        response = client.post(targets[key].upload_url, {"kind": "vedlegg", "file": upload("x.pdf", PDF)})
        assert response.status_code == 403, key
    other = factories.milestone(plan, activity=plan.activities.get(code="HA02"))
    url = reverse("object_documents", args=[SLUG, "milepael", other.pk])
    assert client.post(url, {"kind": "vedlegg", "file": upload("y.pdf", PDF)}).status_code == 403
    assert Document.objects.count() == 3


def test_an_unknown_kind_of_object_is_404(client, project_leader):
    client.force_login(project_leader)
    assert client.get(reverse("object_documents", args=[SLUG, "risiko", 1])).status_code == 404


def test_a_user_without_a_reading_role_cannot_download(client, plan, staff, targets, project_leader):
    document = attach(targets["beslutningspunkt"].obj, project_leader)
    client.force_login(staff)
    assert client.get(reverse("document_download", args=[SLUG, document.pk])).status_code == 403
    member = get_user_model().objects.create_user("gruppe", password="x")
    factories.grant(member, plan, PROJECT_GROUP)
    client.force_login(member)
    assert client.get(reverse("document_download", args=[SLUG, document.pk])).status_code == 200
