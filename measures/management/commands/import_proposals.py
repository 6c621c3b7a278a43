from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from common.uploads import check_size_and_name, check_spreadsheet
from measures.resources import run_import
from portfolio.models import Programme


class Command(BaseCommand):
    help = "Importer forslag til tiltak fra CSV eller XLSX. Ved én feil lagres ingenting."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- eller XLSX-fil med overskriftene i docs/spreadsheets.md")
        parser.add_argument("--dry-run", action="store_true", help="Vis hva som ville skjedd, uten å lagre")
        parser.add_argument("--program", dest="slug", help="Programmets slug (trengs når det finnes flere)")

    def handle(self, *args, file, dry_run, slug, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Finner ikke filen {file}.")
        # The same limits as an upload in the web UI: size first (so a huge file is never read), then content.
        try:
            check_size_and_name(path.name, path.stat().st_size)
            content = path.read_bytes()
            check_spreadsheet(path.name, content)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        programme = self._programme(slug)
        report = run_import(programme, content, path.name, dry_run=dry_run)
        if report.errors:
            for error in report.errors:
                column = f" ({error.column})" if error.column else ""
                self.stderr.write(f"Rad {error.row}{column}: {error.message}")
            raise CommandError(f"{len(report.errors)} feil; ingenting er lagret.")
        verb = "Ville importert" if dry_run else "Importerte"
        self.stdout.write(f"{verb} {report.new} nye og {report.updated} endrede forslag.")

    def _programme(self, slug):
        if slug:
            try:
                return Programme.objects.get(slug=slug)
            except Programme.DoesNotExist:
                raise CommandError(f"Finner ikke programmet «{slug}».") from None
        programmes = list(Programme.objects.all()[:2])
        if len(programmes) != 1:
            raise CommandError("Oppgi programmet med --program SLUG.")
        return programmes[0]
