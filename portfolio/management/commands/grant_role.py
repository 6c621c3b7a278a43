"""Give a user a role in a programme, or take it away (`--revoke`): the command-line twin of «Medlemmer»."""

import argparse

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portfolio.models import Programme, ProgrammeRole

CHANGE_REASON = "Endret med grant_role"
ROLES = [role.value for role in ProgrammeRole.Role]


def _role(value: str) -> str:
    """The role as given, or a Norwegian error (argparse's own message for a wrong choice is English)."""
    if value not in ROLES:
        raise argparse.ArgumentTypeError(
            _("Ukjent rolle «%(role)s». Velg en av: %(roles)s.") % {"role": value, "roles": ", ".join(ROLES)}
        )
    return value


def _grant(user, programme, role) -> bool:
    """Create the role; False when someone else granted it at this very moment (the unique constraint)."""
    granted = ProgrammeRole(user=user, programme=programme, role=role)
    granted._change_reason = CHANGE_REASON
    try:
        with transaction.atomic():
            granted.save()
    except IntegrityError:
        return False
    return True


class Command(BaseCommand):
    help = (
        "Gir en bruker en rolle i et program (prosjektleder, styringsgruppe, prosjektgruppe eller ansatt), "
        "eller tar den bort med --revoke. Brukeren og programmet må finnes."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="USERNAME", help="Brukernavnet til en bruker som finnes.")
        parser.add_argument(
            "programme",
            metavar="PROGRAMME_SLUG",
            help="Programmets kortnavn (slug), for eksempel nordre-land-digitalisering.",
        )
        parser.add_argument("role", type=_role, choices=ROLES, help="Rollen i programmet.")
        parser.add_argument("--revoke", action="store_true", help="Ta rollen bort i stedet for å gi den.")

    def handle(self, *args, username, programme, role, revoke, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Fant ikke brukeren «%(username)s».") % {"username": username})
        target = Programme.objects.filter(slug=programme).first()
        if target is None:
            known = ", ".join(Programme.objects.order_by("slug").values_list("slug", flat=True)) or _("ingen")
            raise CommandError(
                _("Fant ikke programmet «%(slug)s». Programmer: %(known)s.") % {"slug": programme, "known": known}
            )
        label = ProgrammeRole.Role(role).label
        names = {"username": username, "role": label, "programme": target.name, "slug": target.slug}
        held = ProgrammeRole.objects.filter(user=user, programme=target, role=role).first()
        if revoke:
            if held is None:
                self.stdout.write(
                    _("%(username)s har ikke rollen %(role)s i «%(programme)s» (%(slug)s); ingenting er endret.")
                    % names
                )
                return
            held._change_reason = CHANGE_REASON
            held.delete()
            self.stdout.write(_("%(username)s har ikke lenger rollen %(role)s i «%(programme)s» (%(slug)s).") % names)
            return
        if held is not None or not _grant(user, target, role):
            self.stdout.write(
                _("%(username)s har allerede rollen %(role)s i «%(programme)s» (%(slug)s); ingenting er endret.")
                % names
            )
            return
        self.stdout.write(_("%(username)s har fått rollen %(role)s i «%(programme)s» (%(slug)s).") % names)
        if not user.is_active:
            self.stderr.write(
                _("Merk: brukeren «%(username)s» er inaktiv og kan ikke logge inn før kontoen er aktivert.") % names
            )
