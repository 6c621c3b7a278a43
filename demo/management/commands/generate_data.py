import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.datagen import generate


class Command(BaseCommand):
    help = (
        "Lager testdata for ytelsesmålinger: --scale N gir N programmer av Nordre Land-planens størrelse "
        "(planen selv fylt opp til ca. 130 forslag, pluss N−1 genererte programmer). Kjør setup_demo først."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=str, required=True, help="Antall programmer (1, 10, 100 …).")
        parser.add_argument("--seed", type=str, default="2017", help="Startverdi for tilfeldighetene (standard 2017).")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Tillat generering også når DEBUG er av (aldri i en ekte produksjonsbase).",
        )

    def handle(self, *args, scale, seed, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "generate_data fyller databasen med oppdiktede programmer og kjøres ikke når DEBUG er av. "
                "Bruk --allow-production hvis dette er en testbase."
            )
        scale_value = _whole_number(scale, "--scale", minimum=1)
        seed_value = _whole_number(seed, "--seed", minimum=0)
        started = time.perf_counter()
        try:
            counts = generate(scale_value, seed=seed_value)
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        if not counts:
            self.stdout.write(f"Ingenting å lage: dataene for skala {scale_value} finnes allerede.")
            return
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"{label.ljust(width)}  {count:>8}")
        self.stdout.write(
            self.style.SUCCESS(f"Laget {sum(counts.values())} rader for skala {scale_value} på {elapsed:.1f} s.")
        )


def _whole_number(text: str, option: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{option} må være et helt tall, ikke «{text}».") from None
    if value < minimum:
        raise CommandError(f"{option} må være minst {minimum}.")
    return value
