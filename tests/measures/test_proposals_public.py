"""Citizens: the public form (honeypot, rate limit), moderation, and the public list of measures."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from measures.models import Proposal
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
S = Proposal.Status


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _citizen_post(client, plan, ip="198.51.100.7", **data):
    payload = {
        "title": "Wifi på biblioteket",
        "description": "Dårlig dekning i lesesalen",
        "area": plan.areas.get(number=2).pk,
        "submitter_name": "",
        "submitter_email": "",
        **data,
    }
    return client.post(reverse("public_proposal_form", args=[SLUG]), payload, REMOTE_ADDR=ip)


def test_anonymous_citizen_submits_and_the_proposal_stays_hidden(client, plan, project_member):
    assert client.get(reverse("public_proposal_form", args=[SLUG])).status_code == 200
    response = _citizen_post(client, plan)
    assert response.status_code == 302 and response["Location"] == reverse("public_thanks", args=[SLUG])
    proposal = Proposal.objects.get(title="Wifi på biblioteket")
    assert (proposal.submitter_type, proposal.published, proposal.submitted_by) == ("innbygger", False, None)
    client.force_login(project_member)
    assert "Wifi på biblioteket" not in client.get(reverse("proposal_list", args=[SLUG])).text
    assert client.get(reverse("proposal_detail", args=[SLUG, proposal.pk])).status_code == 404


def test_invalid_citizen_form_explains_in_norwegian(client, plan):
    before = Proposal.objects.count()
    response = _citizen_post(client, plan, title="", submitter_email="ikke-en-adresse")
    assert response.status_code == 422
    assert "Dette feltet må fylles ut." in response.text and "Skriv en gyldig e-postadresse." in response.text
    assert Proposal.objects.count() == before


def test_honeypot_saves_nothing_but_looks_like_success(client, plan):
    before = Proposal.objects.count()
    response = _citizen_post(client, plan, website="http://spam.example")
    assert response.status_code == 302
    assert Proposal.objects.count() == before


def test_rate_limit_per_ip_address(client, plan):
    for i in range(5):
        assert _citizen_post(client, plan, title=f"Forslag {i}").status_code == 302
    blocked = _citizen_post(client, plan, title="Ett for mye")
    assert blocked.status_code == 429
    assert "Du har sendt mange forslag på kort tid" in blocked.text
    assert not Proposal.objects.filter(title="Ett for mye").exists()
    # Another address is not affected.
    assert _citizen_post(client, plan, ip="203.0.113.9", title="Fra nabo").status_code == 302


def test_moderation_queue_approves_and_rejects(client, plan, project_leader, project_member):
    keep = factories.proposal(plan, title="Godt forslag", submitter_type="innbygger", published=False)
    spam = factories.proposal(plan, title="Kjøp billige klokker", submitter_type="innbygger", published=False)
    client.force_login(project_leader)
    queue = client.get(reverse("moderation_queue", args=[SLUG])).text
    assert "Godt forslag" in queue and "Kjøp billige klokker" in queue
    response = client.post(reverse("moderate", args=[SLUG, keep.pk]), {"action": "approve"}, HTTP_HX_REQUEST="true")
    queue, _sep, message = response.text.partition('<div id="messages"')  # the message comes along out of band
    assert 'id="queue"' in queue and "Godt forslag" not in queue and "«Godt forslag» er godkjent" in message
    # A rejection needs a reason, as every rejection does (tests/measures/test_moderation_reason.py).
    data = {"action": "reject", "reason": "Reklame"}
    response = client.post(reverse("moderate", args=[SLUG, spam.pk]), data, follow=True)
    assert "«Kjøp billige klokker» er avvist og forblir skjult." in response.text
    assert not {keep, spam} & set(response.context["waiting"])
    keep.refresh_from_db()
    spam.refresh_from_db()
    assert keep.published and not spam.published and spam.status == S.REJECTED
    client.force_login(project_member)
    listing = client.get(reverse("proposal_list", args=[SLUG])).text
    assert "Godt forslag" in listing and "Kjøp billige klokker" not in listing


def test_only_the_project_leader_moderates(client, plan, steering_member):
    waiting = factories.proposal(plan, submitter_type="innbygger", published=False)
    client.force_login(steering_member)
    assert client.get(reverse("moderation_queue", args=[SLUG])).status_code == 403
    assert client.post(reverse("moderate", args=[SLUG, waiting.pk]), {"action": "approve"}).status_code == 403
    waiting.refresh_from_db()
    assert not waiting.published


def test_public_list_shows_accepted_measures_only(client, plan):
    activity = plan.activities.get(code="HA05")
    factories.proposal(plan, title="Prioritert tiltak", status=S.PRIORITISED, activity=activity)
    factories.proposal(plan, title="Ikke vurdert ennå", status=S.SUBMITTED)
    factories.proposal(plan, title="Skjult gjennomført", status=S.DONE, published=False)
    page = client.get(reverse("public_measures", args=[SLUG]))
    assert page.status_code == 200
    assert "Prioritert tiltak" in page.text and "HA05" in page.text and "Prioritert i årets plan" in page.text
    assert "Ikke vurdert ennå" not in page.text and "Skjult gjennomført" not in page.text
    assert client.get(reverse("public_index")).status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "proposal_list",
        "proposal_create",
        "my_proposals",
        "moderation_queue",
        "proposal_ranking",
        "round_list",
        "proposal_export",
        "proposal_import",
    ],
)
def test_anonymous_reaches_only_the_public_pages(client, plan, name):
    response = client.get(reverse(name, args=[SLUG]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_anonymous_cannot_see_a_proposal(client, plan):
    proposal = factories.proposal(plan)
    response = client.get(reverse("proposal_detail", args=[SLUG, proposal.pk]))
    assert response.status_code == 302


def test_public_list_query_count_is_constant(client, plan):
    """Guards N+1 on area and activity per measure."""
    url = reverse("public_measures", args=[SLUG])
    base = count_queries(client, url)
    activity = plan.activities.first()
    for _ in range(20):
        factories.proposal(plan, status=S.QUICK_WIN, activity=activity)
    assert count_queries(client, url) == base


def test_citizens_find_each_municipalitys_programmes(client, plan):
    """Public pages per municipality and programme: the index groups the programmes by municipality, and each
    municipality has an address of its own."""
    sondre = factories.organisation(name="Søndre Land kommune", slug="sondre-land")
    first = factories.programme(organisation=sondre, slug="sondre-land-a", name="Søndre Land A")
    second = factories.programme(organisation=sondre, slug="sondre-land-b", name="Søndre Land B")
    index = client.get(reverse("public_index")).text
    assert "Nordre Land kommune" in index and "Søndre Land kommune" in index
    page = client.get(reverse("public_organisation", args=["sondre-land"]))
    assert page.status_code == 200
    assert reverse("public_measures", args=[first.slug]) in page.text
    assert reverse("public_measures", args=[second.slug]) in page.text
    assert plan.name not in page.text
    only = client.get(reverse("public_organisation", args=["nordre-land"]))
    assert only.status_code == 302 and only["Location"] == reverse("public_measures", args=[plan.slug])
    assert client.get(reverse("public_organisation", args=["finnes-ikke"])).status_code == 404
    measures = client.get(reverse("public_measures", args=[first.slug])).text
    assert "Søndre Land kommune" in measures


def test_a_programme_cannot_take_the_municipality_address_as_its_short_name(plan):
    from django.core.exceptions import ValidationError

    plan.slug = "kommune"
    with pytest.raises(ValidationError, match="reservert"):
        plan.full_clean()
