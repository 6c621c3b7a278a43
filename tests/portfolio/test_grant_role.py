"""`grant_role`: gives a user a role in a programme (or takes it away), and the role is what gives access."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from portfolio.management.commands.grant_role import Command
from portfolio.models import Programme, ProgrammeRole

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


def grant_role(*args) -> str:
    out = io.StringIO()
    call_command("grant_role", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def kari(db):
    return get_user_model().objects.create_user("kari", password="x")


def roles(user, slug=SLUG) -> set[str]:
    return set(ProgrammeRole.objects.filter(user=user, programme__slug=slug).values_list("role", flat=True))


def test_grants_a_role(plan, kari):
    output = grant_role("kari", SLUG, "prosjektgruppe")

    assert roles(kari) == {"prosjektgruppe"}
    assert output.strip() == f"kari har fått rollen Prosjektgruppe i «Digitalisering i Nordre Land kommune» ({SLUG})."
    role = ProgrammeRole.objects.get(user=kari)
    assert role.granted_by is None and role.history.earliest().history_type == "+"


def test_granting_again_changes_nothing_and_says_so(plan, kari):
    grant_role("kari", SLUG, "ansatt")
    before = list(ProgrammeRole.objects.filter(user=kari).values_list("pk", "granted_at"))

    output = grant_role("kari", SLUG, "ansatt")

    assert "har allerede rollen Ansatt" in output and "ingenting er endret" in output
    assert list(ProgrammeRole.objects.filter(user=kari).values_list("pk", "granted_at")) == before


def test_several_roles_in_one_programme(plan, kari):
    grant_role("kari", SLUG, "styringsgruppe")
    grant_role("kari", SLUG, "prosjektgruppe")
    assert roles(kari) == {"styringsgruppe", "prosjektgruppe"}


def test_revoke_takes_the_role_away_and_only_that_one(plan, kari):
    grant_role("kari", SLUG, "styringsgruppe")
    grant_role("kari", SLUG, "prosjektgruppe")

    output = grant_role("kari", SLUG, "styringsgruppe", "--revoke")

    assert roles(kari) == {"prosjektgruppe"}
    assert "kari har ikke lenger rollen Styringsgruppe" in output


def test_revoking_a_role_not_held_says_so(plan, kari):
    output = grant_role("kari", SLUG, "prosjektleder", "--revoke")
    assert "kari har ikke rollen Prosjektleder" in output and "ingenting er endret" in output
    assert roles(kari) == set()


def test_an_inactive_user_is_granted_with_a_warning(plan, kari):
    kari.is_active = False
    kari.save()
    err = io.StringIO()
    call_command("grant_role", "kari", SLUG, "ansatt", stdout=io.StringIO(), stderr=err)
    assert roles(kari) == {"ansatt"}
    assert "er inaktiv" in err.getvalue()


def test_an_unknown_user_is_refused(plan):
    with pytest.raises(CommandError, match="Fant ikke brukeren «ingen-her»") as error:
        grant_role("ingen-her", SLUG, "ansatt")
    assert error.value.returncode != 0  # what manage.py exits with
    assert not ProgrammeRole.objects.filter(user__username="ingen-her").exists()


def test_an_unknown_programme_is_refused_naming_the_known_ones(plan, kari):
    with pytest.raises(CommandError, match=f"Fant ikke programmet «finnes-ikke». Programmer: .*{SLUG}") as error:
        grant_role("kari", "finnes-ikke", "ansatt")
    assert error.value.returncode != 0
    assert roles(kari) == set()


def test_an_unknown_role_is_refused_in_norwegian(plan, kari):
    with pytest.raises(CommandError, match="Ukjent rolle «sjef». Velg en av: prosjektleder, styringsgruppe"):
        grant_role("kari", SLUG, "sjef")
    assert not ProgrammeRole.objects.filter(user=kari).exists()


def test_the_roles_are_the_choices_of_the_command():
    parser = Command().create_parser("manage.py", "grant_role")
    role = next(action for action in parser._actions if action.dest == "role")
    assert list(role.choices) == [value for value, _label in ProgrammeRole.Role.choices]


def test_an_unknown_role_exits_non_zero_from_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "grant_role", "kari", SLUG, "sjef", "--skip-checks"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "Ukjent rolle «sjef»" in result.stderr


def test_a_role_granted_by_the_command_gives_access_to_that_programme_only(plan, client, tmp_path):
    """A new user who is steering group in a copy of the plan (in Søndre Land) reads the copy, and for them the
    Nordre Land programme does not exist."""
    path = tmp_path / "program.json"
    call_command("export_programme", SLUG, str(path), stderr=io.StringIO())
    call_command(
        "import_programme",
        str(path),
        "--slug",
        "kopi",
        "--organisation",
        "Søndre Land kommune",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Programme.objects.get(slug="kopi").organisation.name == "Søndre Land kommune"
    user = get_user_model().objects.create_user("ny-styring", password="x")
    client.force_login(user)
    assert client.get(reverse("programme", args=["kopi"])).status_code == 404  # no role yet

    grant_role("ny-styring", "kopi", "styringsgruppe")

    response = client.get(reverse("programme", args=["kopi"]))
    assert response.status_code == 200
    assert "Digitalisering i Nordre Land kommune" in response.text  # the copy keeps the plan's name
    assert client.get(reverse("programme", args=[SLUG])).status_code == 404

    grant_role("ny-styring", "kopi", "styringsgruppe", "--revoke")
    assert client.get(reverse("programme", args=["kopi"])).status_code == 404
