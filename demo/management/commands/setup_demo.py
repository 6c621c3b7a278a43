import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from milestones.models import MeetingSeries
from portfolio.models import Programme, ProgrammeRole
from portfolio.roles import PROJECT_GROUP, PROJECT_LEADER, STAFF, STEERING_GROUP

PLAN_SLUG = "nordre-land-digitalisering"
PLAN_FIXTURES = [
    "fixtures/nordre_land.json",
    "fixtures/nordre_land_examples.json",
    "fixtures/nordre_land_benefit_examples.json",
]

# username, first name, last name, role; all get the password "demo" when created.
DEMO_USERS = [
    ("leder", "Demo", "Prosjektleder", PROJECT_LEADER),
    ("styring", "Demo", "Styringsgruppe", STEERING_GROUP),
    ("prosjekt", "Demo", "Prosjektgruppe", PROJECT_GROUP),
    ("ansatt", "Demo", "Ansatt", STAFF),
]


class Command(BaseCommand):
    help = (
        "Laster Nordre Land-planen og én demobruker per rolle (passord «demo»). "
        "Idempotent: en ny kjøring endrer ingenting som finnes fra før."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Tillat demobrukere også når DEBUG er av (for en demoinstallasjon).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEMO_ALLOWED and not allow_production:
            raise CommandError(
                "setup_demo oppretter brukere med passordet «demo» og kjøres ikke i produksjon "
                "(DEBUG av, DEMO_ALLOWED ikke satt). "
                "Bruk --allow-production hvis dette virkelig er en demoinstallasjon."
            )
        with transaction.atomic():
            if Programme.objects.filter(slug=PLAN_SLUG).exists():
                self.stdout.write("Planen for Nordre Land finnes allerede; den er ikke endret.")
            else:
                call_command("loaddata", *[settings.BASE_DIR / f for f in PLAN_FIXTURES], verbosity=0)
                # loaddata saves raw, which the audit history skips: give every loaded object its first record,
                # so the first change made in the app shows as old → new.
                call_command("populate_history", auto=True, stdout=io.StringIO())
                self.stdout.write(self.style.SUCCESS("Lastet planen «Digitalisering i Nordre Land kommune»."))
            # The plan's meeting cadence (section 4.2/8); creates only the series that are missing.
            programme = Programme.objects.get(slug=PLAN_SLUG)
            MeetingSeries.ensure_plan_defaults(programme)
            self._demo_users(programme)

    def _demo_users(self, programme):
        User = get_user_model()
        for username, first, last, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last},
            )
            label = ProgrammeRole.Role(role).label
            if created:
                user.set_password("demo")
                user.save(update_fields=["password"])
                # The demo users are members of the Nordre Land programme, each with one role there.
                ProgrammeRole.objects.create(user=user, programme=programme, role=role)
                self.stdout.write(f"Opprettet demobruker {username} ({label}), passord «demo».")
            else:
                self.stdout.write(f"Demobruker {username} finnes allerede; ikke endret.")
