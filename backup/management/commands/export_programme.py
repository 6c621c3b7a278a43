from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backup.programme_file import BackupError, dumps, export_programme
from portfolio.models import Programme


class Command(BaseCommand):
    help = (
        "Skriver et helt program med alt som hører til (faser, aktiviteter, forslag, risikoer, gevinster, "
        "rapporter …) til én JSON-fil som import_programme kan lese inn igjen."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Programmets kortnavn (slug), for eksempel nordre-land-digitalisering.")
        parser.add_argument("file", nargs="?", default="-", help="Filen som skrives; - eller utelatt: standard ut.")
        parser.add_argument(
            "--with-files", action="store_true", help="Ta med PDF-ene til rulleringsrapportene (base64) i filen."
        )

    def handle(self, *args, slug, file, with_files, **options):
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            known = ", ".join(Programme.objects.values_list("slug", flat=True)) or _("ingen")
            raise CommandError(
                _("Fant ikke programmet «%(slug)s». Programmer: %(known)s.") % {"slug": slug, "known": known}
            )
        try:
            text = dumps(export_programme(programme, with_files=with_files))
        except BackupError as error:
            raise CommandError(str(error)) from None
        if file == "-":
            self.stdout.write(text, ending="")
            return
        target = Path(file)
        if not target.parent.is_dir():
            raise CommandError(_("Mappen %(dir)s finnes ikke.") % {"dir": target.parent})
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(_("Kunne ikke skrive %(file)s: %(error)s") % {"file": file, "error": error}) from None
        self.stderr.write(_("Programmet «%(name)s» er skrevet til %(file)s.") % {"name": programme.name, "file": file})
