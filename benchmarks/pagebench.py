"""Shared set-up of `benchmarks/pages.py` and `benchmarks/profile_pages.py`: a throw-away database with the
Nordre Land plan at 1×, then N× its rows in that one programme; the main pages; a logged-in client.

Import this module before anything from Django: it points VAR_DIR (and so the SQLite database) at a temporary
folder, or at `--keep DIR`, and never at var/portefolje.sqlite3. With DATABASE_URL set (PostgreSQL), it creates a
throw-away database next to it (`portefolje_pages_<pid>_<random>`) and drops it at the end, as benchmarks/load.py
does; with `--keep DIR` on PostgreSQL the database is named `portefolje_pages_keep` and kept.

How N× comes about. `demo.datagen.generate(N)` (what `manage.py generate_data --scale N` runs) tops up the seed
with its demo history and adds N−1 copies of it as programmes of their own. A page shows one programme, so that
alone gives every page the same rows at every scale. To get N× the rows on one page, `grow_to(N)` then moves
the rows of the generated programmes 2…N into the seed programme (activities, proposals, risks, decision points,
milestones, meeting series, benefit plans, memberships, and through them everything below them), re-pointing
phases, areas and revision rounds at the seed's own and suffixing codes (`HA05-7`) to keep them unique. The
emptied programmes stay behind, renamed «[sammenslått] …». So at N× the seed programme has N × its topped-up
rows of every kind, and the database also holds the programmes not (yet) merged: at `--scale 1 10 100` the
10× step runs in a database of 100 programmes (seed at 10×, 90 others at 1×).
"""

import argparse
import atexit
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "nordre-land-digitalisering"
MERGED_PREFIX = "[sammenslått] "

# (label, URL name, kwargs besides slug, query string)
PAGES = [
    ("Oversikt (dashboard)", "programme", {}, ""),
    ("Hovedaktiviteter", "activity_list", {}, ""),
    ("Hovedaktivitet HA05", "activity_detail", {"code": "HA05"}, ""),
    ("Statusoversikt", "status_overview", {}, ""),
    ("SG-agenda", "meeting_agenda", {}, ""),
    ("Forslag (liste)", "proposal_list", {}, ""),
    ("Prioritering", "proposal_ranking", {}, ""),
    ("Risikoregister", "risk_register", {}, ""),
    ("Milepæler", "milestone_overview", {}, ""),
    ("Tidsplan", "schedule", {}, ""),
    ("Gevinstoversikt", "benefit_overview", {}, ""),
    ("Budsjett", "budget", {}, ""),
    ("Rapporter (liste)", "revision_reports", {}, ""),
]
BARE_URL = "/bench/bare/"


def common_arguments(parser: argparse.ArgumentParser, default_scales: list[int]) -> None:
    parser.add_argument(
        "--scale",
        type=int,
        nargs="+",
        default=default_scales,
        help=f"N× the plan's rows in the one programme, ascending (default {' '.join(map(str, default_scales))})",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the database in DIR (SQLite: DIR/portefolje.sqlite3) and reuse it next time; never var/",
    )
    parser.add_argument("--seed", type=int, default=2017, help="seed of the data generator (default 2017)")


def setup_django(keep: str | None) -> None:
    """Point the settings at a throw-away database, then django.setup(). Call before importing Django models."""
    if keep:
        var_dir = Path(keep).resolve()
        if var_dir == (ROOT / "var").resolve():
            raise SystemExit(
                "--keep var/ would use the development database var/portefolje.sqlite3; pick another folder."
            )
        var_dir.mkdir(parents=True, exist_ok=True)
    else:
        var_dir = Path(tempfile.mkdtemp(prefix="portefolje-pages-"))
        atexit.register(shutil.rmtree, var_dir, True)
    os.environ["VAR_DIR"] = str(var_dir)
    # Development settings for the import (plain static files storage, no HTTPS redirect, no SECRET_KEY needed);
    # the requests themselves run with DEBUG off (see `measuring`), as in production.
    os.environ["DEBUG"] = "1"
    os.environ.pop("REDIS_URL", None)  # embedded cache, eager tasks
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"  # the app's settings plus /bench/bare/
    base_url = os.environ.get("DATABASE_URL")
    if base_url and base_url.startswith(("postgres", "postgresql")):
        from benchmarks.load import admin_connection, create_database, drop_database, with_database

        database = "portefolje_pages_keep" if keep else f"portefolje_pages_{os.getpid()}_{secrets.token_hex(3)}"
        with admin_connection(base_url) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            create_database(base_url, database)
        os.environ["DATABASE_URL"] = with_database(base_url, database)
        if not keep:

            def _drop():
                from django.db import connections

                connections.close_all()
                drop_database(base_url, database)

            atexit.register(_drop)
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise


def database_label() -> str:
    from django.db import connection

    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def prepare_seed(seed: int) -> None:
    """migrate, setup_demo and the seed's demo history (generate(1)); idempotent."""
    import io

    from django.core.management import call_command

    from demo.datagen import generate
    from portfolio.models import Programme

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug=SLUG).exists():
        call_command("setup_demo", verbosity=0, stdout=io.StringIO())
    generate(1, seed=seed)


def current_scale() -> int:
    from portfolio.models import Programme

    return 1 + Programme.objects.filter(name__startswith=MERGED_PREFIX).count()


def generate_copies(max_scale: int, seed: int) -> float:
    """generate(max_scale) once (programmes that exist are skipped); seconds taken."""
    from demo.datagen import generate

    started = time.perf_counter()
    generate(max_scale, seed=seed)
    return time.perf_counter() - started


def grow_to(scale: int) -> float:
    """Merge generated programmes into the seed until it holds `scale` × its rows; seconds taken."""
    from django.db import transaction
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from benefits.models import BenefitPlan
    from demo.datagen import GENERATED_SLUG
    from measures.models import Proposal, RevisionRound
    from milestones.models import DecisionPoint, MeetingSeries, Milestone
    from portfolio.models import Activity, Area, BudgetLine, Membership, Phase, Programme, ScheduledMonth
    from risks.models import Risk

    started = time.perf_counter()
    target = Programme.objects.get(slug=SLUG)
    phases = {p.number: p for p in Phase.objects.filter(programme=target)}
    areas = {a.number: a for a in Area.objects.filter(programme=target)}
    rounds = {r.year: r for r in RevisionRound.objects.filter(programme=target)}
    for index in range(current_scale() + 1, scale + 1):
        source = Programme.objects.filter(slug=GENERATED_SLUG.format(index=index)).first()
        if source is None:
            raise SystemExit(f"Programme {GENERATED_SLUG.format(index=index)} is missing (generate({scale}) first).")
        suffix = Value(f"-{index}")
        with transaction.atomic():
            for phase in Phase.objects.filter(programme=source):
                ScheduledMonth.objects.filter(phase=phase).update(phase=phases[phase.number])
                BudgetLine.objects.filter(phase=phase).update(phase=phases[phase.number])
            for area in Area.objects.filter(programme=source):
                Activity.objects.filter(area=area).update(area=areas[area.number])
                Proposal.objects.filter(area=area).update(area=areas[area.number])
            for rnd in RevisionRound.objects.filter(programme=source):
                Proposal.objects.filter(revision_round=rnd).update(revision_round=rounds[rnd.year])
                Proposal.objects.filter(carried_from=rnd).update(carried_from=rounds[rnd.year])
            for model in (Activity, Risk, DecisionPoint, Milestone, BenefitPlan):
                model.objects.filter(programme=source).update(programme=target, code=Concat(F("code"), suffix))
            for model in (Proposal, MeetingSeries, Membership):
                model.objects.filter(programme=source).update(programme=target)
            Programme.objects.filter(pk=source.pk).update(name=MERGED_PREFIX + source.name)
    return time.perf_counter() - started


def row_counts() -> dict[str, int]:
    from benefits.models import Benefit
    from measures.models import Proposal
    from milestones.models import Milestone
    from portfolio.models import Activity, Programme, StatusReport
    from risks.models import Risk

    programme = Programme.objects.get(slug=SLUG)
    return {
        "programmer i basen": Programme.objects.count(),
        "aktiviteter": Activity.objects.filter(programme=programme).count(),
        "forslag": Proposal.objects.filter(programme=programme).count(),
        "risikoer": Risk.objects.filter(programme=programme).count(),
        "milepæler": Milestone.objects.filter(programme=programme).count(),
        "statusrapporter": StatusReport.objects.filter(activity__programme=programme).count(),
        "gevinster": Benefit.objects.filter(plan__programme=programme).count(),
    }


def reach_scale(scale: int, seed: int, max_scale: int, log=print) -> None:
    """Make the seed programme hold `scale` × its rows (generating the copies on the first step above 1×)."""
    have = current_scale()
    if scale < have:
        raise SystemExit(f"The kept database is already at {have}×; use a new --keep folder for {scale}×.")
    if scale == have:
        return
    from portfolio.models import Programme

    if not Programme.objects.filter(slug__startswith="generert-").exclude(name__startswith=MERGED_PREFIX).exists():
        seconds = generate_copies(max_scale, seed)
        log(f"generate({max_scale}) [= generate_data --scale {max_scale}]: {seconds:.1f} s")
    seconds = grow_to(scale)
    log(f"flettet inn i ett program til {scale}×: {seconds:.1f} s")


def page_urls() -> list[tuple[str, str]]:
    from django.urls import reverse

    return [(label, reverse(name, kwargs={"slug": SLUG, **kwargs}) + query) for label, name, kwargs, query in PAGES]


def logged_in_client():
    """Django's test Client, logged in as the demo project leader (`leder`)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="leder"))
    return client


def measuring():
    """DEBUG off for the requests, as in production (no query log, no template debug data)."""
    from django.conf import settings
    from django.test import override_settings

    return override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"])


def noise_note() -> str:
    load = os.getloadavg()
    return (
        f"Belastning (load average 1/5/15 min): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
        f" på {os.cpu_count()} CPU-er. "
        "Maskinen deles med andre som kjører tester: tallene er omtrentlige (støy ±20–50 % er vanlig her); "
        "forholdet til den bare visningen, målt vekselvis i samme prosess, er mer stabilt enn millisekundene."
    )
