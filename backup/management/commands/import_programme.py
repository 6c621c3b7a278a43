import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backup.programme_file import BackupError, import_programme, loads


class Command(BaseCommand):
    help = (
        "Leser inn et program fra en fil laget av export_programme. Alt eller ingenting: ved en feil lagres "
        "ingenting. Brukere som mangler, opprettes uten innlogging (inaktive, uten passord). Med --slug og "
        "--organisation blir filen en kopi: et nytt program med et annet kortnavn, i en annen organisasjon, "
        "mens originalen står urørt."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen som leses; - for standard inn.")
        parser.add_argument(
            "--replace", action="store_true", help="Erstatt et program med samme kortnavn (slettes og lages på nytt)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Kontroller filen og vis tallene uten å lagre.")
        parser.add_argument(
            "--slug",
            metavar="KORTNAVN",
            help="Les inn programmet som et nytt program med dette kortnavnet; programmet i filen røres ikke.",
        )
        parser.add_argument(
            "--organisation",
            metavar="NAVN",
            help=(
                "Navnet på organisasjonen programmet skal høre til; den opprettes hvis den ikke finnes. "
                "Uten: organisasjonen i filen. Personene hentes og opprettes i denne organisasjonen."
            ),
        )

    def handle(self, *args, file, replace, dry_run, slug=None, organisation=None, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(_("Filen %(file)s finnes ikke.") % {"file": file}) from None
        except UnicodeDecodeError:
            raise CommandError(_("Filen %(file)s er ikke en UTF-8-tekstfil.") % {"file": file}) from None
        except OSError as error:
            raise CommandError(_("Kunne ikke lese %(file)s: %(error)s") % {"file": file, "error": error}) from None
        try:
            result = import_programme(
                loads(text), replace=replace, dry_run=dry_run, slug=slug, organisation=organisation
            )
        except BackupError as error:
            raise CommandError(str(error)) from None

        for username in result.created_users:
            self.stderr.write(
                _("Advarsel: brukeren «%(name)s» fantes ikke og er opprettet uten innlogging (inaktiv, uten passord).")
                % {"name": username}
            )
        if dry_run:
            headline = _("Prøvekjøring: programmet «%(name)s» kan leses inn. Ingenting er lagret.")
        elif result.replaced:
            headline = _("Programmet «%(name)s» er erstattet.")
        else:
            headline = _("Programmet «%(name)s» er lest inn.")
        self.stdout.write(headline % {"name": result.programme.name})
        self.stdout.write(
            "  "
            + _("kortnavn: %(slug)s, organisasjon: %(organisation)s")
            % {"slug": result.programme.slug, "organisation": result.programme.organisation.name}
        )
        if result.created_organisation:
            self.stdout.write("  " + _("ny organisasjon: %(name)s") % {"name": result.programme.organisation.name})
        for label, count in result.counts.items():
            self.stdout.write(f"  {label}: {count}")
        if result.created_people:
            self.stdout.write("  " + _("nye personer: %(count)s") % {"count": len(result.created_people)})
