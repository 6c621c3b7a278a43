from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portfolio.models import Programme
from reports.models import RevisionReport
from reports.revision_report import build_report


class Command(BaseCommand):
    help = "Lager rulleringsrapporten (PDF) for et år, synkront, med samme kode som bakgrunnsjobben."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Året rapporten gjelder, for eksempel 2017.")
        parser.add_argument("--output", required=True, help="Filen PDF-en skrives til.")
        parser.add_argument(
            "--program", dest="programme", help="Programmets kortnavn (slug); trengs bare om det finnes flere."
        )
        parser.add_argument("--recommendations", default="", help="Prosjektleders anbefalinger (fritekst).")

    def handle(self, *args, year, output, programme, recommendations, **options):
        try:
            year = int(year)
        except ValueError:
            raise CommandError(
                _("Ugyldig år «%(year)s»: skriv et årstall, for eksempel 2017.") % {"year": year}
            ) from None
        chosen = self._programme(programme)
        if not chosen.start_date.year <= year <= chosen.end_date.year:
            raise CommandError(
                _("Året %(year)s ligger utenfor programmet (%(first)s–%(last)s).")
                % {"year": year, "first": chosen.start_date.year, "last": chosen.end_date.year}
            )
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(_("Mappen %(dir)s finnes ikke.") % {"dir": target.parent})

        report = RevisionReport.objects.create(programme=chosen, year=year, recommendations=recommendations)
        build_report(report.pk)
        report.refresh_from_db()
        if report.state != RevisionReport.State.DONE:
            raise CommandError(report.error or _("Rapporten ble ikke laget."))
        with report.pdf.open("rb") as pdf:
            target.write_bytes(pdf.read())
        self.stdout.write(
            _("Skrev rulleringsrapporten for %(year)s til %(path)s (%(size)s byte).")
            % {"year": year, "path": target, "size": report.size}
        )

    def _programme(self, slug: str | None) -> Programme:
        if slug:
            try:
                return Programme.objects.get(slug=slug)
            except Programme.DoesNotExist:
                raise CommandError(_("Fant ikke programmet «%(slug)s».") % {"slug": slug}) from None
        programmes = list(Programme.objects.all()[:2])
        if not programmes:
            raise CommandError(_("Det finnes ingen programmer. Kjør setup_demo først."))
        if len(programmes) > 1:
            raise CommandError(_("Det finnes flere programmer: velg ett med --program."))
        return programmes[0]
