from django.core.management.base import BaseCommand, CommandError

from milestones.models import MeetingSeries
from portfolio.models import Programme


class Command(BaseCommand):
    help = (
        "Oppretter planens møteserier (møte PL–PA hver 14. dag, prosjektgruppemøte ca. hver 3. uke) "
        "for et program. Idempotent: serier som finnes fra før, endres ikke."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Programmets kortnavn, f.eks. nordre-land-digitalisering")

    def handle(self, *args, slug, **options):
        try:
            programme = Programme.objects.get(slug=slug)
        except Programme.DoesNotExist:
            raise CommandError(f"Fant ikke programmet «{slug}».") from None
        created = MeetingSeries.ensure_plan_defaults(programme)
        self.stdout.write(f"Opprettet {created} møteserie(r) for {programme}.")
