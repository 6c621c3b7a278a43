"""Time the portfolio dashboard at 100× the plan's data, against a bare Django view in the same run.

    .venv/bin/python benchmarks/dashboard.py [--runs 30]

Runs on a throw-away SQLite database in a temporary VAR_DIR (unless DATABASE_URL is set), in two steps:
1. 100× the Nordre Land data as `demo.datagen.generate(100)` makes it: 100 programmes of the seed's
   size (~1 700 activities in all). The dashboard shows one programme, so this measures a realistic page
   in a full database.
2. The seed programme itself grown to 1 700 activities (99 copies of its 17, each with scheduled months,
   milestones, risks with assessments, status reports, a cost line and a measured benefit: the builder of
   tests/workspace/test_dashboard.py). A stress case: one page with 100× the rows.
Both views are requested through Django's test Client as the logged-in project leader, so they pass the
same middleware; the ratio is what the dashboard costs over Django's own floor.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("VAR_DIR", tmp.name)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from config import urls as project_urls  # noqa: E402
from demo.datagen import generate  # noqa: E402
from portfolio.models import Activity, Programme  # noqa: E402
from tests.workspace.test_dashboard import grow  # noqa: E402

SLUG = "nordre-land-digitalisering"


def bare(request):
    return HttpResponse("ok")


# The project's URLs plus the bare view, so both go through the same URL resolver and middleware.
urlpatterns = [path("bench/bare/", bare), *project_urls.urlpatterns]


def timed(client: Client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm up: template loading, first queries
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return seconds


def measure(client: Client, runs: int) -> tuple[int, float, float]:
    """Queries of one dashboard view, and the median seconds of the dashboard and of the bare view."""
    url = reverse("programme", args=[SLUG])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    count = len(queries)  # now: the next request empties the connection's query log
    dashboard = statistics.median(timed(client, url, runs))
    bare_view = statistics.median(timed(client, "/bench/bare/", runs))
    return count, dashboard, bare_view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug=SLUG).exists():
        call_command("setup_demo", verbosity=0, stdout=io.StringIO())
    programme = Programme.objects.get(slug=SLUG)
    client = Client()
    client.force_login(get_user_model().objects.get(username="leder"))

    rows = []
    # DEBUG off as in production: no query log, no template debug information.
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=hosts):
        rows.append(("1× (planen slik den er)", programme.activities.count(), *measure(client, runs)))
        generate(100)
        label = f"100× (datagen: {Programme.objects.count()} programmer, {Activity.objects.count()} aktiviteter)"
        rows.append((label, programme.activities.count(), *measure(client, runs)))
        grow(programme, 99)
        label = "100× i ett program (stresstest)"
        rows.append((label, programme.activities.count(), *measure(client, runs)))

    print(f"median av {runs} visninger som prosjektleder, samme Client og mellomvare")
    print(f"{'data':<58} {'rader':>6} {'spørringer':>10} {'oversikten':>11} {'tom visning':>11} {'forhold':>8}")
    for label, activities, queries, dashboard, bare_view in rows:
        print(
            f"{label:<58} {activities:>6} {queries:>10} {dashboard * 1000:>8.1f} ms {bare_view * 1000:>8.2f} ms"
            f" {dashboard / bare_view:>7.0f}×"
        )


if __name__ == "__main__":
    main()
