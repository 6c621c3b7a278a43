"""Where the time of a page goes: SQL, template rendering and the rest, with the top functions, at 1× and N×.

    nice -n 19 .venv/bin/python benchmarks/profile_pages.py [--scale 1 10] [--runs 5] [--top 15] [--keep DIR]
        [--pages programme meeting_agenda risk_register]

Same data and database as benchmarks/pages.py (benchmarks/pagebench.py: a throw-away SQLite database, or
PostgreSQL through DATABASE_URL; N× the plan's rows in the one programme). Each page (URL names; default the
dashboard, the steering-group agenda and the risk register) is requested through Django's test Client as the
project leader with DEBUG off, after 2 warm-ups:

1. --runs requests with light instrumentation, medians reported:
   - SQL: the ORM's `SQLCompiler.execute_sql` timed (compiling the SQL, the driver's execute and fetching all rows;
     the building of model instances from them is *not* in it), plus any query outside the compiler through
     `connection.execute_wrapper` (which also counts every query and its shape);
   - templates: the outermost `django.template.base.Template.render` calls timed, minus the SQL that ran inside
     them (lazy querysets evaluated by the template), so SQL is counted once;
   - the rest: total − SQL − templates: URL resolution, middleware, the view and its helpers, building model
     instances from rows, forms, charts drawn in Python.
   Also: queries per request, the repeated query shapes (N+1 suspects), HTML size, and the templates with the
   most renders (inclusive time: an include's time is also in its parent's).
2. one request under cProfile: the top --top functions by cumulative time in the project's own code, and by
   own (total) time anywhere. cProfile slows Python calls down a lot, so use its shares, not its seconds.

A benchmark, not a test. Numbers from a shared, busy machine are approximate: compare shares, not milliseconds.
"""

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import pagebench  # noqa: E402

ROOT = str(pagebench.ROOT)
DEFAULT_PAGES = ["programme", "meeting_agenda", "risk_register"]


class Probe:
    """SQL and template timings of one request."""

    def __init__(self):
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.queries = 0
        self.shapes = Counter()
        self.execute_time = defaultdict(float)  # per query shape: the driver's execute only
        self.template_outer = 0.0
        self.depth = 0  # nested Template.render calls
        self.compiling = 0  # nested SQLCompiler.execute_sql calls
        self.renders = Counter()
        self.render_time = defaultdict(float)

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.queries += 1
            shape = re.sub(r"\b\d+\b", "N", re.sub(r"\(\s*(%s|\?)(,\s*(%s|\?))*\s*\)", "(…)", sql))
            self.shapes[shape[:160]] += 1
            self.execute_time[shape] += spent
            if not self.compiling:  # a query outside the ORM's compiler (raw cursor): only its execute is seen
                self.add_sql(spent)

    def add_sql(self, spent: float) -> None:
        self.sql += spent
        if self.depth:
            self.sql_in_templates += spent


@contextmanager
def probing(probe: Probe):
    from django.db import connection
    from django.db.models.sql.compiler import SQLCompiler
    from django.template import base

    original = base.Template.render
    original_execute_sql = SQLCompiler.execute_sql

    def execute_sql(compiler, *args, **kwargs):
        # The ORM's execute and the fetching of all rows (a non-chunked read fetches them all here), not the
        # building of model instances from them.
        probe.compiling += 1
        started = time.perf_counter()
        try:
            return original_execute_sql(compiler, *args, **kwargs)
        finally:
            probe.compiling -= 1
            if probe.compiling == 0:
                probe.add_sql(time.perf_counter() - started)

    def render(template, context):
        probe.depth += 1
        started = time.perf_counter()
        try:
            return original(template, context)
        finally:
            spent = time.perf_counter() - started
            probe.depth -= 1
            probe.renders[template.name or "<string>"] += 1
            probe.render_time[template.name or "<string>"] += spent
            if probe.depth == 0:
                probe.template_outer += spent

    base.Template.render = render
    SQLCompiler.execute_sql = execute_sql
    try:
        with connection.execute_wrapper(probe.execute):
            yield
    finally:
        base.Template.render = original
        SQLCompiler.execute_sql = original_execute_sql


def short(filename: str) -> str:
    if filename.startswith(ROOT + "/.venv/"):
        return re.sub(r".*/site-packages/", "", filename)
    if filename.startswith(ROOT + "/"):
        return filename[len(ROOT) + 1 :]
    return filename


def top_functions(profile: cProfile.Profile, top: int) -> tuple[list[str], list[str]]:
    stats = pstats.Stats(profile, stream=io.StringIO())
    total = max(st[3] for st in stats.stats.values())  # the outermost call's cumulative time
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        rows.append((filename, line, name, calls, tottime, cumtime))
    # The project's own code below the middleware (whose frames only wrap the whole request).
    own = [
        r
        for r in rows
        if r[0].startswith(ROOT + "/")
        and not any(part in r[0] for part in ("/.venv/", "/benchmarks/", "/common/middleware.py"))
    ]

    def fmt(r, key):
        filename, line, name, calls, tottime, cumtime = r
        value = cumtime if key == "cum" else tottime
        return f"{value / total:6.1%}  {calls:>7}  {short(filename)}:{line} {name}"

    by_cum = [fmt(r, "cum") for r in sorted(own, key=lambda r: -r[5])[:top]]
    by_own = [fmt(r, "own") for r in sorted(rows, key=lambda r: -r[4])[:top]]
    return by_cum, by_own


def profile_page(client, label: str, url: str, runs: int, top: int) -> dict:
    for _ in range(2):
        client.get(url)
    probes, totals = [], []
    html = b""
    for _ in range(runs):
        probe = Probe()
        with probing(probe):
            started = time.perf_counter()
            response = client.get(url)
            totals.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content
        probes.append(probe)
    profile = cProfile.Profile()
    profile.enable()
    client.get(url)
    profile.disable()
    by_cum, by_own = top_functions(profile, top)

    def med(values):
        return statistics.median(values) * 1000

    total = med(totals)
    sql = med([p.sql for p in probes])
    templates = med([p.template_outer - p.sql_in_templates for p in probes])
    last = probes[-1]
    return {
        "label": label,
        "url": url,
        "total": total,
        "sql": sql,
        "sql_in_templates": med([p.sql_in_templates for p in probes]),
        "templates": templates,
        "rest": total - sql - templates,
        "queries": last.queries,
        "kb": len(html) / 1024,
        "shapes": [(n, s) for s, n in last.shapes.most_common(5) if n > 1],
        "slowest": sorted(((t * 1000, s) for s, t in last.execute_time.items()), reverse=True)[:3],
        "renders": sorted(last.renders.items(), key=lambda kv: -last.render_time[kv[0]])[:10],
        "render_time": last.render_time,
        "by_cum": by_cum,
        "by_own": by_own,
    }


def report(scale: int, r: dict, top: int) -> None:
    print(f"\n### {r['label']} ({r['url']}) — {scale}×")
    t = r["total"]
    print(
        f"total {t:.1f} ms | SQL {r['sql']:.1f} ms ({r['sql'] / t:.0%};"
        f" {r['sql_in_templates']:.1f} ms of it inside templates)"
        f" | templates {r['templates']:.1f} ms ({r['templates'] / t:.0%})"
        f" | rest {r['rest']:.1f} ms ({r['rest'] / t:.0%})"
        f" | {r['queries']} queries | {r['kb']:.0f} KB HTML"
    )
    if r["shapes"]:
        print("repeated query shapes (count × SQL):")
        for n, shape in r["shapes"]:
            print(f"  {n:>4} × {shape}")
    print("slowest queries by the driver's execute (ms; on SQLite only up to the first row, on PostgreSQL all of it):")
    for ms, shape in r["slowest"]:
        print(f"  {ms:7.1f} ms  {shape[:300]}")
    print("templates by inclusive render time (renders, ms):")
    for name, count in r["renders"]:
        print(f"  {count:>5} × {r['render_time'][name] * 1000:7.1f} ms  {name}")
    print(f"top {top} project functions by cumulative time (share of the profiled request, calls):")
    for line in r["by_cum"]:
        print("  " + line)
    print(f"top {top} functions anywhere by own time:")
    for line in r["by_own"]:
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    pagebench.common_arguments(parser, [1, 10])
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES, help="URL names (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="instrumented requests per page (default 5)")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    scales = sorted(set(args.scale))

    pagebench.setup_django(args.keep)
    from django.urls import reverse

    print(f"Database: {pagebench.database_label()}", flush=True)
    pagebench.prepare_seed(args.seed)
    labels = {name: label for label, name, _kw, _q in pagebench.PAGES}
    summary = []
    for scale in scales:
        pagebench.reach_scale(scale, args.seed, max(scales))
        counts = pagebench.row_counts()
        print(f"\n## {scale}×: " + ", ".join(f"{v} {k}" for k, v in counts.items()), flush=True)
        client = pagebench.logged_in_client()
        with pagebench.measuring():
            for name in args.pages:
                kwargs = next((kw for _l, n, kw, _q in pagebench.PAGES if n == name), {})
                url = reverse(name, kwargs={"slug": pagebench.SLUG, **kwargs})
                r = profile_page(client, labels.get(name, name), url, args.runs, args.top)
                report(scale, r, args.top)
                summary.append((scale, r))
                sys.stdout.flush()

    print("\n## Summary (medians, ms)")
    print("| page | scale | total | SQL | templates | rest | queries | HTML KB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for scale, r in summary:
        t = r["total"]
        print(
            f"| {r['label']} | {scale}× | {t:.0f} | {r['sql']:.0f} ({r['sql'] / t:.0%}) | {r['templates']:.0f} "
            f"({r['templates'] / t:.0%}) | {r['rest']:.0f} ({r['rest'] / t:.0%}) | {r['queries']} | {r['kb']:.0f} |"
        )
    print("\n" + pagebench.noise_note())


if __name__ == "__main__":
    main()
