"""Import 10 000 generated proposals through the spreadsheet import and compare with a raw bulk_create.

    .venv/bin/python benchmarks/import_proposals.py [--rows N]

Runs on a throw-away SQLite database (unless DATABASE_URL is set) and rolls both runs back.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from measures.models import Proposal, RevisionRound  # noqa: E402
from measures.resources import run_import  # noqa: E402
from portfolio.models import Programme  # noqa: E402

SLUG = "nordre-land-digitalisering"


def generate(n: int, areas, activities) -> list[dict]:
    start = date(2017, 1, 2)
    return [
        {
            "title": f"Forslag nr. {i}",
            "description": "Generert for ytelsesmåling",
            "area": areas[i % len(areas)],
            "activity": activities[i % len(activities)] if i % 3 == 0 else None,
            # Only a measure taken into the plan may be tied to an activity (the import refuses it otherwise).
            "status": Proposal.Status.PRIORITISED if i % 3 == 0 else Proposal.Status.SUBMITTED,
            "unit": ("Skole", "Helse/Omsorg", "Teknisk", "NAV")[i % 4],
            "submitter_name": f"Ansatt {i % 97}",
            "need": 1 + i % 5,
            "benefit": 1 + (i * 3) % 5,
            "feasibility_technical": 1 + (i * 7) % 5,
            "feasibility_economic": 1 + (i * 11) % 5,
            "estimated_cost": Decimal(1000 * (i % 1500)),
            "submitted_on": start + timedelta(days=i % 700),
        }
        for i in range(n)
    ]


def as_csv(rows) -> bytes:
    header = (
        "Tittel;Beskrivelse;Hovedområde;Hovedaktivitet;Enhet;Innsender;Behov;Nytte;"
        "Teknisk gjennomførbarhet;Økonomisk gjennomførbarhet;Kostnadsestimat;Innsendt;Status"
    )
    lines = [header]
    for r in rows:
        cost = f"{int(r['estimated_cost']):,}".replace(",", " ")
        lines.append(
            ";".join(
                [
                    r["title"],
                    r["description"],
                    r["area"].name,
                    r["activity"].code if r["activity"] else "",
                    r["unit"],
                    r["submitter_name"],
                    str(r["need"]),
                    str(r["benefit"]),
                    str(r["feasibility_technical"]),
                    str(r["feasibility_economic"]),
                    cost,
                    r["submitted_on"].strftime("%d.%m.%Y"),
                    str(Proposal.Status(r["status"]).label),
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(function) -> float:
    """Run `function` in a transaction that is rolled back, and return the seconds it took."""
    with transaction.atomic():
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug=SLUG).exists():
        call_command("setup_demo", verbosity=0)
    programme = Programme.objects.get(slug=SLUG)
    round_ = RevisionRound.current(programme)
    rows = generate(args.rows, list(programme.areas.all()), list(programme.activities.all()))
    content = as_csv(rows)

    def spreadsheet():
        report = run_import(programme, content, "benchmark.csv", dry_run=False)
        assert report.saved and report.new == args.rows, report.errors[:5]

    def raw():
        Proposal.objects.bulk_create(
            [Proposal(programme=programme, revision_round=round_, **r) for r in rows], batch_size=1000
        )

    import_seconds = timed(spreadsheet)
    raw_seconds = timed(raw)
    print(f"rader:                {args.rows}")
    print(f"import (regneark):    {import_seconds:.2f} s  ({args.rows / import_seconds:,.0f} rader/s)")
    print(f"bulk_create (rått):   {raw_seconds:.2f} s  ({args.rows / raw_seconds:,.0f} rader/s)")
    print(f"forhold import/rått:  {import_seconds / raw_seconds:.1f}×")


if __name__ == "__main__":
    main()
