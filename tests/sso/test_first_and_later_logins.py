"""Users are matched by the provider's subject, the first time by a verified e-mail, else created without a role."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from portfolio.models import OrganisationMember, ProgrammeRole
from sso.models import OidcIdentity

from .conftest import CLIENT_ID, PROVIDER_NAME, logged_in_user_id, provider_user, sso_login, start

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_login_page_offers_the_provider_only_when_configured(client, settings, oidc_provider):
    page = client.get(reverse("login")).content.decode()
    assert "Logg inn med" not in page
    assert 'name="password"' in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404

    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID, settings.OIDC_PROVIDER_NAME = oidc_provider, "x", PROVIDER_NAME
    page = client.get(reverse("login")).content.decode()
    assert f"Logg inn med {PROVIDER_NAME}" in page
    assert 'name="password"' in page  # the demo's password login stays unless switched off


def test_first_login_creates_a_user_without_any_role_who_sees_the_no_access_page(client, sso, plan):
    provider_user(sso, "kari-sub", email="kari@nordre-land.kommune.no", email_verified=True, name="Kari Anne Nordmann")

    response = sso_login(client, "kari-sub")

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(pk=logged_in_user_id(client))
    assert (user.email, user.first_name, user.last_name) == ("kari@nordre-land.kommune.no", "Kari Anne", "Nordmann")
    assert not user.has_usable_password()
    assert OidcIdentity.objects.get(user=user).subject == "kari-sub"
    assert not ProgrammeRole.objects.filter(user=user).exists()
    assert not OrganisationMember.objects.filter(user=user).exists()
    home = client.get(reverse("home")).content.decode()
    assert "Du har ingen rolle i noe program ennå. Prosjektlederen gir deg tilgang." in home
    # Once, after the first login: the name the project leader can find them by on the members page.
    assert "Du er registrert i Portefølje med brukernavnet «kari@nordre-land.kommune.no»" in home
    assert "registrert i Portefølje" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("programme", args=[plan.slug])).status_code == 404


def test_login_returns_to_the_page_asked_for(client, sso):
    provider_user(sso, "ola-sub", email="ola@example.no")
    response = sso_login(client, "ola-sub", next_url="/forslag/")
    assert response["Location"] == "/forslag/"


def test_login_never_returns_to_another_site(client, sso):
    provider_user(sso, "ola-sub", email="ola@example.no")
    response = sso_login(client, "ola-sub", next_url="https://angriper.example/")
    assert response["Location"] == reverse("home")


def test_second_login_is_the_same_user_by_subject_even_with_a_new_address(client, sso):
    provider_user(sso, "per-sub", email="per@example.no", email_verified=True, given_name="Per", family_name="Hansen")
    sso_login(client, "per-sub")
    first = logged_in_user_id(client)
    client.logout()

    provider_user(
        sso, "per-sub", email="per.hansen@example.no", email_verified=True, given_name="Per", family_name="Olsen"
    )
    sso_login(client, "per-sub")

    assert logged_in_user_id(client) == first
    assert "registrert i Portefølje" not in client.get(reverse("home")).content.decode()  # not new any more
    user = User.objects.get(pk=first)
    assert (user.email, user.last_name) == ("per.hansen@example.no", "Olsen")
    assert User.objects.filter(oidc_identities__subject="per-sub").count() == 1
    assert OidcIdentity.objects.count() == 1


def test_first_login_with_a_verified_address_is_the_existing_user_with_it(client, sso, project_leader):
    project_leader.email = "Leder@Nordre-Land.kommune.no"
    project_leader.save()
    provider_user(sso, "leder-sub", email="leder@nordre-land.kommune.no", email_verified=True)

    sso_login(client, "leder-sub")

    assert logged_in_user_id(client) == str(project_leader.pk)
    assert OidcIdentity.objects.get(subject="leder-sub").user == project_leader
    assert project_leader.has_usable_password() is True  # the demo password keeps working


def test_an_unverified_address_does_not_take_over_an_existing_user(client, sso, project_leader):
    project_leader.email = "leder@nordre-land.kommune.no"
    project_leader.save()
    provider_user(sso, "etterligner", email="leder@nordre-land.kommune.no", email_verified=False)

    sso_login(client, "etterligner")

    user = User.objects.get(pk=logged_in_user_id(client))
    assert user != project_leader
    assert user.email == ""  # an address the provider did not vouch for is not taken over
    assert not ProgrammeRole.objects.filter(user=user).exists()


def test_a_trusted_provider_links_by_address_without_email_verified(client, sso, settings, project_leader):
    """Entra ID sends no email_verified; OIDC_TRUST_EMAIL=1 says the tenant's addresses are the municipality's."""
    settings.OIDC_TRUST_EMAIL = True
    project_leader.email = "leder@nordre-land.kommune.no"
    project_leader.save()
    provider_user(sso, "entra-oid", email="leder@nordre-land.kommune.no")

    sso_login(client, "entra-oid")

    assert logged_in_user_id(client) == str(project_leader.pk)


def test_the_subject_and_email_claims_are_configurable(client, sso, settings):
    """E.g. Entra ID's object id and user principal name instead of sub and email."""
    settings.OIDC_CLAIM_SUBJECT, settings.OIDC_CLAIM_EMAIL, settings.OIDC_TRUST_EMAIL = "oid", "upn", True
    provider_user(sso, "pairwise-1", oid="object-id-42", upn="siri@kommune.no", name="Siri")
    sso_login(client, "pairwise-1")

    user = User.objects.get(pk=logged_in_user_id(client))
    assert OidcIdentity.objects.get(user=user).subject == "object-id-42"
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "siri@kommune.no",
        "siri@kommune.no",
        "Siri",
        "",
    )


def test_no_national_identity_number_is_stored(client, sso):
    """ID-porten sends `pid`; the user is matched on the pairwise `sub` and the number is kept nowhere."""
    provider_user(sso, "idporten-pairwise", pid="01017012345")
    sso_login(client, "idporten-pairwise")

    user = User.objects.get(pk=logged_in_user_id(client))
    assert user.username.startswith("sso-")  # no e-mail address: a name made from the subject, told once
    assert f"brukernavnet «{user.username}»" in client.get(reverse("home")).content.decode()
    stored = [user.username, user.email, user.first_name, user.last_name, *OidcIdentity.objects.values_list("subject")]
    assert not any("01017012345" in str(value) for value in stored)


def test_the_id_token_alone_is_enough_without_userinfo(client, sso, settings):
    """OIDC_USERINFO=0 (Microsoft's advice for Entra ID): the claims come from the verified ID token only."""
    settings.OIDC_USERINFO = False
    provider_user(sso, "kun-token", email="token@example.no", email_verified=True, name="Tor Token")
    sso_login(client, "kun-token")

    user = User.objects.get(pk=logged_in_user_id(client))
    assert (user.email, user.first_name, user.last_name) == ("token@example.no", "Tor", "Token")


def test_the_authorization_request_carries_state_nonce_and_pkce(client, sso):
    """ID-porten refuses a request without any of them."""
    url = start(client)
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{sso}/oauth2/authorize?")
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    assert query["redirect_uri"] == "http://testserver/accounts/sso/callback/"
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32 and query["state"] != query["nonce"]
    assert query["ui_locales"] == "nb"
