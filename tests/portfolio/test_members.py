"""The project leader's members page: roles per user, adding and inviting, removing, and the user ↔ Person link."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from portfolio.models import Person, ProgrammeRole
from portfolio.roles import PROJECT_GROUP, PROJECT_LEADER, STAFF, STEERING_GROUP
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
User = get_user_model()


def url(name, *args):
    return reverse(name, args=[SLUG, *args])


def members_url():
    return url("programme_members")


def new_user(username, **kwargs):
    return User.objects.create_user(username, password="x", **kwargs)


def roles_of(user, plan):
    return set(ProgrammeRole.objects.filter(user=user, programme=plan).values_list("role", flat=True))


def snapshot(plan):
    """Everything the members page may change: the programme's roles, the users, and the people's links."""
    return (
        sorted(ProgrammeRole.objects.filter(programme=plan).values_list("user_id", "role")),
        sorted(User.objects.values_list("pk", "username")),
        sorted(Person.objects.values_list("pk", "user_id", "version")),
    )


@pytest.fixture
def leader_client(client, plan, project_leader):
    client.force_login(project_leader)
    return client


@pytest.fixture
def nordre_land(plan):
    return plan.organisation


# The list


def test_the_list_shows_each_member_once_with_role_labels_and_linked_person(leader_client, plan, nordre_land):
    kari = new_user("kari", first_name="Kari", last_name="Nordmann", email="kari@example.no")
    factories.grant(kari, plan, STEERING_GROUP, PROJECT_GROUP)
    factories.person(name="Kari Nordmann i planen", organisation=nordre_land, user=kari)
    response = leader_client.get(members_url())
    assert response.status_code == 200
    html = response.text
    assert html.count(f'id="medlem-{kari.pk}"') == 1
    row = html[html.index(f'id="medlem-{kari.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Kari Nordmann" in row and "kari@example.no" in row
    assert "Styringsgruppe" in row and "Prosjektgruppe" in row and "styringsgruppe" not in row
    assert row.count(">Fjern<") == 2
    person = Person.objects.get(user=kari)
    assert f'<option value="{person.pk}" selected>Kari Nordmann i planen</option>' in row
    assert 'class="table-wrap table-scroll" role="region" aria-label="Medlemmer" tabindex="0"' in html
    assert f'action="{url("member_invite")}"' in html
    assert "Brukernavn eller e-post" in html and "<label" in html


def test_a_person_linked_to_another_user_is_marked_in_the_choices(leader_client, plan, nordre_land, project_member):
    factories.person(name="Per Prosjekt", organisation=nordre_land, user=project_member)
    html = leader_client.get(members_url()).text
    assert "Per Prosjekt (koblet til prosjekt)" in html


def test_another_organisations_people_are_not_offered(leader_client, plan):
    elsewhere = factories.person(name="Ola i en annen kommune", organisation=factories.organisation())
    assert elsewhere.name not in leader_client.get(members_url()).text


def add_members(plan, nordre_land, up_to: int) -> None:
    """Members with two roles each and a linked person, until the programme has `up_to` members."""
    have = User.objects.filter(programme_roles__programme=plan).distinct().count()
    for i in range(have, up_to):
        user = new_user(f"medlem{i}", first_name="Medlem", last_name=str(i))
        factories.grant(user, plan, STEERING_GROUP, PROJECT_GROUP)
        factories.person(name=f"Medlem {i}", organisation=nordre_land, user=user)


def test_query_count_is_constant_as_members_grow(leader_client, plan, nordre_land):
    add_members(plan, nordre_land, 5)
    at_five = count_queries(leader_client, members_url())
    add_members(plan, nordre_land, 50)
    assert User.objects.filter(programme_roles__programme=plan).distinct().count() == 50
    assert count_queries(leader_client, members_url()) == at_five


def test_the_list_is_paginated_at_100_members(leader_client, plan, nordre_land):
    users = User.objects.bulk_create([User(username=f"bruker{i:03d}") for i in range(110)])
    ProgrammeRole.objects.bulk_create([ProgrammeRole(user=u, programme=plan, role=STAFF) for u in users])
    first = leader_client.get(members_url()).text
    assert first.count('id="medlem-') == 100
    assert "114 medlemmer" in first and "Side 1 av 2" in first and "?side=2" in first
    second = leader_client.get(members_url() + "?side=2").text
    assert second.count('id="medlem-') == 14


# Adding an existing user


@pytest.mark.parametrize("typed", ["kari", "KARI", "kari@example.no", " Kari@Example.no "])
def test_leader_gives_an_existing_user_a_role_by_username_or_email(leader_client, plan, project_leader, typed):
    kari = new_user("kari", first_name="Kari", last_name="Nordmann", email="kari@example.no")
    response = leader_client.post(members_url(), {"user": typed, "role": STEERING_GROUP}, follow=True)
    assert response.redirect_chain == [(members_url() + f"#medlem-{kari.pk}", 302)]
    assert "Kari Nordmann har fått rollen «Styringsgruppe»." in response.text
    role = ProgrammeRole.objects.get(user=kari, programme=plan)
    assert (role.role, role.granted_by) == (STEERING_GROUP, project_leader)


def test_unknown_user_is_a_norwegian_form_error(leader_client, plan):
    before = snapshot(plan)
    response = leader_client.post(members_url(), {"user": "ingen.slik@example.no", "role": STAFF})
    assert response.status_code == 422
    assert "Fant ingen bruker med brukernavnet eller e-posten «ingen.slik@example.no»." in response.text
    assert 'role="alert"' in response.text and 'aria-invalid="true"' in response.text
    assert 'aria-describedby="legg-til-user_error"' in response.text and 'id="legg-til-user_error"' in response.text
    assert snapshot(plan) == before


def test_a_role_the_user_already_holds_is_a_form_error(leader_client, plan, steering_member):
    before = snapshot(plan)
    response = leader_client.post(members_url(), {"user": "styring", "role": STEERING_GROUP})
    assert response.status_code == 422
    assert "Demo Styringsgruppe har allerede rollen «Styringsgruppe» i programmet." in response.text
    assert snapshot(plan) == before


def test_a_missing_role_and_two_users_with_one_email_are_form_errors(leader_client, plan):
    new_user("a", email="felles@example.no")
    new_user("b", email="felles@example.no")
    response = leader_client.post(members_url(), {"user": "felles@example.no", "role": ""})
    assert response.status_code == 422
    assert "Flere brukere har e-posten «felles@example.no»." in response.text
    assert "Velg en rolle." in response.text


def test_a_deactivated_user_gets_no_role(leader_client, plan):
    new_user("sluttet", is_active=False)
    response = leader_client.post(members_url(), {"user": "sluttet", "role": STAFF})
    assert response.status_code == 422
    assert "Brukeren «sluttet» er deaktivert og kan ikke få roller." in response.text


# Inviting by e-mail


def invite(client, **data):
    return client.post(url("member_invite"), {"name": "Kari Nordmann", "email": "kari.nordmann@example.no", **data})


def test_invite_creates_a_user_grants_the_role_and_emails_a_working_link(
    leader_client, plan, project_leader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(leader_client, role=PROJECT_GROUP)
    kari = User.objects.get(email="kari.nordmann@example.no")
    assert response.status_code == 302 and response["Location"] == members_url() + f"#medlem-{kari.pk}"
    assert (kari.username, kari.first_name, kari.last_name) == ("kari.nordmann", "Kari", "Nordmann")
    assert kari.is_active and not kari.has_usable_password()
    role = ProgrammeRole.objects.get(user=kari, programme=plan)
    assert (role.role, role.granted_by) == (PROJECT_GROUP, project_leader)
    page = leader_client.get(members_url()).text
    invited = "Kari Nordmann er invitert på e-post til kari.nordmann@example.no og har fått rollen «Prosjektgruppe»."
    assert invited in page

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["kari.nordmann@example.no"]
    assert mail.subject == "Invitasjon til programmet «Digitalisering i Nordre Land kommune» i Portefølje"
    assert "Demo Prosjektleder har gitt deg rollen «Prosjektgruppe»" in mail.body
    assert "Brukernavnet ditt er kari.nordmann." in mail.body
    assert not mail.body.endswith("\n") and "&laquo;" not in mail.body and "&#x27;" not in mail.body
    link = re.search(r"https?://\S+", mail.body).group(0)
    assert link.startswith("http://testserver/accounts/reset/")

    # The invitee follows the link in a browser of their own and chooses a password.
    invitee = Client()
    set_password = invitee.get(link)
    assert set_password.status_code == 302 and set_password["Location"].endswith("/set-password/")
    assert invitee.get(set_password["Location"]).status_code == 200
    password = "Et-langt-passord-2024"
    done = invitee.post(set_password["Location"], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert invitee.login(request=HttpRequest(), username="kari.nordmann", password=password)
    # The link works once only.
    assert "set-password" not in Client().get(link).get("Location", "")


def test_the_invitation_link_uses_site_url_when_set(
    leader_client, plan, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portefolje.example.no/"
    with django_capture_on_commit_callbacks(execute=True):
        invite(leader_client, role=STAFF)
    assert "https://portefolje.example.no/accounts/reset/" in mailoutbox[0].body


def test_no_email_before_the_transaction_commits(leader_client, plan, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(leader_client, role=STAFF)
    assert mailoutbox == [] and len(callbacks) == 1


def test_invited_usernames_are_made_unique(leader_client, plan, django_capture_on_commit_callbacks):
    new_user("kari.nordmann")
    new_user("Kari.Nordmann2")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(leader_client, role=STAFF)
    assert response.status_code == 302
    assert User.objects.get(email="kari.nordmann@example.no").username == "kari.nordmann3"


def test_inviting_a_known_address_only_grants_the_role(
    leader_client, plan, project_leader, mailoutbox, django_capture_on_commit_callbacks
):
    kari = new_user("kari", first_name="Kari", last_name="Nordmann", email="Kari.Nordmann@example.no")
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(leader_client, role=STEERING_GROUP, email="kari.nordmann@EXAMPLE.no")
    assert response.status_code == 302
    assert User.objects.count() == users and mailoutbox == []
    assert ProgrammeRole.objects.get(user=kari, programme=plan).granted_by == project_leader
    # A second time the role is already there: a form error, nothing changed.
    before = snapshot(plan)
    again = invite(leader_client, role=STEERING_GROUP, email="kari.nordmann@example.no")
    assert again.status_code == 422 and "har allerede rollen «Styringsgruppe»" in again.text
    assert snapshot(plan) == before


@pytest.mark.parametrize(
    "data, error",
    [
        ({"name": "", "role": STAFF}, "Skriv navnet til den du inviterer."),
        ({"email": "ikke-en-adresse", "role": STAFF}, "Skriv en gyldig e-postadresse."),
        ({"role": "sjef"}, "Velg en rolle."),
    ],
)
def test_invite_form_errors_are_norwegian_and_change_nothing(leader_client, plan, mailoutbox, data, error):
    before = snapshot(plan)
    response = invite(leader_client, **data)
    assert response.status_code == 422 and error in response.text and 'role="alert"' in response.text
    assert snapshot(plan) == before and mailoutbox == []


# Removing a role


def test_removing_a_role_asks_first_then_removes_it(leader_client, plan, steering_member):
    role = ProgrammeRole.objects.get(user=steering_member, programme=plan)
    remove = url("member_role_remove", role.pk)
    confirm = leader_client.get(remove)
    assert confirm.status_code == 200
    assert "Er du sikker på at du vil fjerne rollen «Styringsgruppe» fra Demo Styringsgruppe" in confirm.text
    assert 'name="confirm" value="1"' in confirm.text
    # The «Fjern» button of the list posts without the confirmation: that is the same question.
    unconfirmed = leader_client.post(remove)
    assert unconfirmed.status_code == 200 and "Er du sikker" in unconfirmed.text
    assert ProgrammeRole.objects.filter(pk=role.pk).exists()
    response = leader_client.post(remove, {"confirm": "1"}, follow=True)
    assert response.redirect_chain == [(members_url(), 302)]
    assert "Rollen «Styringsgruppe» er fjernet fra Demo Styringsgruppe." in response.text
    assert not ProgrammeRole.objects.filter(pk=role.pk).exists()


def test_the_last_project_leader_is_never_removed(leader_client, plan, project_leader):
    role = ProgrammeRole.objects.get(user=project_leader, programme=plan, role=PROJECT_LEADER)
    before = snapshot(plan)
    response = leader_client.post(url("member_role_remove", role.pk), {"confirm": "1"})
    assert response.status_code == 422
    assert "Du kan ikke fjerne den siste prosjektlederen i programmet." in response.text
    assert 'role="alert"' in response.text and 'name="confirm"' not in response.text
    assert snapshot(plan) == before


def test_a_leader_may_step_down_when_another_leader_remains(leader_client, plan, project_leader):
    factories.grant(new_user("leder2"), plan, PROJECT_LEADER)
    role = ProgrammeRole.objects.get(user=project_leader, programme=plan, role=PROJECT_LEADER)
    response = leader_client.post(url("member_role_remove", role.pk), {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("programme", args=[SLUG])
    assert PROJECT_LEADER not in roles_of(project_leader, plan)


def test_another_programmes_role_is_a_404(leader_client, plan):
    other = factories.programme()
    factories.grant(new_user("annen"), other, STAFF)
    foreign = ProgrammeRole.objects.get(programme=other)
    assert leader_client.get(url("member_role_remove", foreign.pk)).status_code == 404
    assert leader_client.post(url("member_role_remove", foreign.pk), {"confirm": "1"}).status_code == 404
    assert ProgrammeRole.objects.filter(pk=foreign.pk).exists()


# Linking a member to a Person


def test_linking_a_member_to_a_person_moves_the_link_and_unlinking_clears_it(
    leader_client, plan, nordre_land, project_member
):
    old = factories.person(name="Gammel kobling", organisation=nordre_land, user=project_member)
    new = factories.person(name="Ny kobling", organisation=nordre_land)
    link = url("member_person", project_member.pk)
    response = leader_client.post(link, {"person": new.pk}, follow=True)
    assert response.redirect_chain == [(members_url() + f"#medlem-{project_member.pk}", 302)]
    assert "Demo Prosjektgruppe er koblet til personen «Ny kobling»." in response.text
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.user, new.user) == (None, project_member)
    assert (old.version, new.version) == (2, 2)  # an edit form opened before cannot overwrite the link
    response = leader_client.post(link, {"person": ""}, follow=True)
    assert "Demo Prosjektgruppe er ikke koblet til noen person." in response.text
    assert not Person.objects.filter(user=project_member).exists()


def test_a_person_linked_to_another_user_is_refused(leader_client, plan, nordre_land, project_member, staff):
    taken = factories.person(name="Opptatt", organisation=nordre_land, user=staff)
    before = snapshot(plan)
    response = leader_client.post(url("member_person", project_member.pk), {"person": taken.pk})
    assert response.status_code == 422
    assert "Personen «Opptatt» er allerede koblet til en annen bruker (Demo Ansatt)." in response.text
    assert 'role="alert"' in response.text
    assert snapshot(plan) == before


def test_another_organisations_person_is_refused(leader_client, plan, project_member):
    elsewhere = factories.person(name="Utenbys", organisation=factories.organisation())
    response = leader_client.post(url("member_person", project_member.pk), {"person": elsewhere.pk})
    assert response.status_code == 422 and "Velg en person i organisasjonen." in response.text
    elsewhere.refresh_from_db()
    assert elsewhere.user is None


def test_a_new_person_with_the_members_name(leader_client, plan, nordre_land, project_member):
    page = leader_client.get(members_url()).text
    row = page[page.index(f'id="medlem-{project_member.pk}"') :]
    assert "Ny person med dette navnet" in row[: row.index("</tr>")]
    response = leader_client.post(url("member_person", project_member.pk), {"person": "", "ny": "1"}, follow=True)
    assert "Personen «Demo Prosjektgruppe» er opprettet og koblet til Demo Prosjektgruppe." in response.text
    person = Person.objects.get(user=project_member)
    assert (person.name, person.organisation) == ("Demo Prosjektgruppe", nordre_land)
    # The name is taken now: a second one is refused.
    person.user = None
    person.save()
    again = leader_client.post(url("member_person", project_member.pk), {"ny": "1"})
    assert again.status_code == 422 and "Det finnes allerede en person med navnet «Demo Prosjektgruppe»" in again.text
    assert Person.objects.filter(name="Demo Prosjektgruppe").count() == 1


def test_only_members_of_this_programme_can_be_linked(leader_client, plan, nordre_land, outsider):
    person = factories.person(name="Ledig", organisation=nordre_land)
    elsewhere = new_user("annen")
    factories.grant(elsewhere, factories.programme(organisation=nordre_land), STAFF)
    for user in (outsider, elsewhere):
        assert leader_client.post(url("member_person", user.pk), {"person": person.pk}).status_code == 404
        assert leader_client.post(url("member_person", user.pk), {"ny": "1"}).status_code == 404
    person.refresh_from_db()
    assert person.user is None and not Person.objects.filter(user__in=[outsider, elsewhere]).exists()


# Who may do what


@pytest.fixture
def other_leader(db):
    """The project leader of another programme (of another organisation)."""
    user = new_user("annen-leder")
    factories.grant(user, factories.programme(), PROJECT_LEADER)
    return user


def requests_of(plan, steering_member, project_member):
    """(method, url, data) of every members URL."""
    role = ProgrammeRole.objects.get(user=steering_member, programme=plan)
    person = factories.person(name="Til kobling")
    return [
        ("get", members_url(), None),
        ("post", members_url(), {"user": "utenfor", "role": PROJECT_LEADER}),
        ("get", url("member_invite"), None),
        ("post", url("member_invite"), {"name": "Ny Bruker", "email": "ny@example.no", "role": PROJECT_LEADER}),
        ("get", url("member_role_remove", role.pk), None),
        ("post", url("member_role_remove", role.pk), {"confirm": "1"}),
        ("get", url("member_person", project_member.pk), None),
        ("post", url("member_person", project_member.pk), {"person": person.pk}),
        ("post", url("member_person", project_member.pk), {"ny": "1"}),
    ]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("steering_member", 403),
        ("project_member", 403),
        ("staff", 403),
        ("outsider", 404),
        ("other_leader", 404),
        (None, "login"),
    ],
)
def test_only_the_project_leader_gets_in_and_a_refused_post_changes_nothing(
    client, plan, request, steering_member, project_member, outsider, mailoutbox, who, expected
):
    requests = requests_of(plan, steering_member, project_member)
    if who:
        client.force_login(request.getfixturevalue(who))
    before = snapshot(plan)
    for method, path, data in requests:
        response = getattr(client, method)(path, data or {})
        if expected == "login":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), path
        else:
            assert response.status_code == expected, (method, path)
    assert snapshot(plan) == before and mailoutbox == []


def test_the_project_leader_gets_every_url(leader_client, plan, steering_member, project_member, outsider):
    """The page and the confirmation for a GET (the POST-only URLs redirect to the page); every POST redirects."""
    post_only = {url("member_invite"), url("member_person", project_member.pk)}
    for method, path, data in requests_of(plan, steering_member, project_member):
        response = getattr(leader_client, method)(path, data or {})
        if method == "get" and path in post_only:
            assert (response.status_code, response["Location"]) == (302, members_url()), path
        elif method == "get":
            assert response.status_code == 200, path
        else:
            assert response.status_code == 302, path
    assert leader_client.put(url("member_invite")).status_code == 405
    assert roles_of(outsider, plan) == {PROJECT_LEADER}
    assert roles_of(User.objects.get(email="ny@example.no"), plan) == {PROJECT_LEADER}
    assert STEERING_GROUP not in roles_of(steering_member, plan)
    assert Person.objects.get(user=project_member).name == "Demo Prosjektgruppe"


def test_the_members_link_is_in_the_menu_for_the_project_leader_only(client, plan, project_leader, steering_member):
    client.force_login(project_leader)
    assert f'href="{members_url()}"' in client.get(reverse("budget", args=[SLUG])).text
    client.force_login(steering_member)
    assert f'href="{members_url()}"' not in client.get(reverse("budget", args=[SLUG])).text
