import io
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.datagen import DEMO_NOTE, add_demo_history, has_demo_history
from milestones.models import MeetingSeries
from portfolio.models import Person, Programme, ProgrammeRole
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
# The Person the demo history links the user `prosjekt` to, so the project group's role can be tried: it is
# responsible for activities, writes their status reports and owns benefits.
DEMO_PERSON = {"name": "Demo Prosjektgruppe", "title": "Prosjektmedarbeider (demobruker)", "unit": "IKT"}


class Command(BaseCommand):
    help = (
        "Laster Nordre Land-planen, én demobruker per rolle (passord «demo») og en demohistorikk for "
        "programperioden (statusrapporter, vedtak, målinger, faktiske beløp og ca. 130 forslag). "
        "Idempotent: en ny kjøring endrer ingenting som finnes fra før."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Tillat demobrukere også når DEBUG er av (for en demoinstallasjon).",
        )
        parser.add_argument(
            "--without-history",
            action="store_true",
            help="Bare planen og demobrukerne, uten demohistorikken (slik testene bruker den).",
        )

    def handle(self, *args, allow_production=False, without_history=False, **options):
        if not settings.DEMO_ALLOWED and not allow_production:
            raise CommandError(
                "setup_demo oppretter brukere med passordet «demo» og kjøres ikke i produksjon "
                "(DEBUG av, DEMO_ALLOWED ikke satt). "
                "Bruk --allow-production hvis dette virkelig er en demoinstallasjon."
            )
        started = time.perf_counter()
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
            if not without_history:
                self._history(programme)
        self.stdout.write(f"Ferdig på {time.perf_counter() - started:.1f} s.")

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

    def _history(self, programme):
        """The history the programme has by its end, added once on top of the plan (fixtures stay as they are)."""
        if has_demo_history(programme):
            self.stdout.write("Demohistorikken finnes allerede; den er ikke endret.")
            return
        counts = add_demo_history(programme, person=self._demo_person(programme))
        self.stdout.write(
            self.style.SUCCESS(
                f"La til demohistorikk ({sum(counts.values())} rader, merket «{DEMO_NOTE}» eller «demodata»)."
            )
        )

    def _demo_person(self, programme):
        """The Person of the demo user `prosjekt`; None when that user is gone or already has another person."""
        user = get_user_model().objects.filter(username="prosjekt").first()
        if user is None:
            return None
        existing = Person.objects.filter(user=user, organisation=programme.organisation).first()
        if existing is not None:
            return existing
        person, _created = Person.objects.get_or_create(
            organisation=programme.organisation, name=DEMO_PERSON["name"], defaults={**DEMO_PERSON, "user": user}
        )
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        return person if person.user_id == user.pk else None
