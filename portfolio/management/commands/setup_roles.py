from django.core.management.base import BaseCommand

from portfolio.roles import sync_roles


class Command(BaseCommand):
    help = "Oppretter rollene (grupper med rettigheter) beskrevet i docs/roles.md. Kan kjøres flere ganger."

    def handle(self, *args, **options):
        groups = sync_roles()
        self.stdout.write(self.style.SUCCESS("Roller oppdatert: " + ", ".join(groups)))
