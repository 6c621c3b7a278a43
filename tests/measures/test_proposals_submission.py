"""Staff submit proposals, follow their own, and hear by e-mail when the status changes."""

import pytest
from django.core import mail
from django.urls import reverse

from measures.models import Proposal
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
S = Proposal.Status


def _submit(client, plan, **data):
    area = plan.areas.get(number=4)
    payload = {
        "title": "Digital søknad om SFO",
        "description": "Foreldre søker på papir i dag.",
        "problem": "Manuell registrering",
        "unit": "Skole",
        "expected_benefit": "Spart tid",
        "estimated_cost": "150000",
        "area": area.pk,
        **data,
    }
    return client.post(reverse("proposal_create", args=[SLUG]), payload)


def test_staff_submits_a_proposal_and_sees_it_among_their_own(client, plan, staff):
    client.force_login(staff)
    assert client.get(reverse("proposal_create", args=[SLUG])).status_code == 200
    response = _submit(client, plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("my_proposals", args=[SLUG])
    proposal = Proposal.objects.get(title="Digital søknad om SFO")
    assert (proposal.submitted_by, proposal.submitter_type, proposal.status) == (staff, "ansatt", S.SUBMITTED)
    assert proposal.published
    assert proposal.revision_round.year == 2017
    page = client.get(reverse("my_proposals", args=[SLUG]))
    assert "Digital søknad om SFO" in page.text
    assert "Innsendt" in page.text


def test_submission_without_title_gets_a_norwegian_error_and_saves_nothing(client, plan, staff):
    client.force_login(staff)
    before = Proposal.objects.count()
    response = _submit(client, plan, title="", estimated_cost="mye")
    assert response.status_code == 422  # the form with its errors, as every form answers
    assert "Dette feltet må fylles ut." in response.text
    assert "«mye» er ikke et beløp i kroner" in response.text
    assert Proposal.objects.count() == before


def test_staff_see_status_and_history_of_their_own_only(client, plan, staff, project_leader):
    own = factories.proposal(plan, title="Mitt forslag", submitted_by=staff)
    factories.proposal(plan, title="Naboens forslag")
    own.transition_to(S.SCREENING, by=project_leader, comment="Ser på det i prosjektgruppa")
    client.force_login(staff)
    page = client.get(reverse("my_proposals", args=[SLUG])).text
    assert "Mitt forslag" in page and "Naboens forslag" not in page
    assert "Under vurdering" in page and "Ser på det i prosjektgruppa" in page
    detail = client.get(reverse("proposal_detail", args=[SLUG, own.pk]))
    assert detail.status_code == 200 and "Ser på det i prosjektgruppa" in detail.text
    assert "Endre status" not in detail.text and "Lagre vurdering" not in detail.text


def test_staff_cannot_see_others_proposals_or_assess(client, plan, staff):
    other = factories.proposal(plan, title="Naboens forslag")
    own = factories.proposal(plan, submitted_by=staff)
    client.force_login(staff)
    assert client.get(reverse("proposal_detail", args=[SLUG, other.pk])).status_code == 404
    assert client.get(reverse("proposal_list", args=[SLUG])).status_code == 403
    assess = client.post(reverse("proposal_assess", args=[SLUG, own.pk]), {"need": 5})
    assert assess.status_code == 403
    status = client.post(reverse("proposal_status", args=[SLUG, own.pk]), {"status": "screening"})
    assert status.status_code == 403
    own.refresh_from_db()
    assert (own.need, own.status) == (None, S.SUBMITTED)


def test_user_without_role_cannot_submit(client, plan, outsider):
    # Not a member of the programme: it does not exist for them (404), as for another programme's users.
    client.force_login(outsider)
    assert client.get(reverse("proposal_create", args=[SLUG])).status_code == 404


def test_status_change_mails_the_submitter_once_committed(
    plan, staff, project_leader, django_capture_on_commit_callbacks
):
    staff.email = "ansatt@nordre-land.kommune.no"
    staff.save()
    proposal = factories.proposal(plan, title="Ny skjemaløsning", submitted_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        transition = proposal.transition_to(S.SCREENING, by=project_leader, comment="Vi ser på det")
        assert mail.outbox == []  # nothing leaves before the change is committed
    (message,) = mail.outbox
    assert message.to == ["ansatt@nordre-land.kommune.no"]
    assert "Ny skjemaløsning" in message.subject
    assert "«Innsendt» til «Under vurdering»" in message.body and "Vi ser på det" in message.body
    transition.refresh_from_db()
    assert transition.notified_at is not None


def test_status_email_task_is_safe_to_run_twice(plan, staff, django_capture_on_commit_callbacks):
    from measures.tasks import send_status_email

    proposal = factories.proposal(plan, submitter_email="innbygger@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        transition = proposal.transition_to(S.SCREENING)
    assert len(mail.outbox) == 1
    assert send_status_email(transition.pk) is False
    assert len(mail.outbox) == 1


def test_my_proposals_query_count_is_constant(client, plan, staff, project_leader):
    """Guards N+1 on area, round and transitions per proposal."""
    client.force_login(staff)
    url = reverse("my_proposals", args=[SLUG])
    factories.proposal(plan, submitted_by=staff).transition_to(S.SCREENING, by=project_leader)
    base = count_queries(client, url)
    for _ in range(15):
        factories.proposal(plan, submitted_by=staff).transition_to(S.SCREENING, by=project_leader)
    assert count_queries(client, url) == base
